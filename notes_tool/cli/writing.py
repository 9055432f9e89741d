"""Commands that write notes: init, new, index, chapters."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from notes_tool.cli.app import (
    Progress,
    activate_hint,
    cli,
    fail,
    github_annotation,
    in_github_actions,
    notes_command,
    paint,
    report_index,
    say,
    say_lines,
    shown,
    warn,
    web_location,
    workspace,
)
from notes_tool.errors import NotesError
from notes_tool.printable import one_line

if TYPE_CHECKING:
    from notes_tool.structure.workspace import Workspace


@cli.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--course", help="The course title (default: from the folder name).")
@click.option(
    "--example",
    is_flag=True,
    help="Fill DIRECTORY with the built-in example course and build its indexes.",
)
@click.option("--vscode", is_flag=True, help="Set VS Code up in an existing workspace (a new one gets it anyway).")
@click.option("--github-actions", is_flag=True, help="Add a workflow that checks the notes on every push.")
def init(directory: Path | None, course: str | None, example: bool, vscode: bool, github_actions: bool) -> None:
    """Create a course workspace in DIRECTORY (default: here), or adopt one.

    Creates what is missing: notes.toml (commented settings), README.md with the course
    index region, images/, a .gitignore for the cache folder, and a git repository unless
    DIRECTORY is already inside one. Existing files are never changed; running it twice is safe.
    In a course repository whose lesson notes sit in a subfolder (notes/), or whose README's
    lesson list leads into one (docs/01-Intro/, docs/02-Pods/), notes_dir points there.
    In a course whose notes are not named NN_slug.md (lesson folders with a README.md,
    Lesson1.md, module6a.md, week-02-x/), the lessons it finds (from the README's list, else
    numbered names) are written into notes.toml as `lessons`, to read and correct; notes of
    which none is a lesson (topic notes) are said to be that, and stay notes.

    A new workspace (or --vscode) gets a .vscode/ folder: a task that runs `notes watch` when
    the folder opens, settings (pasted images into images/, the cache folder hidden, Markdown
    All in One's own TOC-on-save off) and a timestamped-heading snippet. Your own VS Code files
    are merged into, never overwritten: what was added is listed. --github-actions writes
    .github/workflows/notes.yml, running `notes index --check` and `notes check`; it installs
    notes_tool as `install` in notes.toml says, else from where this copy was installed (a
    git URL and commit pip recorded); when neither is known, it says what to set instead.

    --example builds and commits the example course (when git knows who you are) and prints
    a command to try it that works as printed.
    """
    from notes_tool.features import init as init_mod

    target = directory or Path.cwd()
    if example:
        if directory is None:
            fail("--example needs a DIRECTORY to create, e.g. `notes init --example demo-course`", 2)
        init_mod.copy_example(target)
    result = init_mod.init(
        target, course, vscode=vscode or None, github_actions=github_actions, new_course=True if example else None
    )
    if result.existed:
        where = "this folder" if target.resolve() == Path.cwd().resolve() else shown(target)
        added = "" if result.created else "; nothing added"
        say(f"{where} is already set up (notes.toml is there){added}", err=True)
    for path in result.created:
        say(f"created {shown(path)}", err=True)
    for note in result.notes:
        say(note, err=True)
    if example:
        _build_example(target)
    for problem in result.failed:
        click.echo(paint(one_line(problem), "red"), err=True)
    if result.failed:
        sys.exit(1)


def _build_example(target: Path) -> None:
    """Index the example course, commit it, and say how to try it with a command that runs."""
    from notes_tool.features import commit
    from notes_tool.features.refresh import refresh
    from notes_tool.structure.workspace import open_workspace

    ws = open_workspace(target, find_location=web_location)
    built = refresh(ws)
    for problem in built.export.errors:
        warn(problem)
    report_index(built.changed, built.outcome)
    try:
        commit.run_commit(ws, build=False)
    except NotesError as exc:
        warn(f"the example is not committed: {exc.message}")
    where = shown(target)
    notes = notes_command()
    say(f"example course ready in {where}; try: cd {shlex.quote(where)} && {notes} search volumes", err=True)
    if notes != "notes":
        say(f"(`notes` is not on your PATH: {activate_hint()})", err=True)


@cli.command()
@click.argument("title")
@click.option("--url", help="The video's URL (stored in the front matter as `video`).")
@click.option("--lesson", type=click.IntRange(0, 9999), help="Use this lesson number (default: the next free one).")
@click.option(
    "--after", type=click.IntRange(0, 9999), metavar="N", help="Make the next extra note of lesson N (05b_...)."
)
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

    In a course named its own way the note follows its naming: module7.md after module6b.md,
    a lesson folder with its README.md in a course of folders, an extra in its lesson's folder.
    """
    from notes_tool.features import build

    if lesson is not None and after is not None:
        fail("give either --lesson or --after, not both", 2)
    ws = workspace(ctx)
    path, outcome = build.new_note(ws, title, url=url, lesson=lesson, after=after, template=template)
    for problem in outcome.errors + outcome.warnings:
        warn(problem)
    say(str(path))
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
    help="First take over hand-made TOCs (and doctoc / markdown-toc markers) and add missing regions; "
    "with --check, print the diff it would write instead.",
)
@click.pass_context
def index(ctx: click.Context, paths: tuple[Path, ...], check: bool, adopt: bool) -> None:
    """Regenerate the course index, and each note's timestamps, TOC and navigation.

    Only the generated regions change (between `<!-- notes:NAME -->` and
    `<!-- /notes:NAME -->` lines), the time links of timestamped headings and the links below;
    every other byte of a note stays as it is. With PATHs, only those notes are updated (the course index always
    is). Unchanged notes are not parsed again (a cache in the workspace's cache folder), and a
    second run changes nothing. Once a search has made the search index, it is kept up to date
    from the same reading of the notes.

    [[Heading]], [[Note title]], [[02]], [[02#Heading]] and [[Heading|label]] are written out
    as Markdown links with GitHub's anchors (an ambiguous or unknown one is left as typed and
    named), and every link in the workspace to a heading whose anchor changed since the last
    run (reworded, a time typed into it) is rewritten to the new anchor.

    --adopt takes over, once, what notes_tool can manage in notes it did not create: a
    hand-made table of contents (a "Table of contents" heading followed by a list of #anchor
    links), doctoc or markdown-toc markers, and missing TOC, nav and index regions. Hand-made
    navigation links are never removed.
    """
    ws = workspace(ctx)
    if adopt and check:  # a preview: the diff adopt would write, nothing written
        _preview_adoption(ws)
    told = _adopt(ws) if adopt else set()
    if check:
        _check_index(ws, list(paths) or None)
    else:
        _refresh_index(ws, list(paths) or None, told)


def _preview_adoption(ws: Workspace) -> NoReturn:
    """Print the diff ``--adopt`` would write; exit 1 if it would write any (or cannot)."""
    from notes_tool.features import build

    diff, messages, problems = build.preview_adoption(ws)
    say_lines(diff)
    for message in messages:
        warn(message)
    for problem in problems:
        warn(problem)
    sys.exit(1 if diff or problems else 0)


def _adopt(ws: Workspace) -> set[str]:
    """Adopt every note, saying what was taken over; the errors said (not to say them twice)."""
    from notes_tool.features import build, index_changes

    adoption, messages = build.adopt_all(ws)
    report_index(index_changes.write(adoption), adoption, quiet_if_none=True)
    for message in messages:
        warn(message)
    return {str(problem) for problem in adoption.errors}


def _refresh_index(ws: Workspace, paths: list[Path] | None, told: set[str]) -> None:
    """Bring the notes up to date and say what was written; exit 1 on an error."""
    from notes_tool.features.refresh import refresh

    with Progress("indexing") as progress:
        done = refresh(ws, paths, cheats=False, progress=progress)
    done.outcome.errors = [e for e in done.outcome.errors if str(e) not in told]  # (adopt said these)
    report_index(done.written, done.outcome)
    if done.outcome.errors:
        sys.exit(1)


def _check_index(ws: Workspace, paths: list[Path] | None) -> None:
    """List the stale notes (as GitHub annotations too, in GitHub Actions); exit 1 if any, or on an error."""
    from notes_tool.features import index as index_mod
    from notes_tool.features import index_changes

    with Progress("indexing") as progress:
        outcome = index_mod.plan(ws, paths, progress=progress)
    annotate = in_github_actions()
    for change in outcome.changes:
        say(f"{shown(change.path)}: stale {', '.join(change.parts)}")
        if annotate:
            stale = f"generated parts are stale ({', '.join(change.parts)}); run `notes index`"
            click.echo(github_annotation("error", change.path, None, stale))
    for problem in outcome.errors if annotate else []:
        click.echo(github_annotation("error", problem.path, problem.line, problem.message))
    for problem in outcome.errors + outcome.warnings:
        warn(problem)
    index_changes.save(outcome)
    if outcome.changes or outcome.errors:
        sys.exit(1)


@cli.command()
@click.argument("note", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--video",
    default="1",
    show_default=True,
    help="Which of the note's videos: its number (1 is the first), id or URL.",
)
@click.option("--force", is_flag=True, help="Print the chapters even if YouTube would reject them.")
def chapters(note: Path, video: str, force: bool) -> None:
    """Print YouTube chapters from NOTE's timestamped headings.

    One `M:SS Title` line per heading of the chosen video, ready to paste into the video's
    description. YouTube wants the first chapter at 0:00, at least 3 chapters, times going up
    and each chapter at least 10 seconds long: when a rule breaks, the command says which and
    exits 1 (print anyway with --force). When the first timestamped heading is later than
    0:00, a first chapter `0:00 <note title>` is added. Videos are numbered in the order they
    appear: the front matter's `video` first, then video links in the text; --video also
    takes a video's id or URL, as `notes transcript` does.
    """
    from notes_tool.features.transcripts import which_video
    from notes_tool.generate import timestamps
    from notes_tool.model import document

    parsed, _ = document.load(note)
    number = which_video(note, video)[0] if not video.strip().isdigit() else int(video)
    result = timestamps.chapters(parsed, number)
    if result.problems and not force:
        for problem in result.problems:
            say(f"{shown(note)}: {problem}", err=True)
        sys.exit(1)
    for problem in result.problems:
        warn(f"{shown(note)}: {problem} (printed anyway: --force)")
    say_lines("".join(line + "\n" for line in result.lines))
