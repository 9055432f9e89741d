"""Commands that share the notes: commit, cheat sheets and gists, watch."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from notes_tool.cli.app import Progress, cli, fail, say, say_lines, shown, warn, workspace
from notes_tool.errors import counted

SHOWN_SKIPPED = 5
"""``notes commit`` names at most this many files it leaves unstaged (a course repo has many)."""


@cli.command()
@click.option("-m", "--message", help="The commit message (default: written from the change).")
@click.option("--push", is_flag=True, help="Push to the upstream (else origin) after committing.")
@click.option("--dry-run", is_flag=True, help="Print the message and the files; change nothing.")
@click.option("--no-build", is_flag=True, help="Do not run `notes index` first.")
@click.option(
    "--allow-secret", "--allow-secrets", "allow_secrets", is_flag=True, help="Commit what looks like a key or token."
)
@click.pass_context
def commit(
    ctx: click.Context, message: str | None, push: bool, dry_run: bool, no_build: bool, allow_secrets: bool
) -> None:
    """Commit the notes (and push them), with a message that says what was learned.

    Runs `notes index` first so committed indexes are never stale, then stages what belongs to
    the workspace: Markdown notes, images, cheat sheets, templates, README, notes.toml and the
    .vscode/ files init wrote; never
    the cache folder, editor temp, swap or backup files, anything .gitignore excludes, or a file
    over `max_file_mb`. Without -m the message is written from the change:

    \b
    Notes for 11: Pods, Services and ingress     (new or changed sections)
    Notes for 11.3: ...                          (third video of a note with several)
    Notes for 3, 4: ...                          (several lessons)
    Update indexes                               (only generated parts changed)
    Start the notes of COURSE                    (the first commit of a new course)

    --push pushes fast-forward only; when the remote moved on it fetches and rebases if that
    applies cleanly, else it stops with your commit kept. It never forces.

    What is staged is scanned first: a private key (PGP too), a GitHub token or an AWS key in
    any staged file stops the commit with its path:line, nothing committed and the index as it
    was (--allow-secret commits it anyway).
    """
    from notes_tool.features import commit as commit_mod

    ws = workspace(ctx)
    result = commit_mod.run_commit(
        ws, message, push=push, dry_run=dry_run, build=not no_build, allow_secrets=allow_secrets
    )
    for problem in result.build_problems:
        warn(problem)
    skipped = result.plan.skipped
    listed = skipped if len(skipped) <= SHOWN_SKIPPED else skipped[: SHOWN_SKIPPED - 1]
    for path in listed:
        warn(f"not staged (not part of the notes): {path}")
    if len(listed) < len(skipped):
        warn(f"not staged (not part of the notes): {len(skipped) - len(listed)} more files (`git status` lists them)")
    if not result.plan.files:
        say("nothing to commit", err=True)
        if result.pushed is not None:
            say(f"pushed the commits waiting to {result.pushed.remote}/{result.pushed.branch}", err=True)
        return
    if dry_run:
        say_lines(result.plan.message + "\n")
        return
    say(f"[{(result.sha or '')[:7]}] {result.plan.subject}", err=True)
    if result.pushed is not None:
        how = " after rebasing onto it" if result.pushed.rebased else ""
        say(f"pushed to {result.pushed.remote}/{result.pushed.branch}{how}", err=True)


@cli.group()
def cheats() -> None:
    """Cheat sheets pulled out of your notes, and published as gists.

    Mark a snippet with `cheat=NAME` after a fence's language (```bash cheat=git
    title="Undo the last commit"), or put prose and code between `<!-- cheat: NAME "Title" -->`
    and `<!-- /cheat -->`. Both are invisible on GitHub.
    """


@cheats.command("export")
@click.option("--check", is_flag=True, help="Write nothing; list stale sheets and exit 1 if any.")
@click.pass_context
def cheats_export(ctx: click.Context, check: bool) -> None:
    """Write cheatsheets/NAME.md for every sheet the notes mark.

    Snippets are grouped by lesson (notes outside the lessons after them, under their own
    titles), each with its caption and a source line linking to the
    note's heading (absolute on GitHub when the repository's URL is known) and to the video
    moment. Your introduction around the generated region is kept. A sheet whose snippets are
    all gone is deleted, unless you wrote in it: then it is kept, empty, with a warning. A
    note that does not parse keeps the snippets it last had (none is deleted while it fails).
    """
    from notes_tool.features import sheets as cheats_mod

    ws = workspace(ctx)
    with Progress("reading the notes") as progress:
        export = cheats_mod.plan_export(ws, progress)
    for problem in export.warnings:
        warn(problem)
    if check:
        for change in export.changes:
            say(f"{shown(change.path)}: stale ({change.action})")
        for problem in export.errors:
            warn(problem)
        if export.changes or export.errors:
            sys.exit(1)
        return
    from notes_tool.features import build

    done = build.export_sheets(ws, export)
    for change in done:
        what = {"create": "created", "update": "updated", "delete": "deleted (no snippets left)"}.get(
            change.action, "emptied (kept: you wrote in it)"
        )
        say(f"{shown(change.path)}: {what}", err=True)
    for problem in export.errors:
        warn(problem)
    if not done and not export.errors:
        say("cheat sheets up to date", err=True)
    if export.errors:
        sys.exit(1)


@cheats.command("publish")
@click.argument("names", nargs=-1)
@click.option("--to", "to", metavar="GIST", help="Attach an existing gist (id, URL or git URL) to the sheet.")
@click.option("--public", is_flag=True, help="Create the gist public (default: secret).")
@click.option("--dry-run", is_flag=True, help="Print what would change; touch nothing.")
@click.option("--force", is_flag=True, help="Publish even if the gist changed since the last publish.")
@click.option("--allow-secrets", is_flag=True, help="Publish snippets that look like keys or tokens.")
@click.pass_context
def cheats_publish(
    ctx: click.Context,
    names: tuple[str, ...],
    to: str | None,
    public: bool,
    dry_run: bool,
    force: bool,
    allow_secrets: bool,
) -> None:
    """Publish each cheat sheet (all, or NAMES) to its own gist.

    The first publish creates the gist through GitHub's API (token from GITHUB_TOKEN or GH_TOKEN,
    with the gist scope; GITHUB_API_URL for GitHub Enterprise) and records it in notes.toml
    under [gists]. Later publishes go over git, so history is kept. When the gist was edited
    since the last publish, it shows what changed there and exits 1, unless --force (which
    still only adds a commit: nothing in the gist's history is lost). Other files in the gist
    are left alone. The token is never written to disk or printed.
    """
    from notes_tool.features import build
    from notes_tool.features import publish as publish_mod

    ws = workspace(ctx)
    try:
        options = {"to": to, "public": public, "dry_run": dry_run, "force": force, "allow_secrets": allow_secrets}
        results = build.publish_sheets(ws, list(names), **options)
    except publish_mod.GistMoved as moved:
        say_lines(moved.changes + "\n")
        fail(str(moved))
    for result in results:
        if result.diff and dry_run:
            say_lines(result.diff + "\n")
        say(f"{result.name}: {result.action}" + (f" {result.url}" if result.url else ""), err=True)
        if result.dead_links:
            warn(
                f"{result.name}.md: {counted(result.dead_links, 'link')} "
                f"{'leads' if result.dead_links == 1 else 'lead'} to your notes by relative paths, which a gist "
                "cannot follow; set repo_url in notes.toml (or an `origin` remote on GitHub), then export again"
            )


@cli.command()
@click.option("--commit-after", type=click.FloatRange(min=1), metavar="SECONDS", help="Commit once quiet this long.")
@click.option("--push", is_flag=True, help="Push after each commit (with --commit-after).")
@click.option(
    "--screenshots",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder where screenshots land (default: screenshots_dir in notes.toml).",
)
@click.option("--quiet", is_flag=True, help="Print problems only, not a line per update.")
@click.pass_context
def watch(ctx: click.Context, commit_after: float | None, push: bool, screenshots: Path | None, quiet: bool) -> None:
    """Keep the notes consistent while you write (Ctrl-C to stop).

    On every save of a note: timestamps, its TOC and nav (neighbours' nav when a title changes),
    the course index, the cheat sheets and the search index follow, [[wikilinks]] are written
    out and links to a heading you reworded follow it, with one status line per update.
    Editors' temp, swap and backup files are ignored, bursts of events are coalesced,
    the tool's own writes never start a new round, and a file you saved again while it worked
    is never overwritten.

    --commit-after S commits (`notes commit`'s messages) once the notes have been quiet for S
    seconds; --push pushes after it. --screenshots DIR moves each new image there into images/
    as <lesson>_<nn>.png and links it at the end of the note you saved last (any note: one
    outside the lessons gives its path, images/wandb_01.png); VS Code's pasted
    image.png is renamed the same way and its link fixed.
    """
    import signal

    from notes_tool.watch.watcher import Watcher

    ws = workspace(ctx, lock=False)  # (the watcher locks each round, not its whole run)

    def status(line: str) -> None:
        if not quiet:
            say(line, err=True)

    def problem(line: str) -> None:
        say(line, err=True)

    watcher = Watcher(ws, status, commit_after=commit_after, push=push, screenshots=screenshots, problem=problem)

    def stop(signum: int, frame: object) -> None:
        watcher.stop()  # the round in progress finishes its writes first

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    watcher.run(lambda: say(f"watching {shown(ws.root)} (Ctrl-C to stop)", err=True))
    say("stopped", err=True)
