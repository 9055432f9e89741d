"""Commands about links between notes: mv, links."""

from __future__ import annotations

from pathlib import Path

import click

from notes_tool.cli.app import cli, fail, report_index, say, say_json, say_lines, shown, warn, workspace


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
        say_lines(planned.diff())
        say("(then the nav, the course index and the cheat sheets are brought up to date)", err=True)
        for problem in planned.errors:
            warn(problem)
        return
    done = move.run_move(ws, planned)
    for source, target in done.renamed:
        say(f"renamed {shown(source)} -> {shown(target)}", err=True)
    for path in done.written:
        say(f"{shown(path)}: links", err=True)
    for problem in done.errors:
        warn(problem)
    if done.outcome is not None:
        report_index([], done.outcome, quiet_if_none=True)


@cli.command()
@click.argument("target", metavar="NOTE[#HEADING]")
@click.option("--json", "as_json", is_flag=True, help="A JSON list: each section linked to, with who links to it.")
@click.pass_context
def links(ctx: click.Context, target: str, as_json: bool) -> None:
    """Print the sections of other notes that link to NOTE (or to its section HEADING, an
    anchor like `#named-volumes`), grouped by the section they link to: what the backlinks
    region (`backlinks = true` in notes.toml) shows at the end of each note.

    \b
    notes links 02_docker-and-postgres.md
    notes links 02_docker-and-postgres.md#volumes --json
    """
    from notes_tool.features import index, index_changes
    from notes_tool.features import links as links_mod
    from notes_tool.generate import backlinks

    ws = workspace(ctx, lock=False)
    name, _, anchor = target.partition("#")
    outcome = index.plan(ws)
    index_changes.save(outcome)
    page, linked = links_mod.backlinks_of(ws, ws.lesson_files(), outcome.outlines, Path(name))
    if anchor:
        if not any(h.slug == anchor for h in page.outline):
            fail(f"{shown(page.path)}: no heading has the anchor #{anchor}")
        linked = {a: s for a, s in linked.items() if a == anchor}
    if as_json:
        say_json(backlinks.as_json(page, linked, Path.cwd()))
        return
    if not linked:
        say(f"{shown(page.path)}{'#' + anchor if anchor else ''}: no other note links here", err=True)
        return
    for line in backlinks.body(page, linked).splitlines()[2:]:
        say(line)
