"""Commands about links between notes: mv."""

from __future__ import annotations

from pathlib import Path

import click

from notes_tool.cli.app import cli, report_index, shown, warn, workspace


@cli.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Print the renames and the diff; change nothing.")
@click.pass_context
def mv(ctx: click.Context, old: Path, new: Path, dry_run: bool) -> None:
    """Rename or renumber the note OLD as NEW, and make everything that names it follow.

    The note is renamed (with `git mv` when git tracks it), and so are its stored transcripts
    (transcripts/OLD.vN.txt and .md) and, when its lesson code changes, its screenshots
    (images/03_01.png becomes images/04_01.png). Every link to them in the workspace follows
    (notes in any folder, the course index, cheat sheets, transcript pages), the note's own
    relative links when it moves to another folder, then the nav, the course index and the
    cheat sheets. NEW may be a folder. A NEW that exists or is outside the workspace is refused,
    and a file changed while the move was planned stops it: nothing is moved.

    \b
    notes mv 03_terraform.md 04_terraform.md
    notes mv 02b_extra.md extras/ --dry-run
    """
    from notes_tool.features import move

    ws = workspace(ctx)
    planned = move.plan_move(ws, old, new)
    if dry_run:
        click.echo(planned.diff(), nl=False)
        for problem in planned.errors:
            warn(problem)
        return
    done = move.run_move(ws, planned)
    for source, target in done.renamed:
        click.echo(f"renamed {shown(source)} -> {shown(target)}", err=True)
    for path in done.written:
        click.echo(f"{shown(path)}: links", err=True)
    for problem in done.errors:
        warn(problem)
    if done.outcome is not None:
        report_index([], done.outcome, quiet_if_none=True)
