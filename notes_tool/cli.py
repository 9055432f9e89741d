"""The ``notes`` command: parses arguments, calls the library, prints. Nothing else.

Results go to stdout, status and problems to stderr. Library errors become one line
(``path:line: what is wrong``) and exit status 1. Library modules are imported inside the commands
so that ``notes --help`` stays fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from notes_tool import __version__
from notes_tool.errors import NotesError


class Failure(click.ClickException):
    """A library error, shown as its own one-line message (no "Error:" prefix); exit status 1."""

    def show(self, file: Any = None) -> None:
        click.echo(self.message, err=True)


class UsageFailure(Failure):
    """Options that do not go together: exit status 2, as click's own usage errors."""

    exit_code = 2


def fail(message: str, code: int = 1) -> NoReturn:
    raise (UsageFailure if code == 2 else Failure)(message)


class NotesGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NotesError as exc:
            fail(str(exc))
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)


SHOWN_SKIPPED = 5
"""``notes commit`` names at most this many files it leaves unstaged (a course repo has many)."""


def warn(exc: Exception | str) -> None:
    click.echo(f"warning: {exc}" if isinstance(exc, str) else str(exc), err=True)


def workspace(ctx: click.Context) -> Any:
    from notes_tool.workspace import open_workspace

    explicit = ctx.find_root().params.get("workspace")
    return open_workspace(Path(explicit) if explicit else None)


@click.group(cls=NotesGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="notes")
@click.option(
    "-w",
    "--workspace",
    type=click.Path(file_okay=False, path_type=Path),
    help="The course workspace (default: the folder holding notes.toml, here or above; or $NOTES_WORKSPACE).",
)
def cli(workspace: Path | None) -> None:
    """Study notes for online courses, kept consistent while you write.

    Headings typed as `## 12:34 Topic` become links to that moment of the video; every note
    gets a table of contents with GitHub's exact anchors and previous/next links; the course
    README keeps an index of all lessons; marked snippets become cheat sheets (and gists);
    `notes search` finds any section again, with its video moment.

    \b
    notes init dataeng --course "Data Engineering Zoomcamp" && cd dataeng
    code "$(notes new "Docker and Postgres" --url https://youtu.be/2JM-ziJt0WI)"
    notes watch --commit-after 300     # everything follows each save
    """


@cli.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--course", help="The course title (default: from the folder name).")
@click.option(
    "--example",
    is_flag=True,
    help="Fill DIRECTORY with the built-in example course and build its indexes.",
)
def init(directory: Path | None, course: str | None, example: bool) -> None:
    """Create a course workspace in DIRECTORY (default: here), or adopt one.

    Creates what is missing: notes.toml (commented settings), README.md with the course
    index region, images/, a .gitignore for the cache folder, and a git repository unless
    DIRECTORY is already inside one. Existing files are never changed; running it twice is safe.
    In a course repository whose lesson notes sit in a subfolder (notes/), notes_dir points there.
    """
    from notes_tool import init as init_mod

    target = directory or Path.cwd()
    if example:
        if directory is None:
            fail("--example needs a DIRECTORY to create, e.g. `notes init --example demo-course`", 2)
        init_mod.copy_example(target)
    result = init_mod.init(target, course)
    for path in result.created:
        click.echo(f"created {_shown(path)}", err=True)
    for note in result.notes:
        warn(note)
    if example:
        from notes_tool import index as index_mod
        from notes_tool.workspace import open_workspace

        built = index_mod.build(open_workspace(target))
        for problem in built.export.errors:
            warn(problem)
        _report_index(built.written, built.outcome)
        shown = _shown(target)
        click.echo(f"example course ready in {shown}; try: cd {shown} && notes search volumes", err=True)


@cli.command()
@click.argument("title")
@click.option("--url", help="The video's URL (stored in the front matter as `video`).")
@click.option("--lesson", type=int, help="Use this lesson number (default: the next free one).")
@click.option("--after", type=int, metavar="N", help="Make the next extra note of lesson N (05b_...).")
@click.option("--template", help="Template name: templates/NAME.md.j2 in the workspace, or built-in.")
@click.option("--open", "open_editor", is_flag=True, help="Then open it in $VISUAL, $EDITOR or VS Code (`code`).")
@click.pass_context
def new(
    ctx: click.Context,
    title: str,
    url: str | None,
    lesson: int | None,
    after: int | None,
    template: str | None,
    open_editor: bool,
) -> None:
    """Start the note for a video; print its path (and nothing else) on stdout.

    \b
    notes new "Docker and Postgres" --url https://youtu.be/2JM-ziJt0WI
    code "$(notes new "Introduction")"
    notes new "Virtual environments" --after 1      # extra under lesson 1: 01b_...
    """
    from notes_tool import index as index_mod
    from notes_tool import newnote

    if lesson is not None and after is not None:
        fail("give either --lesson or --after, not both", 2)
    ws = workspace(ctx)
    path = newnote.create(ws, title, url=url, lesson=lesson, after=after, template=template)
    outcome = index_mod.plan(ws)
    index_mod.write(outcome)
    for problem in outcome.errors + outcome.warnings:
        warn(problem)
    click.echo(str(path))
    if open_editor:
        _open_in_editor(path)


def _open_in_editor(path: Path) -> None:
    import shlex
    import shutil
    import subprocess

    command = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    args = shlex.split(command, posix=os.name != "nt") if command else None
    if not args:
        code = shutil.which("code")
        if code is None:
            warn("no editor to open: set $VISUAL or $EDITOR, or install VS Code's `code` command")
            return
        args = [code]
    try:
        # Wait: a terminal editor ($EDITOR=vim) needs the terminal; VS Code's `code` returns at once.
        subprocess.run([*args, str(path)], check=False)
    except OSError as exc:
        warn(f"cannot start the editor {args[0]!r}: {exc.strerror}")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--check", is_flag=True, help="Write nothing; list stale files and exit 1 if any.")
@click.option(
    "--adopt",
    is_flag=True,
    help="First take over hand-made TOCs (and doctoc / markdown-toc markers) and add missing regions.",
)
@click.pass_context
def index(ctx: click.Context, paths: tuple[Path, ...], check: bool, adopt: bool) -> None:
    """Regenerate the course index, and each note's timestamps, TOC and navigation.

    Only the generated regions change (between `<!-- notes:NAME -->` and
    `<!-- /notes:NAME -->` lines) and the time links of timestamped headings; every other byte
    of a note stays as it is. With PATHs, only those notes are updated (the course index always
    is). Unchanged notes are not parsed again (a cache in the workspace's cache folder), and a
    second run changes nothing.

    --adopt takes over, once, what notes_tool can manage in notes it did not create: a
    hand-made table of contents (a "Table of contents" heading followed by a list of #anchor
    links), doctoc or markdown-toc markers, and missing TOC, nav and index regions. Hand-made
    navigation links are never removed.
    """
    from notes_tool import index as index_mod

    if check and adopt:
        fail("--adopt writes; it cannot be combined with --check", 2)
    ws = workspace(ctx)
    if adopt:
        adoption, messages = index_mod.adopt_all(ws)
        _report_index(index_mod.write(adoption), adoption, quiet_if_none=True)
        for message in messages:
            warn(message)
    with _Progress("indexing") as progress:
        outcome = index_mod.plan(ws, list(paths) or None, progress=progress)
    if check:
        for change in outcome.changes:
            click.echo(f"{_shown(change.path)}: stale {', '.join(change.parts)}")
        for problem in outcome.errors + outcome.warnings:
            warn(problem)
        index_mod.record(outcome)
        if outcome.changes or outcome.errors:
            sys.exit(1)
        return
    _report_index(index_mod.write(outcome), outcome)
    if outcome.errors:
        sys.exit(1)


class _Progress:
    """A one-line progress count on stderr, shown only on a terminal and after a second."""

    def __init__(self, label: str):
        import time

        self.label = label
        self.clock = time.monotonic
        self.start = self.clock()
        self.shown = False
        self.enabled = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or (not self.shown and self.clock() - self.start < 1.0):
            return
        self.shown = True
        click.echo(f"\r{self.label} {done}/{total}", err=True, nl=False)

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.shown:
            click.echo("\r\033[K", err=True, nl=False)


@cli.command()
@click.argument("note", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--video", "number", type=int, default=1, show_default=True, help="Which of the note's videos.")
@click.option("--force", is_flag=True, help="Print the chapters even if YouTube would reject them.")
def chapters(note: Path, number: int, force: bool) -> None:
    """Print YouTube chapters from NOTE's timestamped headings.

    One `M:SS Title` line per heading of the chosen video, ready to paste into the video's
    description. YouTube wants the first chapter at 0:00, at least 3 chapters, times going up
    and each chapter at least 10 seconds long: when a rule breaks, the command says which and
    exits 1 (print anyway with --force). When the first timestamped heading is later than
    0:00, a first chapter `0:00 <note title>` is added. Videos are numbered in the order they
    appear: the front matter's `video` first, then video links in the text.
    """
    from notes_tool import document, timestamps

    parsed, _ = document.load(note)
    result = timestamps.chapters(parsed, number)
    if result.problems and not force:
        for problem in result.problems:
            click.echo(f"{_shown(note)}: {problem}", err=True)
        sys.exit(1)
    for problem in result.problems:
        warn(f"{_shown(note)}: {problem} (printed anyway: --force)")
    click.echo("\n".join(result.lines))


@cli.command()
@click.option("-m", "--message", help="The commit message (default: written from the change).")
@click.option("--push", is_flag=True, help="Push to the upstream (else origin) after committing.")
@click.option("--dry-run", is_flag=True, help="Print the message and the files; change nothing.")
@click.option("--no-build", is_flag=True, help="Do not run `notes index` first.")
@click.pass_context
def commit(ctx: click.Context, message: str | None, push: bool, dry_run: bool, no_build: bool) -> None:
    """Commit the notes (and push them), with a message that says what was learned.

    Runs `notes index` first so committed indexes are never stale, then stages what belongs to
    the workspace: Markdown notes, images, cheat sheets, templates, README and notes.toml; never
    the cache folder, editor temp, swap or backup files, anything .gitignore excludes, or a file
    over `max_file_mb`. Without -m the message is written from the change:

    \b
    Notes for 11: Pods, Services and ingress     (new or changed sections)
    Notes for 11.3: ...                          (third video of a note with several)
    Notes for 3, 4: ...                          (several lessons)
    Update indexes                               (only generated parts changed)

    --push pushes fast-forward only; when the remote moved on it fetches and rebases if that
    applies cleanly, else it stops with your commit kept. It never forces.
    """
    from notes_tool import commit as commit_mod

    ws = workspace(ctx)
    result = commit_mod.run_commit(ws, message, push=push, dry_run=dry_run, build=not no_build)
    for problem in result.build_problems:
        warn(problem)
    skipped = result.plan.skipped
    shown = skipped if len(skipped) <= SHOWN_SKIPPED else skipped[: SHOWN_SKIPPED - 1]
    for path in shown:
        warn(f"not staged (not part of the notes): {path}")
    if len(shown) < len(skipped):
        warn(f"not staged (not part of the notes): {len(skipped) - len(shown)} more files (`git status` lists them)")
    if not result.plan.files:
        click.echo("nothing to commit", err=True)
        return
    if dry_run:
        click.echo(result.plan.message)
        return
    click.echo(f"[{(result.sha or '')[:7]}] {result.plan.subject}", err=True)
    if result.pushed is not None:
        how = " after rebasing onto it" if result.pushed.rebased else ""
        click.echo(f"pushed to {result.pushed.remote}/{result.pushed.branch}{how}", err=True)


@cli.command()
@click.argument("words", nargs=-1, required=True)
@click.option("--lesson", type=int, help="Only this lesson's notes.")
@click.option("--code", "code_only", is_flag=True, help="Search code blocks only.")
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True, help="At most this many hits.")
@click.option("--json", "as_json", is_flag=True, help="A JSON list of hits on stdout.")
@click.pass_context
def search(
    ctx: click.Context, words: tuple[str, ...], lesson: int | None, code_only: bool, limit: int, as_json: bool
) -> None:
    """Find sections of your notes, with the moment of the video they are about.

    WORDS use SQLite FTS5 syntax: words (stemmed: "volumes" finds "volume"), "exact phrases",
    prefixes (dock*), AND / OR / NOT. Headings weigh more than prose. Each hit shows the
    lesson and section, the time and video link when the heading is timestamped, a highlighted
    excerpt and path:line. The index lives in the cache folder and follows your edits.

    \b
    notes search volumes
    notes search '"docker compose"' --lesson 2
    notes search 'pip*' --code --json
    """
    import json

    from notes_tool import search as search_mod

    ws = workspace(ctx)
    hits = search_mod.search(ws, " ".join(words), lesson=lesson, code_only=code_only, limit=limit)
    if as_json:
        click.echo(json.dumps([h.as_json() for h in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        fail("no matches")
    click.echo(search_mod.render(hits, ws.root, sys.stdout.isatty()), nl=False)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.pass_context
def check(ctx: click.Context, paths: tuple[Path, ...]) -> None:
    """Check links and anchors in PATHs (default: the workspace, or this folder).

    Works on any folder of Markdown: relative links and images to missing files (exact case,
    as GitHub sees it), and #anchors that no heading of the target note has. External URLs are
    not fetched. Inside a workspace it also reports stale generated regions, timestamped
    headings with no video, duplicate lesson numbers, and hand-made TOCs that
    `notes index --adopt` could manage. One line per problem; exit 1 if any is an error.

    A note unchanged since the tool last read it (by index, watch, export or an earlier check)
    is not parsed again: what the check needs of it is kept in the cache folder.
    """
    from notes_tool import links
    from notes_tool.errors import WorkspaceNotFound

    try:
        ws = workspace(ctx)
    except WorkspaceNotFound:
        ws = None
    roots = list(paths) or [ws.root if ws is not None else Path.cwd()]
    problems = links.run_check(roots, ws)
    for problem in problems:
        where = _shown(problem.path) + (f":{problem.line}" if problem.line else "")
        label = "" if problem.error else "warning: "
        click.echo(f"{where}: {label}{problem.message}")
    errors = sum(1 for p in problems if p.error)
    if problems:
        click.echo(f"{errors} error(s), {len(problems) - errors} warning(s)", err=True)
    if errors:
        sys.exit(1)


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

    Snippets are grouped by lesson, each with its caption and a source line linking to the
    note's heading (absolute on GitHub when the repository's URL is known) and to the video
    moment. Your introduction around the generated region is kept. A sheet whose snippets are
    all gone is deleted, unless you wrote in it: then it is kept, empty, with a warning.
    """
    from notes_tool import cheats as cheats_mod

    ws = workspace(ctx)
    export = cheats_mod.plan_export(ws)
    for problem in export.warnings:
        warn(problem)
    if check:
        for change in export.changes:
            click.echo(f"{_shown(change.path)}: stale ({change.action})")
        for problem in export.errors:
            warn(problem)
        if export.changes or export.errors:
            sys.exit(1)
        return
    done = cheats_mod.write_export(export)
    for change in done:
        what = {"create": "created", "update": "updated", "delete": "deleted (no snippets left)"}.get(
            change.action, "emptied (kept: you wrote in it)"
        )
        click.echo(f"{_shown(change.path)}: {what}", err=True)
    for problem in export.errors:
        warn(problem)
    if any(change.lists_change for change in done):
        from notes_tool import index as index_mod

        index_mod.write(index_mod.plan(ws))  # the course index lists the sheets
    if not done and not export.errors:
        click.echo("cheat sheets up to date", err=True)
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
    from notes_tool import publish as publish_mod

    ws = workspace(ctx)
    try:
        results = publish_mod.publish(ws, list(names), to, public, dry_run, force, allow_secrets)
    except publish_mod.GistMoved as moved:
        click.echo(moved.changes)
        fail(str(moved))
    for result in results:
        if result.diff and dry_run:
            click.echo(result.diff)
        click.echo(f"{result.name}: {result.action}" + (f" {result.url}" if result.url else ""), err=True)
    if not dry_run and any(r.action == "created" for r in results):
        from notes_tool import index as index_mod
        from notes_tool.workspace import open_workspace

        fresh = open_workspace(ws.root)  # reloaded: notes.toml now records the gists
        index_mod.write(index_mod.plan(fresh))


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
    the course index, the cheat sheets and the search index follow, with one status line per
    update. Editors' temp, swap and backup files are ignored, bursts of events are coalesced,
    the tool's own writes never start a new round, and a file you saved again while it worked
    is never overwritten.

    --commit-after S commits (`notes commit`'s messages) once the notes have been quiet for S
    seconds; --push pushes after it. --screenshots DIR moves each new image there into images/
    as <lesson>_<nn>.png and links it at the end of the note you saved last; VS Code's pasted
    image.png is renamed the same way and its link fixed.
    """
    import signal

    from notes_tool.watch import Watcher

    ws = workspace(ctx)

    def status(line: str) -> None:
        if not quiet:
            click.echo(line, err=True)

    def problem(line: str) -> None:
        click.echo(line, err=True)

    watcher = Watcher(ws, status, commit_after=commit_after, push=push, screenshots=screenshots, problem=problem)

    def stop(signum: int, frame: object) -> None:
        watcher.stop()  # the round in progress finishes its writes first

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    watcher.run(lambda: click.echo(f"watching {_shown(ws.root)} (Ctrl-C to stop)", err=True))
    click.echo("stopped", err=True)


def _report_index(written: list[Any], outcome: Any, quiet_if_none: bool = False) -> None:
    for change in written:
        click.echo(f"{_shown(change.path)}: {', '.join(change.parts)}", err=True)
    for problem in outcome.errors + outcome.warnings:
        warn(problem)
    if not written and not outcome.errors and not quiet_if_none:
        click.echo("everything up to date", err=True)


def _shown(path: Path) -> str:
    from notes_tool.errors import display_path

    return display_path(path)


def main() -> None:
    cli(prog_name="notes")
