"""Commands for the videos themselves: their transcripts."""

from __future__ import annotations

from pathlib import Path

import click

from notes_tool.cli.app import cli, shown, workspace


@cli.group()
def transcript() -> None:
    """Transcripts of your notes' videos, kept beside the notes.

    A transcript is stored once, as transcripts/NOTE.vN.txt in the notes folder: one
    `M:SS words` line per phrase, readable and diffable, committed with the notes.
    """


@transcript.command("add")
@click.argument("note", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--video", type=click.IntRange(1, 99), default=1, show_default=True, help="Which of the note's videos.")
@click.pass_context
def transcript_add(ctx: click.Context, note: Path, source: Path, video: int) -> None:
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
    path, count = transcripts.add(ws, note, source, video)
    click.echo(f"{shown(path)}: {count} phrases", err=True)
