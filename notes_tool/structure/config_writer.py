"""Writing ``notes.toml``: the commented file ``notes init`` creates, and the gists a publish
records. Written with tomlkit, which keeps the user's comments and layout and quotes any value
right; read back (:func:`notes_tool.structure.config.loads`) before it is written."""

from __future__ import annotations

from pathlib import Path

import tomlkit
import tomlkit.exceptions
import tomlkit.items

from notes_tool.errors import ConfigError
from notes_tool.fsio.read import read_snapshot
from notes_tool.fsio.write import write_atomic
from notes_tool.structure.config import LessonsSetting, loads

_DEFAULT = """\
# notes_tool settings for this course workspace. Every key is optional.

# The course title, shown in the course index and in new notes.
course = ""

# Folder holding the lesson notes (05_deployment.md, 05b_virtenvs.md, ...), relative to here.
notes_dir = "."

# The course index: the file holding the <!-- notes:index --> region.
index_file = "README.md"

# Heading levels listed in each note's table of contents: [smallest, largest].
# The note's title (its first H1) is never listed. A note can override this in its
# front matter with `toc_levels: [2, 4]`, or turn its TOC off with `toc: false`.
toc_levels = [1, 3]

# Add a "back to the top" link at the end of each top-level section.
back_to_top = false

# End each note with the sections of other notes that link to it, grouped by the section linked.
backlinks = false

# Digits of the lesson number in new file names: 2 gives 05_deployment.md.
number_width = 2

# Template for `notes new` (built-in: "lesson"; put your own in templates/NAME.md.j2).
template = "lesson"

# Folder for caches (the note store and search index, gist clones); git-ignored.
cache_dir = ".notes-cache"

# Web URL of the repository, for absolute links in cheat sheets published as gists.
# Empty: taken from the git remote "origin" when it is on GitHub.
repo_url = ""

# A folder of this workspace where screenshots land; `notes watch` moves them into images/.
# (A folder elsewhere, like your Desktop: `notes watch --screenshots ~/Desktop`.)
screenshots_dir = ""

# `notes watch`: milliseconds of quiet that end a burst of file events.
quiet_ms = 100

# `notes commit` refuses to stage a file larger than this many megabytes.
max_file_mb = 50

# Extra notes named without a lesson number (a pattern, like "extra*.md"): each goes under the
# lesson its own link back leads to. Extras named 05b_slug.md need no setting.
extras = ""

# The lessons in course order, for notes not named 05_slug.md: note paths, folders ("week1/": its
# README.md is the lesson's note, its other notes the lesson's extras) or patterns ("Lesson*.md"),
# relative to notes_dir; a list ["module2.md", "wandb.md"] is a lesson and its extras.
# Empty: the list of lessons in the course index, else numbered names.
lessons = []

# What the GitHub Actions workflow (`notes init --github-actions`) installs: a pip requirement,
# like "git+https://github.com/you/notes_tool@v1.2". Empty: where this notes_tool came from,
# when pip recorded a place CI can reach.
install = ""
"""


def render_default(
    course: str,
    notes_dir: str = ".",
    index_file: str = "README.md",
    number_width: int = 2,
    extras: str = "",
    lessons: LessonsSetting | None = None,
) -> str:
    """A commented ``notes.toml`` for ``notes init`` (values written by tomlkit: any text is safe)."""
    doc = tomlkit.parse(_DEFAULT)
    doc["course"], doc["notes_dir"], doc["index_file"] = course, notes_dir, index_file
    doc["number_width"], doc["extras"] = number_width, extras
    doc["lessons"] = _one_a_line(lessons or [])
    return tomlkit.dumps(doc)


def _one_a_line(values: LessonsSetting) -> tomlkit.items.Array:
    """A TOML array with one value a line when it has several (easy to read, reorder and correct)."""
    array = tomlkit.array()
    array.extend(values)
    if len(values) > 1:
        array.multiline(True)
    return array


def add_lesson(path: Path, entry: str, at: int | None = None) -> None:
    """Put ``entry`` into the ``lessons`` of notes.toml (a new lesson the patterns there miss):
    at position ``at``, else at the end."""
    snapshot = read_snapshot(path)
    try:
        doc = tomlkit.parse(snapshot.data.decode("utf-8"))
        lessons = doc.get("lessons")
        values: LessonsSetting = [
            [str(x) for x in v] if isinstance(v, list) else str(v)
            for v in (lessons if isinstance(lessons, list) else [])
        ]
        values.insert(len(values) if at is None else at, entry)
        doc["lessons"] = _one_a_line(values)
        new_text = tomlkit.dumps(doc)
    except (UnicodeDecodeError, tomlkit.exceptions.TOMLKitError) as exc:
        raise ConfigError(f"cannot add the lesson: {exc}", path) from None
    loads(new_text, path)
    write_atomic(path, new_text.encode("utf-8"), snapshot, within=path.parent)


def save_gist(path: Path, name: str, fields: dict[str, str]) -> None:
    """Write ``[gists.NAME]`` into notes.toml; every other line (comments too) stays as it is."""
    snapshot = read_snapshot(path)
    try:
        doc = tomlkit.parse(snapshot.data.decode("utf-8"))
        gists = doc.get("gists")
        if gists is None:
            gists = doc["gists"] = tomlkit.table(is_super_table=True)
        table = tomlkit.table()
        table.update(fields)
        gists[name] = table
        new_text = tomlkit.dumps(doc)
    except (UnicodeDecodeError, tomlkit.exceptions.TOMLKitError) as exc:
        raise ConfigError(f"cannot record the gist: {exc}", path) from None
    try:
        loads(new_text, path)
    except ConfigError as exc:  # never write a notes.toml we cannot read back
        raise ConfigError(f"cannot record the gist: {exc.message}", path) from None
    write_atomic(path, new_text.encode("utf-8"), snapshot, within=path.parent)
