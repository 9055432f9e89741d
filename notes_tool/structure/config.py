"""``notes.toml``: the workspace's settings, validated key by key."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from notes_tool.errors import ConfigError
from notes_tool.fsio.read import read_bytes
from notes_tool.printable import control_problem, excerpt

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CONFIG_NAME = "notes.toml"
LessonsSetting = list[str | list[str]]
"""``lessons`` of notes.toml: paths or patterns, and lists of a lesson and its extras."""


@dataclass
class Config:
    """Settings of one course workspace; every field is a key of ``notes.toml``."""

    course: str = "My course"
    """The course title, shown in the index and in new notes."""
    notes_dir: str = "."
    """Folder (relative to the workspace) that holds the lesson notes."""
    index_file: str = "README.md"
    """The course index file (relative to the workspace), holding the ``notes:index`` region."""
    toc_levels: list[int] = field(default_factory=lambda: [1, 3])
    """Smallest and largest heading level listed in each note's TOC (the title H1 never is)."""
    number_width: int = 2
    """Digits of a lesson number in new file names (``05_deployment.md``)."""
    back_to_top: bool = False
    """Add a "back to the top" link at the end of each top-level section."""
    backlinks: bool = False
    """End each note with the sections of other notes that link to it (a generated region)."""
    template: str = "lesson"
    """Template used by ``notes new`` when ``--template`` is not given."""
    cache_dir: str = ".notes-cache"
    """Folder for the tool's caches (the note store and search index, gist clones)."""
    repo_url: str = ""
    """Web URL of the repository (https://github.com/you/notes); found from git when empty."""
    branch: str = ""
    """Branch for absolute links; the current branch when empty."""
    screenshots_dir: str = ""
    """Folder where your screenshot tool saves images, for ``notes watch``."""
    quiet_ms: int = 100
    """How long ``notes watch`` waits for a burst of file events to end."""
    max_file_mb: int = 50
    """``notes commit`` refuses to stage a file larger than this."""
    extras: str = ""
    """A pattern (``extra*.md``) for extra notes named without a lesson number: each is placed
    under the lesson its own link back leads to (``[Back to Batch processing](5_batch.md)``)."""
    lessons: LessonsSetting = field(default_factory=list)
    """The course's lessons in order, when they are not named our way: note paths, folders
    (``week1/``, its ``README.md`` the lesson's note) or patterns (``"Lesson*.md"``), relative to
    ``notes_dir``; a list (``["module2.md", "wandb.md"]``) is a lesson and its extras. Empty:
    found from the course index's list of lessons, else numbered names."""
    install: str = ""
    """What the GitHub Actions workflow installs (``git+https://github.com/you/notes_tool@v1.2``):
    a pip requirement, checked strictly since it is written into a workflow that runs it."""
    gists: dict[str, Any] = field(default_factory=dict)
    """Written by ``notes cheats publish``: one table per published sheet."""

    @property
    def toc_range(self) -> tuple[int, int]:
        return self.toc_levels[0], self.toc_levels[1]


_TYPES: dict[str, type | tuple[type, ...]] = {
    "course": str,
    "notes_dir": str,
    "index_file": str,
    "toc_levels": list,
    "number_width": int,
    "back_to_top": bool,
    "backlinks": bool,
    "template": str,
    "cache_dir": str,
    "repo_url": str,
    "branch": str,
    "screenshots_dir": str,
    "quiet_ms": int,
    "max_file_mb": int,
    "extras": str,
    "lessons": list,
    "install": str,
    "gists": dict,
}
assert set(_TYPES) == {f.name for f in fields(Config)}


def _line_of(text: str, key: str) -> int | None:
    pattern = re.compile(rf"^\s*(?:\[\s*)?{re.escape(key)}\s*[=\]]", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def check_toc_levels(value: Any) -> list[int] | None:
    """``[min, max]`` with 1 <= min <= max <= 6, or None when the value is not that."""
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        and 1 <= value[0] <= value[1] <= 6
    ):
        return [int(value[0]), int(value[1])]
    return None


CONFIG_CHARS = 256 * 1024
"""A ``notes.toml`` larger than this is refused (a clone could bring one of any size)."""


def load(path: Path) -> Config:
    """The settings in ``path`` (a missing key keeps its default)."""
    try:
        text = read_bytes(path).decode("utf-8").removeprefix("\ufeff")  # (Windows editors write a BOM)
    except UnicodeDecodeError:
        raise ConfigError("not UTF-8 text", path) from None
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", path) from None
    return loads(text, path)


def loads(text: str, path: Path) -> Config:
    """The settings in ``text``, the contents of ``path``."""
    config = Config()
    for key, value in _parse(text, path).items():
        _check_type(key, value, path, text)
        setattr(config, key, value)
    _check_ranges(config, path, text)
    _check_lessons(config.lessons, path, _line_of(text, "lessons"))
    _check_untrusted(config, path, text)
    return config


def _parse(text: str, path: Path) -> dict[str, Any]:
    """The TOML of a settings file of a reasonable size; an error at its line otherwise."""
    if len(text) > CONFIG_CHARS:
        raise ConfigError(f"over {CONFIG_CHARS // 1024} KB; settings take a few lines", path)
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except RecursionError:  # (tomllib reads nested arrays and tables recursively)
        raise ConfigError("values nested too deeply", path) from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"\(at line (\d+), column \d+\)", message)
        line = int(match.group(1)) if match else None
        raise ConfigError(re.sub(r"\s*\(at line.*\)", "", message), path, line) from None
    return data


def _check_type(key: str, value: Any, path: Path, text: str) -> None:
    """A known key, with a value of its type (true or false is not a number)."""
    expected = _TYPES.get(key)
    line = _line_of(text, key)
    if expected is None:
        known = ", ".join(sorted(_TYPES))
        raise ConfigError(f"unknown key '{key}' (known keys: {known})", path, line)
    wrong_bool = isinstance(value, bool) and expected is int
    if not isinstance(value, expected) or wrong_bool:
        want = expected.__name__ if isinstance(expected, type) else "value"
        want = {"str": "a string", "int": "a whole number", "bool": "true or false"}.get(want, f"a {want}")
        raise ConfigError(f"'{key}' must be {want}, not {excerpt(value)}", path, line)


def _check_ranges(config: Config, path: Path, text: str) -> None:
    """The TOC's levels, the lesson numbers' width and the watcher's numbers in their ranges."""
    if check_toc_levels(config.toc_levels) is None:
        raise ConfigError(
            "'toc_levels' must be [min, max] heading levels with 1 <= min <= max <= 6",
            path,
            _line_of(text, "toc_levels"),
        )
    if not 1 <= config.number_width <= 4:
        raise ConfigError("'number_width' must be 1 to 4", path, _line_of(text, "number_width"))
    if config.quiet_ms < 0 or config.max_file_mb <= 0:
        key = "quiet_ms" if config.quiet_ms < 0 else "max_file_mb"
        raise ConfigError(f"'{key}' must be positive", path, _line_of(text, key))


MAX_LESSONS = 1000
"""Entries ``lessons`` may hold (lessons and extras): each is matched against every note, so a
clone's ``notes.toml`` with 10,000 of them over 10,000 notes took minutes in every command."""


def _check_lessons(lessons: list[Any], path: Path, line: int | None) -> None:
    """Each entry is one line naming a place inside the notes folder (no absolute path, no
    ``..``), or a list of such: a lesson and its extras."""
    count = sum(len(entry) if isinstance(entry, list) else 1 for entry in lessons)
    if count > MAX_LESSONS:
        raise ConfigError(f"'lessons' may name at most {MAX_LESSONS:,} notes, not {count:,}", path, line)
    for entry in lessons:
        for value in entry if isinstance(entry, list) and entry else [entry]:
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(
                    f"'lessons' must be a list of note paths or patterns, not {excerpt(entry)}", path, line
                )
            parts = value.replace("\\", "/").split("/")
            if (
                control_problem(value)
                or value.startswith(("/", "~"))
                or ".." in parts
                or re.match(r"^[A-Za-z]:", value)
            ):
                raise ConfigError(
                    f"'lessons' entries must be paths inside the notes folder, not {excerpt(value)}", path, line
                )


_INSTALL_SPEC = re.compile(
    r"(?:[A-Za-z0-9][A-Za-z0-9._-]*(?:\[[A-Za-z0-9._,-]+\])?(?:(?:==|>=|<=|~=|!=|<|>)[A-Za-z0-9.+!-]+,?)*"
    r"|(?:git\+)?https://[A-Za-z0-9.-]+(?::[0-9]+)?/[A-Za-z0-9._~/%+-]*(?:@[A-Za-z0-9._/+-]+)?"
    r"(?:#[A-Za-z0-9._=-]+)?)"
)
INSTALL_SPEC_FORM = (
    "a package name with an optional version (notes-tool==1.2) or an https URL "
    "(git+https://github.com/you/notes_tool@v1.2): one line, no spaces, quotes or shell characters"
)


def install_spec_ok(spec: str) -> bool:
    """``spec`` is a pip requirement safe to write into a workflow that runs it: a name (with
    extras and versions) or an https URL, no user name or password in it, no spaces, quotes,
    ``$``, braces or other characters a shell or GitHub's ``${{ }}`` would act on."""
    return len(spec) <= 300 and _INSTALL_SPEC.fullmatch(spec) is not None


_TEXT_KEYS = ("course", "template", "repo_url", "branch")
_PATH_KEYS = ("notes_dir", "index_file", "cache_dir", "screenshots_dir")


def _resolved(path: Path, owned: bool) -> Path:
    """``path`` with its links followed; for a folder the tool owns (the cache folder), all
    but the last: a link there is removed and the folder made afresh when used
    (:func:`notes_tool.fsio.confine.confined`), so it is never followed."""
    if owned and path.name not in ("", ".", ".."):
        return path.parent.resolve() / path.name
    return path.resolve()


def _inside(root: Path, value: str, owned: bool) -> Path | None:
    """Where the relative path ``value`` leads (links followed, but for a folder the tool owns),
    when that is inside ``root``; None otherwise (an absolute path, a link loop)."""
    try:
        where = _resolved(root / value, owned)
    except (OSError, RuntimeError):  # a symlink loop
        return None
    inside = not Path(value).is_absolute() and (where == root or root in where.parents)
    return where if inside else None


def _path_problem(root: Path, key: str, value: str) -> str | None:
    """What is wrong with the path setting ``key``: outside the workspace, in .git, or (the
    cache folder) not a folder of its own; None when nothing is."""
    where = _inside(root, value, owned=key == "cache_dir")
    if where is None or control_problem(value):
        return f"'{key}' must be a path inside the workspace, not {excerpt(value)}"
    if any(part.lower() == ".git" for part in where.relative_to(root).parts):
        return f"'{key}' must not be in git's own folder (.git), not {excerpt(value)}"
    if key == "cache_dir" and (where == root or where.is_file()):
        return f"'cache_dir' must be a folder of its own, not {excerpt(value)}"
    return None


def _check_untrusted(config: Config, path: Path, text: str) -> None:
    """A workspace arrives by cloning: its settings must not lead the tool anywhere else.

    Text is written into notes and files on one line, so it holds no line break or other
    control character; every path resolves inside the workspace (links followed), and the
    index file is Markdown. A folder elsewhere for screenshots is given on the command line
    (``notes watch --screenshots DIR``), never by a file someone else may have written.
    """
    for key in _TEXT_KEYS:
        if control_problem(getattr(config, key)):
            raise ConfigError(
                f"'{key}' must be one line of text (no line breaks or control characters)", path, _line_of(text, key)
            )
    root = path.parent.resolve()
    for key in _PATH_KEYS:
        value = getattr(config, key)
        problem = None if key == "screenshots_dir" and not value else _path_problem(root, key, value)
        if problem is not None:
            raise ConfigError(problem, path, _line_of(text, key))
    if config.install and not install_spec_ok(config.install):
        raise ConfigError(f"'install' must be {INSTALL_SPEC_FORM}", path, _line_of(text, "install"))
    if Path(config.index_file).suffix.lower() not in (".md", ".markdown"):
        raise ConfigError(
            f"'index_file' must be a Markdown file (.md), not {excerpt(config.index_file)}",
            path,
            _line_of(text, "index_file"),
        )
