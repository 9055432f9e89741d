"""Commands that find things again: search, check."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from notes_tool.cli.app import (
    Progress,
    cli,
    fail,
    github_annotation,
    in_github_actions,
    say,
    say_json,
    shown,
    use_color,
    workspace,
)
from notes_tool.errors import counted

if TYPE_CHECKING:
    from notes_tool.features.check import Problem
    from notes_tool.structure.workspace import Workspace


@cli.command()
@click.argument("words", nargs=-1, required=True)
@click.option("--lesson", type=click.IntRange(0, 9999), help="Only this lesson's notes.")
@click.option("--code", "code_only", is_flag=True, help="Search code blocks only.")
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True, help="At most this many hits.")
@click.option("--json", "as_json", is_flag=True, help="A JSON list of hits on stdout (each with its kind).")
@click.option("--notes-only", is_flag=True, help="Only your notes, not what was said in the videos.")
@click.option("--video-only", is_flag=True, help="Only what was said in the videos (their transcripts).")
@click.pass_context
def search(
    ctx: click.Context,
    words: tuple[str, ...],
    lesson: int | None,
    code_only: bool,
    limit: int,
    as_json: bool,
    notes_only: bool,
    video_only: bool,
) -> None:
    """Find the sections of your notes that answer WORDS, with their video moments.

    Type a question as you would ask it: `spark groupby join`, `how do I keep postgres data
    when the container stops`. Words are stemmed ("volumes" finds "volume"); compounds match
    their other spellings (K-fold, kfold, k fold; groupBy, group by); common words are left
    out; a word your notes lack is split or corrected to the closest one they have (or one
    said in a video, from its stored transcript), and the answer says so. Sections holding
    the words come first, the rarer words weighing more, and a word in a section's heading
    (or a heading above it) twice as much as one it mentions in passing: "GROUP BY in Spark"
    comes before a Kafka section saying groupby, spark and join once each.
    FTS5 syntax is taken as written: "exact phrases", prefixes (dock*), AND / OR / NOT.

    Each hit shows the lesson and section, an excerpt (matches in bold on a terminal, plain
    when piped or with NO_COLOR set), path:line, and the video moment: the heading's time,
    else the video the section is about. The index lives in the cache folder and follows
    your edits.

    \b
    notes search volumes
    notes search spark groupby join
    notes search '"docker compose"' --lesson 2
    notes search 'pip*' --code --json
    """
    from notes_tool.features import search as search_mod
    from notes_tool.features.search_results import render

    ws = workspace(ctx, lock=False)  # (a lookup never waits for a watcher's round)
    with Progress("indexing for search") as progress:
        said = 0 if notes_only else (limit if video_only else search_mod.SAID)
        text = " ".join(words)
        answer = search_mod.ask(ws, text, lesson, code_only, limit, progress, said=said, notes=not video_only)
    for line in answer.said:
        say(line, err=True)
    if as_json:
        say_json([h.as_json() for h in answer.hits])
        return
    if not answer.hits:
        fail("no matches")
    click.echo(render(answer.hits, ws.root, use_color(sys.stdout)), nl=False)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="A JSON list of problems on stdout (for editors and scripts).")
@click.pass_context
def check(ctx: click.Context, paths: tuple[Path, ...], as_json: bool) -> None:
    """Check links and anchors in PATHs (default: the workspace).

    Works on any folder of Markdown (outside a workspace, name it: `notes check .`): relative
    links and images to missing files (names compared exactly, as GitHub does, with the closest
    name there), and #anchors that no
    heading of the target note has. External URLs are not fetched. Inside a workspace it also
    reports stale generated regions, timestamped headings with no video, duplicate lesson
    numbers, hand-made TOCs that `notes index --adopt` could manage, and [[wikilinks]] left
    as typed (ambiguous or naming nothing, with their candidates). One line per problem
    (`path:line: message`); exit 1 if any is an error.

    --json prints a list of {path, line, severity, message} instead. In GitHub Actions
    (GITHUB_ACTIONS=true) each problem is also a workflow annotation, shown on the diff.
    A note unchanged since the tool last read it is not parsed again.
    """
    from notes_tool.features import check as links

    ws = _workspace_unless_paths(ctx, paths)
    roots = list(paths) or [ws.root] if ws is not None else list(paths)
    with Progress("checking") as progress:
        problems = links.run_check(roots, ws, progress)
    if as_json:
        say_json([_as_json(problem) for problem in problems])
    annotate = in_github_actions()
    for problem in problems:
        _say_problem(problem, not as_json, annotate)
    errors = sum(1 for p in problems if p.error)
    if problems:
        say(f"{counted(errors, 'error')}, {counted(len(problems) - errors, 'warning')}", err=True)
    if errors:
        sys.exit(1)


def _workspace_unless_paths(ctx: click.Context, paths: tuple[Path, ...]) -> Workspace | None:
    """The workspace; outside one, None when PATHs name what to check (else exit 2)."""
    from notes_tool.errors import WorkspaceNotFound

    try:
        return workspace(ctx)
    except WorkspaceNotFound as exc:
        if not paths:  # (not every folder below this one: that may be a whole home folder)
            fail(f"{exc.message}; or name what to check: `notes check .` for this folder", 2)
        return None


def _say_problem(problem: Problem, line: bool, annotate: bool) -> None:
    """A problem as a ``path:line: message`` line, and as a GitHub Actions annotation."""
    if line:
        where = shown(problem.path) + (f":{problem.line}" if problem.line else "")
        say(f"{where}: {'' if problem.error else 'warning: '}{problem.message}")
    if annotate:
        severity = "error" if problem.error else "warning"
        click.echo(github_annotation(severity, problem.path, problem.line, problem.message))


def _as_json(problem: Problem) -> dict[str, object]:
    return {
        "path": shown(problem.path),
        "line": problem.line,
        "severity": "error" if problem.error else "warning",
        "message": problem.message,
    }


@cli.command()
@click.pass_context
def status(ctx: click.Context) -> None:
    """The course at a glance: what is there, and what the other commands would say.

    Each lesson note in order, with its transcripts and how many of its sections have a moment
    in the video (typed or stamped); the notes with no place in the outline;
    transcripts whose note is gone; the cheat sheets and which are published; the files
    `notes index` or `notes cheats export` would rewrite; how many errors and warnings
    `notes check` finds; and what `notes commit` would commit. Writes nothing (but caches).
    """
    from notes_tool.features import status as status_mod

    ws = workspace(ctx)
    with Progress("reading the course"):
        found = status_mod.status(ws)
    for line in status_mod.render(found, shown):
        say(line)
