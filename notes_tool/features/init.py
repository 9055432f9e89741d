"""``notes init``: create a course workspace, or adopt a folder of notes without changing a byte."""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from notes_tool.edges import gitrepo
from notes_tool.errors import NotesError
from notes_tool.features import editor, install_source
from notes_tool.fsio.confine import real_path
from notes_tool.fsio.write import create_new
from notes_tool.model import document
from notes_tool.stores.cache import write_json
from notes_tool.structure import config as config_mod
from notes_tool.structure import config_writer, lesson_list
from notes_tool.structure import outline as outline_mod
from notes_tool.structure.config import CONFIG_NAME
from notes_tool.structure.numbered import numbered
from notes_tool.structure.paths import SKIPPED_FOLDERS
from notes_tool.structure.templates import data_dir
from notes_tool.structure.tree import folder_note
from notes_tool.structure.workspace import Workspace, lesson_files_in

EXAMPLE = "course"
STARTED_FILE = "course.json"
"""In the cache folder: ``notes init`` started this course (it found no notes to take over)."""
EXTRAS_PATTERN = "extra*.md"
_EXTRA_NAME = re.compile(r"^extra\d*_.+\.md$", re.IGNORECASE)
"""``extra1_preparing_data.md``: the other way course notes name their extras (besides 05b_)."""


@dataclass
class InitResult:
    root: Path
    created: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Hints for the user (printed on stderr)."""
    existed: bool = False
    """The workspace was set up already (its notes.toml was there)."""
    failed: list[str] = field(default_factory=list)
    """What was asked for and could not be done (printed as errors; the command exits 1)."""
    no_lessons: bool = False
    """Notes were found, none of them a lesson: no course index to ask for."""


def _create(path: Path, text: str, result: InitResult) -> None:
    if path.exists():
        result.kept.append(path)
        return
    create_new(path, text.encode("utf-8"), within=result.root)
    result.created.append(path)


def init(
    target: Path,
    course: str | None = None,
    vscode: bool | None = None,
    github_actions: bool = False,
    new_course: bool | None = None,
) -> InitResult:
    """Create what is missing in ``target``; existing files are never modified (VS Code's
    files are merged into: only what is missing is added). ``vscode=None``: set VS Code up for
    a new workspace only; ``github_actions``: add a workflow that checks the notes."""
    _make_folder(target)
    config_path = target / CONFIG_NAME
    result = InitResult(target, existed=config_path.exists())
    if new_course is None:  # a course started here, not notes already written taken over
        new_course = not result.existed and not Workspace(target, config_mod.Config()).notes()
    notes_dir, index_file = _where_notes_are(target, result)
    _create(config_path, _config_text(target, course, notes_dir, index_file, result), result)
    config = config_mod.load(config_path)
    if course and config_path in result.kept and config.course != course:
        result.notes.append(f"{CONFIG_NAME} exists and says course = {config.course!r}; kept it")
    _index_note(target, config, result)
    _images_folder(target, config, result)
    _create(target / ".gitignore", f"# notes_tool's caches\n/{config.cache_dir.strip('/')}/\n", result)
    _git_repository(target, result)
    if vscode or (vscode is None and not result.existed):
        result.notes += editor.set_up_vscode(target, config.cache_dir).lines()
    if new_course:  # its first commit says it started (notes commit)
        write_json(Workspace(target, config), STARTED_FILE, {"started": True})
    if github_actions:
        _github_actions(target, config, result)
    return result


def _make_folder(target: Path) -> None:
    """The workspace's folder, with its parents."""
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise NotesError(f"cannot create the folder: {exc.strerror}", target) from None


def _where_notes_are(target: Path, result: InitResult) -> tuple[str, str]:
    """The notes folder and the index file for a new notes.toml: a subfolder holding the lesson
    notes, or the folder the README's lesson list leads into; said in a line."""
    notes_dir, index_file = ".", _readme_name(target) or "README.md"
    if result.existed:
        return notes_dir, index_file
    found = find_notes(target)
    if found is not None:
        notes_dir = found.relative_to(target).as_posix()
        count = len(lesson_files_in(found))
        readme = _readme_name(found)
        index_file = f"{notes_dir}/{readme}" if readme else index_file
        result.notes.append(f"found {count} lesson notes in {notes_dir}/: notes_dir = {notes_dir!r}")
    elif not lesson_files_in(target):
        linked = linked_folder(target / index_file, target)
        if linked is not None:  # the README's lesson list leads into docs/: the lessons are there
            notes_dir = linked.relative_to(target).as_posix()
            result.notes.append(f"the list in {index_file} links lessons in {notes_dir}/: notes_dir = {notes_dir!r}")
    return notes_dir, index_file


def _config_text(target: Path, course: str | None, notes_dir: str, index_file: str, result: InitResult) -> str:
    """notes.toml for this folder: the course's title, how its lessons are numbered and named,
    and (for a new workspace of notes not named our way) the lessons found."""
    title = course or _readme_title(target, index_file) or target.resolve().name.replace("-", " ").replace("_", " ")
    width = _number_width(target / notes_dir)
    extras = EXTRAS_PATTERN if any(_EXTRA_NAME.match(p.name) for p in (target / notes_dir).glob("*.md")) else ""
    lessons = [] if result.existed else _outline(target, notes_dir, index_file, result)
    return config_writer.render_default(title.strip() or "My course", notes_dir, index_file, width, extras, lessons)


def _index_note(target: Path, config: config_mod.Config, result: InitResult) -> None:
    """The course's index note; one kept without a course index region gets a hint."""
    index_path = target / config.index_file
    _create(index_path, f"# {config.course}\n\n<!-- notes:index -->\n<!-- /notes:index -->\n", result)
    if index_path not in result.kept:
        return
    try:
        note, _ = document.load(index_path)
    except NotesError as exc:
        result.notes.append(str(exc))
        return
    if note.region("index") is None and not result.no_lessons:
        result.notes.append(
            f"{config.index_file} has no course index yet: `notes index --adopt` makes your list of "
            "lessons the index (or adds one at the end); or put <!-- notes:index --> on the line "
            "above your list and <!-- /notes:index --> on the line below it"
        )


def _images_folder(target: Path, config: config_mod.Config, result: InitResult) -> None:
    """The notes' images folder, unless something else is there by that name."""
    images = target / config.notes_dir / "images"
    if not os.path.lexists(images):
        images.mkdir(parents=True)
        result.created.append(images)
    elif not images.is_dir():  # a file, or a link to nowhere or to itself (a loop)
        shown = (Path(config.notes_dir) / "images").as_posix()
        result.notes.append(f"{shown} is not a folder (a file, or a link to nowhere); left alone")


def _git_repository(target: Path, result: InitResult) -> None:
    """A git repository, unless the folder is inside one already."""
    try:
        if gitrepo.init_unless_inside(target):
            result.created.append(target / ".git")
    except NotesError as exc:
        result.notes.append(f"git: {exc.message}")


def _readme_name(folder: Path) -> str | None:
    """The name of the folder's README as it is written (``readme.md`` too: never a second one)."""
    found = folder_note(folder, ("readme.md",))
    return found.name if found is not None else None


def _outline(target: Path, notes_dir: str, index_file: str, result: InitResult) -> config_mod.LessonsSetting:
    """The lessons of a course not named our way, for notes.toml (none for one named our way,
    or a new one); what was found is said in a line or two."""
    ws = Workspace(target, config_mod.Config(notes_dir=notes_dir, index_file=index_file), gitrepo.web_location)
    if not ws.notes_dir.is_dir():
        return []
    notes = ws.notes()
    if ws.named_our_way():
        others = [p.relative_to(target).as_posix() for p in ws.other_notes(None, notes)]
        if others:
            shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
            what = "1 other note, not a lesson" if len(others) == 1 else f"{len(others)} other notes, not lessons"
            result.notes.append(f"{what} (indexed and searched, no nav): {shown}")
        return []
    outline = ws.outline(notes)
    said = outline_mod.summary(outline, len(ws.other_notes(outline.files, notes)))
    if not said:
        count = sum(1 for note in notes if note != ws.index_path)
        if count:
            result.notes.append(
                f"found no lessons (no lesson list in {index_file}, no numbered names): {count} notes, "
                "indexed and searched; name the lessons in notes.toml (lessons = [...]) if some are"
            )
            result.no_lessons = True
        return []
    result.notes += said
    result.notes += [str(problem) for problem in [*outline.notices, *outline.problems]]
    result.notes.append(
        f"wrote {CONFIG_NAME} (the lessons it found are written there; change them if it guessed wrong)"
    )
    return outline_mod.as_setting(outline, ws.notes_dir)


def _github_actions(target: Path, config: config_mod.Config, result: InitResult) -> None:
    source = install_source.resolve(config)
    if source.spec is None:
        result.failed.append(install_source.why_unknown(source))
        return
    workflow = editor.set_up_github_actions(target, gitrepo.top_of(target), source.spec, source.why)
    if workflow is None:
        result.notes.append(".github/workflows/notes.yml exists; kept it")
    else:
        result.created.append(workflow)
        result.notes.append(f"the workflow installs {source.spec} ({source.why})")


def _readme_title(target: Path, index_file: str) -> str | None:
    """The course's title as the repository already says it: its README's ``#`` title, or the
    ``#`` heading it starts with when it has several (``# CKA Course`` ... ``# Sections``)."""
    for path in dict.fromkeys([target / (_readme_name(target) or "README.md"), target / index_file]):
        try:
            note, _ = document.load(path)
        except NotesError:
            continue
        first = next((h for h in note.headings if not h.nested and h.region is None), None)
        if note.title and not _generic(note.title):
            return note.title
        if note.title is None and first is not None and first.level == 1 and not _generic(first.text):
            return first.text.replace("\n", " ").strip()
    return None


_GENERIC_WORDS = {"notes", "note", "my", "course", "readme", "index", "the", "lesson", "lessons", "study", "of"}


def _generic(title: str) -> bool:
    """A title that names no course (``Notes``, ``My notes``): the folder's name says more."""
    return set(re.findall(r"\w+", title.lower())) <= _GENERIC_WORDS


def _number_width(folder: Path) -> int:
    """How many digits the existing lesson notes number themselves with (2 when there are none)."""
    widths = [len(f.code.rstrip("abcdefghijklmnopqrstuvwxyz")) for f in lesson_files_in(folder)]
    return max(set(widths), key=widths.count) if widths else 2


def find_notes(target: Path) -> Path | None:
    """Where an existing course keeps its lesson notes, when not in ``target`` itself: the
    subfolder holding the most lesson notes (``notes/`` in many course repositories)."""
    if lesson_files_in(target):
        return None
    children = sorted(target.iterdir()) if target.is_dir() else []
    best = _most_lessons([c for c in children if _may_hold_notes(c)])
    if best is None:
        return None  # none, or no clear winner: the user says where in notes.toml
    # Lessons numbered here in another form (2_docker/ ... 6_streaming/, Lesson1.md) are the course
    # unless the subfolder holds more: one 3_notes.md inside 3_warehouse/ does not move it there.
    count, folder = best
    here = len([c for c in children if _numbered_lesson(c)])
    return folder if here < 2 or count > here else None


def _may_hold_notes(path: Path) -> bool:
    """A folder that is neither hidden nor one the tool skips (``node_modules``...)."""
    return path.is_dir() and path.name not in SKIPPED_FOLDERS and not path.name.startswith(".")


def _most_lessons(folders: list[Path]) -> tuple[int, Path] | None:
    """The folder holding the most lesson notes, with their count; None for none or a tie."""
    counts = sorted(((len(lesson_files_in(folder)), folder) for folder in folders), reverse=True)
    counts = [(count, folder) for count, folder in counts if count]
    if not counts or (len(counts) > 1 and counts[1][0] == counts[0][0]):
        return None
    return counts[0]


def linked_folder(index: Path, root: Path) -> Path | None:
    """The one unnumbered subfolder of ``root`` that the lesson list of ``index`` leads into,
    when it links many notes or folders of notes inside it and few elsewhere (``docs/01-Intro/``,
    ``docs/02-Core/``...: the notes folder of a course kept in ``docs/``), else None."""
    try:
        note, _ = document.load(index)
    except (NotesError, OSError):
        return None
    inner: dict[str, set[str]] = {}
    tops: set[str] = set()
    for link in lesson_list.listed_links(note):
        target = lesson_list.resolve_link(index.parent, root, link.href)
        if target is None or not ((target.suffix.lower() == ".md" and target.is_file()) or target.is_dir()):
            continue
        try:
            parts = target.relative_to(real_path(root)).parts
        except ValueError:
            continue
        if parts:
            tops.add(parts[0])
            if len(parts) >= 2:
                inner.setdefault(parts[0], set()).add(parts[1])
    best = max(sorted(inner), key=lambda top: len(inner[top]), default=None)
    if best is None or numbered(best) is not None or not (root / best).is_dir():
        return None
    return root / best if len(inner[best]) >= 2 and len(inner[best]) > len(tops) - 1 else None


def _numbered_lesson(path: Path) -> bool:
    """A note or a folder holding notes whose name numbers it (``Lesson1.md``, ``3_warehouse/``)."""
    if numbered(path.name) is None:
        return False
    if path.is_dir():
        return any(True for _ in path.glob("*.md")) or any(True for _ in path.glob("*/*.md"))
    return path.suffix.lower() == ".md"


def copy_example(target: Path) -> None:
    """Copy the built-in example course into ``target`` (which must be new or empty)."""
    source = data_dir("examples") / EXAMPLE
    if target.exists() and any(target.iterdir()):
        raise NotesError("is not empty; give a new folder for the example", target)
    shutil.copytree(source, target, dirs_exist_ok=True)
