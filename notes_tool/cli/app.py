"""The ``notes`` group and what every command shares: errors, warnings, progress, paths shown.

Results go to stdout, status and problems to stderr. Library errors become one line
(``path:line: what is wrong``) and exit status 1. Everything printed goes through :func:`say`
(or :func:`warn`, :func:`fail`): one line each, control characters shown as escapes
(:mod:`notes_tool.printable`), so no file name, anchor or title can break a line, start a
GitHub workflow command or send the terminal an escape sequence.
"""

from __future__ import annotations

import os
import re
import sys
import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from notes_tool import __version__
from notes_tool.errors import NotesError, display_path
from notes_tool.printable import lines, one_line

if TYPE_CHECKING:
    from notes_tool.structure.workspace import Workspace


class Failure(click.ClickException):
    """A library error, shown as its own one-line message (no "Error:" prefix); exit status 1."""

    def show(self, file: Any = None) -> None:
        click.echo(paint(one_line(self.message), "red"), err=True)


class UsageFailure(Failure):
    """Options that do not go together: exit status 2, as click's own usage errors."""

    exit_code = 2


def fail(message: str, code: int = 1) -> NoReturn:
    raise (UsageFailure if code == 2 else Failure)(message)


class NotesGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("once", _cache_warning())
                warnings.showwarning = _show_warning
                return super().invoke(ctx)
        except NotesError as exc:
            fail(str(exc))
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)


def _show_warning(message: Warning | str, category: type[Warning], *args: object, **kwargs: object) -> None:
    """The library's warnings (a cache rebuilt...) as one line each."""
    warn(str(message))


def warn(exc: Exception | str) -> None:
    text = one_line(f"warning: {exc}" if isinstance(exc, str) else str(exc))
    click.echo(paint(text, "yellow"), err=True)


def say(text: str, err: bool = False) -> None:
    """Print one line (stdout, or stderr with ``err``), control characters shown as escapes."""
    click.echo(one_line(text), err=err)


def say_json(value: Any) -> None:
    """Print ``value`` as JSON on stdout: every control character escaped (json escapes C0 ones;
    C1 ones and the Unicode line separators too, which it would print raw)."""
    import json

    text = json.dumps(value, ensure_ascii=False, indent=2)
    click.echo(_RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


_RAW_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029]")
"""Control characters :func:`json.dumps` leaves raw (it escapes C0 ones itself)."""


def say_lines(text: str, err: bool = False) -> None:
    """Print several lines (a diff, a page, a message and its body) as they are, with every
    control character inside a line shown as an escape; no final newline added."""
    click.echo(lines(text), err=err, nl=False)


def use_color(stream: Any) -> bool:
    """Colour on a terminal, unless NO_COLOR is set (https://no-color.org); never when piped."""
    return bool(getattr(stream, "isatty", lambda: False)()) and not os.environ.get("NO_COLOR")


def paint(text: str, color: str) -> str:
    """``text`` in ``color`` when stderr is a terminal that wants colour."""
    return click.style(text, fg=color) if use_color(sys.stderr) else text


def escape_data(text: str) -> str:
    """A workflow command's message, escaped as GitHub's toolkit does (``escapeData`` in
    actions/toolkit's ``command.ts``): ``%``, CR and LF."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value (``file=``), escaped as GitHub's toolkit does
    (``escapeProperty``): ``%``, CR, LF, ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(severity: str, path: Path | None, line: int | None, message: str) -> str:
    """A GitHub Actions workflow command that shows ``message`` on the file's line in the diff.

    The file name and the message are escaped as GitHub specifies, so the command is one line
    whatever they hold; other control characters (ESC, BEL...) are shown as escapes."""
    where = []
    if path is not None:
        base = Path(os.environ.get("GITHUB_WORKSPACE") or Path.cwd())
        where.append("file=" + escape_property(display_path(path, base)))
        if line:
            where.append(f"line={line}")
    text = escape_data("\n".join(one_line(part) for part in message.split("\n")))
    return f"::{severity} {','.join(where)}::{text}" if where else f"::{severity}::{text}"


def in_github_actions() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


# The library is imported where a command needs it, not at the top of the CLI's modules: then
# `notes --help` loads little more than click (bench/startup.py), and a command only its own part.


def _cache_warning() -> type[Warning]:
    from notes_tool.stores.cache import CacheWarning

    return CacheWarning


def web_location(root: Path) -> tuple[str, str] | None:
    """Where the workspace at ``root`` is on GitHub (git read only when asked)."""
    from notes_tool.edges import gitrepo

    return gitrepo.web_location(root)


def workspace(ctx: click.Context, lock: bool = True) -> Workspace:
    """The workspace the command works on; ``lock``: held for the whole command, so a second
    command that writes waits for this one (:func:`notes_tool.stores.lock.workspace_lock`)."""
    from notes_tool.structure.workspace import open_workspace

    explicit = ctx.find_root().params.get("workspace")
    ws = open_workspace(Path(explicit) if explicit else None, find_location=web_location)
    if lock:
        from notes_tool.stores.lock import workspace_lock

        ctx.with_resource(workspace_lock(ws))
    return ws


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


class Progress:
    """A one-line progress count on stderr, shown only on a terminal and after a second."""

    def __init__(self, label: str):
        self.label = label
        self.clock = time.monotonic
        self.start = self.clock()
        self.shown = False
        self.enabled = sys.stderr.isatty() and not in_github_actions()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or (not self.shown and self.clock() - self.start < 1.0):
            return
        self.shown = True
        click.echo(f"\r{self.label} {done}/{total}", err=True, nl=False)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.shown:
            click.echo("\r\033[K", err=True, nl=False)


def report_index(written: list[Any], outcome: Any, quiet_if_none: bool = False) -> None:
    for change in written:
        say(f"{shown(change.path)}: {', '.join(change.parts)}", err=True)
    for problem in outcome.errors + outcome.warnings:
        warn(problem)
    if not written and not outcome.errors and not quiet_if_none:
        say("everything up to date", err=True)


def notes_command() -> str:
    """How a shell runs this ``notes`` again: ``notes`` when the PATH finds this very program,
    else its full path (a virtual environment not activated), or ``python -m notes_tool``."""
    import shlex
    import shutil

    script = Path(sys.argv[0])
    if script.name == "__main__.py":
        return f"{shlex.quote(sys.executable)} -m notes_tool"
    if script.stem != "notes":
        return "notes"  # (run from Python, not a shell)
    found = shutil.which("notes")
    if found is not None and os.path.realpath(found) == os.path.realpath(shutil.which(str(script)) or script):
        return "notes"
    return shlex.quote(str(Path(shutil.which(str(script)) or script).absolute()))


def activate_hint() -> str:
    """What puts ``notes`` on the PATH: the virtual environment's activate script, or its folder."""
    scripts = Path(sys.prefix) / ("Scripts" if os.name == "nt" else "bin")
    if sys.prefix != sys.base_prefix:
        return f"`. {display_path(scripts / 'activate')}` puts it there in this shell"
    return f"add {display_path(scripts)} to your PATH"


def shown(path: Path) -> str:
    return display_path(path)
