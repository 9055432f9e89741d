"""Search quality: the share of a student's questions whose answering section is in the top 3.

Two sets of questions, each naming the section that answers it (path:line of its heading):

- ``tests/fixtures/search_questions.json``, asked of a copy of the speaker's ML Zoomcamp notes
  (../shared/corpus/ml-zoomcamp, our own ``NN_slug.md`` layout), adopted with ``notes init``;
- ``bench/search_layout/NAME.json``, asked of ``bench/search_layout/NAME/``: two courses of our
  own, written for this bench, in the layouts learners keep: ``modules`` (one folder per
  module, the note its ``README.md``, an install guide beside it; times typed in other people's
  forms; CRLF, front matter, HTML, emoji headings, no final newline) and ``lessons`` (flat
  ``Lesson1.md`` files, a lowercase ``readme.md`` linking them root-absolute, an extra note).
  Questions come in two parts: ``tune`` (looked at while tuning search) and ``held`` (never
  looked at while tuning: the honest figure; all of ``lessons`` is held back, written after the
  tuning was done). A question with several answers is answered when all of them are in the
  top 3 (and first when one of them is first).

Every Markdown file of these courses is meant to be a note. A build that does not index
them all yet (today only ``NN_slug.md`` lesson notes are) is measured on a flattened copy: each
note copied verbatim as ``NN_folder-name.md`` (lines unchanged), hits mapped back to their
paths; the output says which condition it ran under.

Run: python3 bench/search_quality.py [--show] [--only own|modules|lessons] [--part tune|held]
(target: >= 95 % of our own questions in the top 3 (97 % measured), none unanswered)
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = next(
    (up / "shared" / "corpus" / "ml-zoomcamp" for up in ROOT.parents if (up / "shared" / "corpus").is_dir()),
    ROOT.parent / "shared" / "corpus" / "ml-zoomcamp",
)
"""The shared corpus: beside this clone (../shared), or further up (a git worktree's clone sits deeper)."""
QUESTIONS = ROOT / "tests" / "fixtures" / "search_questions.json"
LAYOUT = ROOT / "bench" / "search_layout"
COURSES = ("modules", "lessons")


def init(root: Path) -> Any:
    from notes_tool.structure.workspace import open_workspace

    subprocess.run([sys.executable, "-m", "notes_tool", "init", str(root)], capture_output=True, check=True)
    return open_workspace(root)


def ask(ws: Any, questions: list[dict[str, Any]], found_as: Any, show: bool) -> tuple[int, int, int]:
    """(answered in the top 3, answered first, answered with nothing) of ``questions``;
    ``found_as(hit)`` is how a hit is named in the answers."""
    from notes_tool.errors import NotesError
    from notes_tool.features import search

    top3 = first = empty = 0
    for item in questions:
        try:
            hits = search.search(ws, item["q"], limit=3)
        except NotesError as exc:
            hits = []
            if show:
                print(f"error    {item['q']!r}: {exc}")
        found = [found_as(h) for h in hits]
        wanted = item["answer"] if isinstance(item["answer"], list) else [item["answer"]]
        right = all(answer in found for answer in wanted)
        top3 += right
        first += bool(found) and found[0] in wanted and (right or len(wanted) == 1)
        empty += not hits
        if show and not right:
            print(f"miss     {item['q']!r} -> {found} (wanted {item['answer']})")
    return top3, first, empty


def report(name: str, total: int, top3: int, first: int, empty: int) -> None:
    print(
        f"{name}: top 3: {top3}/{total} ({100 * top3 / total:.0f} %); first: {first}/{total} "
        f"({100 * first / total:.0f} %); answered with nothing: {empty}"
    )


def own(show: bool) -> None:
    questions = json.loads(QUESTIONS.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "ml"
        shutil.copytree(CORPUS, root)
        ws = init(root)
        counts = ask(ws, questions, lambda h: f"{Path(h.path).name}:{h.line}", show)
    report("own questions (ML Zoomcamp notes, NN_slug.md)", len(questions), *counts)


def indexed(ws: Any) -> set[str]:
    from notes_tool.stores.search_index import open_index, update

    with open_index(ws) as db:
        update(ws, db)
        return {str(row[0]) for row in db.execute("SELECT path FROM files")}


def layout(name: str, show: bool, parts: list[str]) -> None:
    questions = json.loads((LAYOUT / f"{name}.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "course"
        shutil.copytree(LAYOUT / name, root)
        notes = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.md"))
        ws = init(root)
        names = {note: note for note in notes}
        condition = "every Markdown file a note, as the course is"
        if not set(notes) <= indexed(ws):
            # This build indexes lesson notes by their NN_slug.md names only: a flattened copy.
            root = Path(folder) / "flat"
            root.mkdir()
            names = {}
            for number, note in enumerate(notes, 1):
                flat = f"{number:02d}_{re.sub(r'[^A-Za-z0-9]+', '-', note.removesuffix('.md')).strip('-')}.md"
                shutil.copyfile(Path(folder) / "course" / note, root / flat)
                names[flat] = note
            ws = init(root)
            condition = (
                f"this build indexes lesson notes only: a flattened copy, {len(indexed(ws))} notes as NN_name.md"
            )
        print(f"{name} course ({condition})")
        for part in parts:
            chosen = [q for q in questions if q["part"] == part]
            if not chosen:
                continue
            counts = ask(ws, chosen, lambda h: f"{names.get(h.path, h.path)}:{h.line}", show)
            report(f"  {part} part", len(chosen), *counts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", action="store_true", help="print every question that misses")
    parser.add_argument("--only", choices=["own", *COURSES], help="one set of questions")
    parser.add_argument("--part", choices=["tune", "held"], help="one part of the layout questions")
    args = parser.parse_args()
    if args.only != "layout":
        own(args.show)
    for name in COURSES:
        if args.only in (None, name):
            layout(name, args.show, [args.part] if args.part else ["tune", "held"])


if __name__ == "__main__":
    main()
