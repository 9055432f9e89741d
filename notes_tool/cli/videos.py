"""Commands for the videos themselves: their transcripts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from notes_tool.cli.app import Progress, cli, fail, say, say_json, say_lines, shown, warn, workspace
from notes_tool.errors import counted
from notes_tool.model.timecode import format_seconds

if TYPE_CHECKING:
    from notes_tool.features.stamp import Row
    from notes_tool.structure.workspace import Workspace

VIDEO_HELP = "Which of the note's videos: its number (1 is the first), its id or its URL."
REPLACE_HELP = "Replace a different transcript already stored for that video (your edits to it are lost)."


@cli.group()
def transcript() -> None:
    """Transcripts of your notes' videos, kept beside the notes.

    A transcript is stored once, as transcripts/NOTE.vN.txt in the notes folder (NOTE:
    the note's path there, week1/README for week1/README.md): one `M:SS words` line per
    phrase, readable and diffable, committed with the notes.
    """


@transcript.command("add")
@click.argument("note", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--video", default="1", show_default=True, help=VIDEO_HELP)
@click.option("--replace", is_flag=True, help=REPLACE_HELP)
@click.pass_context
def transcript_add(ctx: click.Context, note: Path, source: Path, video: str, replace: bool) -> None:
    """Store SOURCE as the transcript of NOTE's video.

    SOURCE is text copied from YouTube's transcript panel (times and words; chapter titles and
    spoken time labels are left out), WebVTT (yt-dlp's auto-subs cleaned of repeated lines),
    SRT, or the JSON youtube-transcript-api prints. Times run from 0:00 to 99:59:59; a file
    over 16 MB is refused.

    \b
    notes transcript add 02_docker-and-postgres.md ~/Downloads/transcript.txt
    notes transcript add 02_docker-and-postgres.md 2JM-ziJt0WI.en.vtt --video 2
    """
    from notes_tool.features import transcripts

    ws = workspace(ctx)
    path, count = transcripts.add(ws, note, source, video, replace)
    say(f"{shown(path)}: {counted(count, 'phrase')}", err=True)


@transcript.command("fetch")
@click.argument("note", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--video", default="1", show_default=True, help=VIDEO_HELP)
@click.option(
    "--language",
    "languages",
    multiple=True,
    default=("en",),
    show_default=True,
    help="Language code; repeat to say which to try first.",
)
@click.option("--replace", is_flag=True, help=REPLACE_HELP)
@click.pass_context
def transcript_fetch(ctx: click.Context, note: Path, video: str, languages: tuple[str, ...], replace: bool) -> None:
    """Fetch the transcript of NOTE's YouTube video and store it as `add` does.

    Online, and needs the youtube extra (`pip install ".[youtube]"` in a clone, or
    youtube-transcript-api in notes' environment). A transcript made by a person is taken
    before YouTube's automatic one; a server silent for 30 s ends it. YouTube often refuses
    cloud machines and VPNs: then copy the transcript from the video's "Show transcript" panel
    and use `add`.

    
    notes transcript fetch 02_docker-and-postgres.md
    notes transcript fetch 02_docker-and-postgres.md --video 2 --language de --language en
    """
    from notes_tool.features import transcripts

    ws = workspace(ctx)
    path, count = transcripts.fetch(ws, note, video, languages, replace)
    say(f"{shown(path)}: {counted(count, 'phrase')}", err=True)


@transcript.command("remove")
@click.argument("note", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--video", default="1", show_default=True, help=VIDEO_HELP)
@click.pass_context
def transcript_remove(ctx: click.Context, note: Path, video: str) -> None:
    """Delete the stored transcript of NOTE's video (and its page, transcripts/NOTE.vN.md).

    NOTE may be gone already (a transcript its rename left behind: `notes check` names them);
    then name the video by its number. `notes commit` commits the deletion.

    \b
    notes transcript remove 02_docker-and-postgres.md
    notes transcript remove 05_old-name.md --video 2
    """
    from notes_tool.features import transcripts

    ws = workspace(ctx)
    for path in transcripts.remove(ws, note, video):
        say(f"removed {shown(path)}", err=True)


@transcript.command("show")
@click.argument("note", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--video", default="1", show_default=True, help=VIDEO_HELP)
@click.option("--write", is_flag=True, help="Write it beside the transcript (transcripts/NOTE.vN.md), not to stdout.")
@click.pass_context
def transcript_show(ctx: click.Context, note: Path, video: str, write: bool) -> None:
    """NOTE's stored transcript as Markdown that reads well on GitHub.

    Paragraphs open with their moment, a link into the video; the note's timed sections (typed
    or stamped) are headings where they start, each linking back to the note. With --write it
    goes to transcripts/NOTE.vN.md (rewritten only when it changed), to commit with the notes.
    """
    from notes_tool.features import transcripts

    ws = workspace(ctx)
    if write:
        path, changed = transcripts.write_page(ws, note, video)
        say(f"{shown(path)}: {'written' if changed else 'unchanged'}", err=True)
    else:
        say_lines(transcripts.page(ws, note, video)[1])


@cli.command()
@click.argument("notes", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--all", "every", is_flag=True, help="Every note with a transcript.")
@click.option("--dry-run", is_flag=True, help="Show what was found; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="A JSON list of what was found (implies --dry-run).")
@click.option("--redo", is_flag=True, help="Find stamp's own moments afresh (after you edited the note).")
@click.option("--clear", is_flag=True, help="Take stamp's own moments out of the headings.")
@click.option("--review", is_flag=True, help="Confirm, one key each, the moments not written (on a terminal).")
@click.option("--all-sections", is_flag=True, help="With --review: every section, not only those left to check.")
@click.option(
    "--min-confidence",
    type=click.FloatRange(0, 1),
    default=0.5,
    show_default=True,
    help="Write only as sure as this (with the other evidence agreeing).",
)
@click.pass_context
def stamp(
    ctx: click.Context,
    notes: tuple[Path, ...],
    every: bool,
    dry_run: bool,
    as_json: bool,
    redo: bool,
    clear: bool,
    review: bool,
    all_sections: bool,
    min_confidence: float,
) -> None:
    """Write each section's moment in the video into its heading, found in the transcript.

    Only headings with no time get one (`## Volumes` becomes `## 6:12 Volumes`, which
    `notes index` then links), and only when it is sure: two ways of finding it agree and no
    other place comes close. Typed times are facts the rest is fitted around; a section the
    video never covers (your own research) gets none. --dry-run lists every section: its
    moment, and whether it is written, to check (--review shows each with the transcript
    around it) or not in the video. Running it again changes nothing.

    In --review, Enter accepts the proposed moment, 1-3 take a candidate, , and . step a
    phrase earlier or later, t types a time, s skips, q quits; what you accepted is written.

    Stamp remembers which times it wrote (transcripts/NOTE.stamped.txt, committed with the
    notes): --redo finds those afresh after you edited the note, --clear takes them out. A time
    you typed or corrected is never moved.

    \b
    notes stamp 02_docker-and-postgres.md --dry-run
    notes stamp 02_docker-and-postgres.md --review
    notes stamp --all
    """
    from notes_tool.features import build

    ws = workspace(ctx)
    if every:
        found_notes, outside = build.notes_with_transcripts(ws)
        for warning in outside:
            warn(warning)
        notes = tuple(found_notes)
    _check_stamp_options(notes, redo, clear, review)
    if review:
        from notes_tool.cli.review import review_notes

        review_notes(ws, notes, all_sections, min_confidence)
        return
    if clear:
        _clear(ws, notes, dry_run or as_json, as_json)
        return
    with Progress("stamping") as progress:
        stamped = build.stamp_notes(ws, list(notes), dry_run or as_json, min_confidence, progress, redo)
    found = dict(zip(notes, stamped, strict=True))
    if as_json:
        _json(found)
        return
    for note, rows in found.items():
        _table(note, rows, dry_run)
        _say_anchors_moved(note, rows, dry_run)
        left = sum(row.reason == "check" for row in rows)
        if left:
            say(f"{shown(note)}: {left} to check: notes stamp {shown(note)} --review", err=True)


def _check_stamp_options(notes: tuple[Path, ...], redo: bool, clear: bool, review: bool) -> None:
    """Refuse (exit 2) no notes to stamp, and two of --redo, --clear and --review."""
    if not notes:
        fail("name the notes to stamp, or --all for every note with a transcript", 2)
    if sum((redo, clear, review)) > 1:
        fail("--redo, --clear and --review go one at a time", 2)


def _say_anchors_moved(note: Path, rows: list[Row], dry_run: bool) -> None:
    """That the headings given a time have new anchors, which links follow (or would)."""
    moved = [row for row in rows if row.anchor != row.anchor_before]
    if not moved:
        return
    first, count = moved[0], len(moved)
    more = f", and {count - 1} more" if count > 1 else ""
    say(
        f"{shown(note)}: with its time, a heading's anchor changes (#{first.anchor_before} is "
        f"{'' if dry_run else 'now '}#{first.anchor}{more}); links to the old ones "
        f"{'would follow' if dry_run else 'follow'}",
        err=True,
    )


SAID = {
    "stamped": ("written", "to write"),
    "stamped before": ("stamp's", "stamp's"),
    "typed": ("typed", "typed"),
    "check": ("check", "check"),
    "cleared": ("cleared", "to clear"),
}


def _table(note: Path, rows: list[Row], dry_run: bool) -> None:
    """One line per section, under column headers: its line, moment, what it means, heading."""
    said = [SAID.get(row.reason, (row.reason, row.reason))[dry_run] for row in rows]
    width = max([len("stamp"), *map(len, said)])
    say(f"{shown(note)}:")
    say(f"  {'line':>5}  {'moment':>8}  {'stamp':<{width}}  heading")
    for row, meaning in zip(rows, said, strict=True):
        moment = format_seconds(row.seconds) if row.seconds is not None else "-"
        say(f"  {row.line:5d}  {moment:>8}  {meaning:<{width}}  {row.heading}")


def _json(found: dict[Path, list[Row]]) -> None:
    say_json([{"note": shown(note), **row.as_json()} for note, rows in found.items() for row in rows])


def _clear(ws: Workspace, notes: tuple[Path, ...], dry_run: bool, as_json: bool) -> None:
    from notes_tool.features import build

    cleared = dict(zip(notes, build.clear_notes(ws, list(notes), dry_run), strict=True))
    if as_json:
        _json(cleared)
        return
    for note, rows in cleared.items():
        _table(note, rows, dry_run)
