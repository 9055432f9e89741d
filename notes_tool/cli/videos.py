"""Commands for the videos themselves: their transcripts."""

from __future__ import annotations

from pathlib import Path

import click

from notes_tool.cli.app import Progress, cli, fail, say, say_json, say_lines, shown, workspace
from notes_tool.model.timecode import format_seconds

VIDEO_HELP = "Which of the note's videos: its number (1 is the first), its id or its URL."
REPLACE_HELP = "Replace a different transcript already stored for that video (your edits to it are lost)."


@cli.group()
def transcript() -> None:
    """Transcripts of your notes' videos, kept beside the notes.

    A transcript is stored once, as transcripts/NOTE.vN.txt in the notes folder: one
    `M:SS words` line per phrase, readable and diffable, committed with the notes.
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
    SRT, or the JSON youtube-transcript-api prints.

    \b
    notes transcript add 02_docker-and-postgres.md ~/Downloads/transcript.txt
    notes transcript add 02_docker-and-postgres.md 2JM-ziJt0WI.en.vtt --video 2
    """
    from notes_tool.features import transcripts

    ws = workspace(ctx)
    path, count = transcripts.add(ws, note, source, video, replace)
    say(f"{shown(path)}: {count} phrases", err=True)


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

    Online, and needs the youtube extra: pip install "notes_tool[youtube]". A transcript made by
    a person is taken before YouTube's automatic one. YouTube often refuses cloud machines and
    VPNs: then copy the transcript from the video's "Show transcript" panel and use `add`.

    
    notes transcript fetch 02_docker-and-postgres.md
    notes transcript fetch 02_docker-and-postgres.md --video 2 --language de --language en
    """
    from notes_tool.features import transcripts

    ws = workspace(ctx)
    path, count = transcripts.fetch(ws, note, video, languages, replace)
    say(f"{shown(path)}: {count} phrases", err=True)


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
@click.option(
    "--min-confidence", type=click.FloatRange(0, 1), default=0.5, show_default=True, help="Stamp only as sure as this."
)
@click.pass_context
def stamp(
    ctx: click.Context, notes: tuple[Path, ...], every: bool, dry_run: bool, as_json: bool, min_confidence: float
) -> None:
    """Write each section's moment in the video into its heading, found in the transcript.

    Only headings with no time get one (`## Volumes` becomes `## 6:12 Volumes`, which
    `notes index` then links); typed times are facts the rest is fitted around, and a section
    the video never covers (your own research) gets none. --dry-run lists every section with
    the moment found and how sure it is; running it again changes nothing.

    \b
    notes stamp 02_docker-and-postgres.md --dry-run
    notes stamp --all
    """
    from notes_tool.features import build, transcripts

    ws = workspace(ctx)
    if every:
        notes = tuple(f.path for f in ws.lesson_files() if transcripts.has_any(ws, f.path))
    if not notes:
        fail("name the notes to stamp, or --all for every note with a transcript", 2)
    with Progress("stamping") as progress:
        stamped = build.stamp_notes(ws, list(notes), dry_run or as_json, min_confidence, progress)
    found = dict(zip(notes, stamped, strict=True))
    if as_json:
        listed = [{"note": shown(note), **row.as_json()} for note, rows in found.items() for row in rows]
        say_json(listed)
        return
    for note, rows in found.items():
        say(f"{shown(note)}:")
        for row in rows:
            moment = format_seconds(row.seconds) if row.seconds is not None else "-"
            say(f"  {row.line:5d}  {moment:>8}  {row.confidence:4.2f}  {row.heading}  ({row.reason})")
        moved = [row for row in rows if row.anchor != row.anchor_before]
        if moved:
            first, count = moved[0], len(moved)
            say(
                f"{shown(note)}: with its time, a heading's anchor changes (#{first.anchor_before} is "
                f"{'now ' if not (dry_run or as_json) else ''}#{first.anchor}"
                f"{f', and {count - 1} more' if count > 1 else ''}); links to the old ones "
                f"{'would follow' if dry_run or as_json else 'follow'}",
                err=True,
            )
