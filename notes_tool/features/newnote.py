"""``notes new``: the next lesson (or extra) note, rendered from a template."""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
import string
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from notes_tool.errors import NoteError
from notes_tool.fsio.write import create_new
from notes_tool.model.video import parse_video
from notes_tool.printable import control_problem, excerpt
from notes_tool.structure import config_writer, templates
from notes_tool.structure.config import CONFIG_NAME
from notes_tool.structure.lessons import EXTRA_LETTER
from notes_tool.structure.numbered import Naming, numbered
from notes_tool.structure.outline import Outline, numbering
from notes_tool.structure.units import Unit
from notes_tool.structure.workspace import Workspace

MAX_SLUG = 60
_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)


def filename_slug(title: str) -> str:
    """A file-name-safe slug: ASCII where the title has an ASCII form, words joined by ``-``.

    No separators, no dots (so no ``..`` and no leading dot), at most 60 characters, cut at a
    word boundary. Titles with no ASCII form (``日本語``) keep their letters.
    """
    ascii_form = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    candidate = _slugify(ascii_form)
    if not candidate:
        candidate = _slugify(unicodedata.normalize("NFC", title))
    if len(candidate) > MAX_SLUG:
        cut = candidate[:MAX_SLUG]
        candidate = cut.rsplit("-", 1)[0] if "-" in cut[MAX_SLUG // 2 :] else cut
    return candidate.strip("-_")


def _slugify(text: str) -> str:
    words = [w for w in _NOT_WORD.split(text.lower()) if w.strip("_")]
    return "-".join(words).strip("-_")


def _next_letter(taken: set[str]) -> str:
    for letter in string.ascii_lowercase[1:]:
        if letter not in taken:
            return letter
    raise NoteError("no letter left for another extra (b to z are taken)")


def plan_name(ws: Workspace, title: str, lesson: int | None = None, after: int | None = None) -> tuple[Path, str]:
    """The new note's path and lesson code (``05`` or ``05b``)."""
    slug = _slug_of(title)
    if not ws.named_our_way():
        outline = ws.outline()
        if any(numbered(unit.name) for unit in outline.units):
            return _in_layout(ws, outline, slug, lesson, after)
    code = _extra_code(ws, after) if after is not None else _lesson_code(ws, lesson)
    return _free(ws.notes_dir / f"{code}_{slug}.md"), code


def _slug_of(title: str) -> str:
    """The file name's part the title gives; an error for a title with nothing to name a file by."""
    if not title.strip():
        raise NoteError("the title is empty")
    slug = filename_slug(title)
    if not slug:
        raise NoteError(f"the title {excerpt(title)} has no letters or digits to name a file after")
    return slug


def _lesson_code(ws: Workspace, lesson: int | None) -> str:
    """The code of lesson ``lesson`` (None: the one after the last), which must be free."""
    lessons = {entry.number: entry for entry in ws.lessons()}
    if lesson is None:
        lesson = max(lessons, default=0) + 1
    elif lesson in lessons and (main := lessons[lesson].main) is not None:
        raise NoteError(f"lesson {lesson} is taken by {main.path.name}")
    if lesson < 0:
        raise NoteError("a lesson number cannot be negative")
    return f"{lesson:0{ws.config.number_width}d}"


def _extra_code(ws: Workspace, after: int) -> str:
    """The code of the next extra of lesson ``after`` (``05b``, then ``05c``...)."""
    existing = {entry.number: entry for entry in ws.lessons()}.get(after)
    if existing is None:
        raise NoteError(f"there is no lesson {after} to add an extra to")
    taken = {f.letter for f in existing.extras} | {"a"}
    return f"{after:0{ws.config.number_width}d}{_next_letter(taken)}"


@dataclass(frozen=True)
class _Layout:
    """How a course not named our way numbers its lessons: each unit with its number and
    letter, and the naming of the last numbered one (what the next follows)."""

    places: list[tuple[Unit, tuple[int, str]]]
    last: Unit
    style: Naming

    @staticmethod
    def of(outline: Outline) -> _Layout:
        last = next(u for u in reversed(outline.units) if numbered(u.name) is not None)
        style = numbered(last.name)
        assert style is not None
        return _Layout(list(zip(outline.units, numbering(outline.units), strict=True)), last, style)

    def name(self, number: int, letter: str, slug: str) -> str:
        """``module7``, ``6_slug``: the number (and letter) in the course's form."""
        style = self.style
        return f"{style.prefix}{number:0{style.width}d}{letter}" + (f"{style.sep}{slug}" if style.rest else "")


def _in_layout(ws: Workspace, outline: Outline, slug: str, lesson: int | None, after: int | None) -> tuple[Path, str]:
    """The new note named as the course names its lessons (``module7.md`` after ``module6b.md``;
    ``6_slug/README.md`` in a course of lesson folders); an extra goes into its lesson's folder,
    or is named with the next letter (``module6c.md``)."""
    layout = _Layout.of(outline)
    if after is not None:
        return _extra_in_layout(ws, layout, slug, after)
    return _lesson_in_layout(ws, layout, slug, lesson)


def _extra_in_layout(ws: Workspace, layout: _Layout, slug: str, after: int) -> tuple[Path, str]:
    """An extra of lesson ``after``: in its folder, else with the next letter."""
    unit = next((u for u, (n, _) in layout.places if n == after), None)
    if unit is None:
        raise NoteError(f"there is no lesson {after} to add an extra to")
    if unit.is_folder:
        return _free(unit.path / f"{slug}.md"), f"{after}{EXTRA_LETTER}"
    letter = _next_letter({letter for _, (n, letter) in layout.places if n == after} | {"a"})
    return _free(ws.notes_dir / f"{layout.name(after, letter, slug)}.md"), f"{after}{letter}"


def _lesson_in_layout(ws: Workspace, layout: _Layout, slug: str, lesson: int | None) -> tuple[Path, str]:
    """Lesson ``lesson`` (None: the one after the last), as a note or, in a course of lesson
    folders, a new folder with its note named as the last one's."""
    number = lesson if lesson is not None else max((n for _, (n, _) in layout.places), default=0) + 1
    if any(n == number and letter in ("", "a") for _, (n, letter) in layout.places):
        taken = next(u for u, (n, _) in layout.places if n == number)
        raise NoteError(f"lesson {number} is taken by {ws.relative(taken.note)}")
    name = layout.name(number, "", slug)
    if not layout.last.is_folder:
        return _free(ws.notes_dir / f"{name}.md"), str(number)
    own = layout.last.note.name if layout.last.note.name.lower() in ("readme.md", "index.md") else f"{slug}.md"
    path = _free(ws.notes_dir / name / own)
    if path.parent.exists():
        raise NoteError("already exists; not overwritten", path.parent)
    return path, str(number)


def _free(path: Path) -> Path:
    """``path``, when no file or folder of that name (in any case) is there."""
    try:
        names = {p.name.lower() for p in path.parent.iterdir()}
    except OSError:
        names = set()
    if path.name.lower() in names:  # case-insensitive file systems see these as one file
        raise NoteError("already exists; not overwritten", path)
    return path


def _add_to_outline(ws: Workspace, unit: Path, number: int) -> None:
    """Name the new lesson (or lettered extra) of ``number`` in ``lessons`` of notes.toml when its
    patterns do not find it: after the entries of that number (the names keep counting up)."""
    if not ws.config.lessons:
        return
    entry = unit.relative_to(ws.notes_dir).as_posix() + ("/" if unit.suffix.lower() != ".md" else "")
    patterns = [p[0] if isinstance(p, list) else p for p in ws.config.lessons]
    if any(fnmatch.fnmatchcase(entry, pattern.strip()) for pattern in patterns):
        return
    same = [i for i, p in enumerate(patterns) if (n := numbered(p.strip())) is not None and n.number <= number]
    config_writer.add_lesson(ws.root / CONFIG_NAME, entry, same[-1] + 1 if same else None)


TITLE_CHARS = 300
"""A title longer than this is refused (it goes into file names, the index and every nav)."""


def create(
    ws: Workspace,
    title: str,
    url: str | None = None,
    lesson: int | None = None,
    after: int | None = None,
    template: str | None = None,
    today: dt.date | None = None,
) -> Path:
    if control_problem(title):
        raise NoteError(f"a note's title is one line of text, not {excerpt(title)}")
    if len(title) > TITLE_CHARS:
        raise NoteError(f"a note's title is at most {TITLE_CHARS} characters, not {len(title):,}")
    if url is not None:
        _check_url(ws, url)
    path, code = plan_name(ws, title, lesson, after)
    text = templates.render(
        template or ws.config.template,
        ws.root / "templates",
        {
            "title": title.strip(),
            "code": code,
            "lesson": int(code.rstrip(string.ascii_lowercase + EXTRA_LETTER)),
            "extra": code[-1] if code[-1].isalpha() else "",
            "course": ws.config.course,
            "url": url or "",
            "created": (today or dt.date.today()).isoformat(),
            "filename": path.name,
        },
        ws.root,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    create_new(path, text.encode("utf-8"), within=ws.root)
    if not ws.named_our_way() and not code.endswith(EXTRA_LETTER):  # (once the note is there)
        number = int(code.rstrip(string.ascii_lowercase))
        _add_to_outline(ws, path.parent if path.parent != ws.notes_dir else path, number)
    return path


def _check_url(ws: Workspace, url: str) -> None:
    """A video's URL (YouTube, Vimeo, any web or file:// URL), or the path of a video file that
    is there; anything else (``not a url``) is refused rather than written into the note."""
    video = parse_video(url)
    written = url.strip()
    local = video is not None and video.kind == "file" and "://" not in written
    there = local and any((base / written).is_file() for base in (Path.cwd(), ws.notes_dir, ws.root))
    if video is None or (local and not there) or control_problem(url):
        raise NoteError(
            f"--url {excerpt(url)} is not a video's URL (https://www.youtube.com/watch?v=..., https://vimeo.com/..., "
            "any https:// or file:// URL) nor a video file that is there"
        )
