"""Search quality: the share of a student's questions whose answering section is in the top 3.

The questions (tests/fixtures/search_questions.json, written for this project) are asked of a copy
of the speaker's ML Zoomcamp notes (../shared/corpus/ml-zoomcamp), adopted with `notes init`.
Each names the section that answers it (file:line of its heading). Also counts the questions
answered with nothing at all.

Run: python3 bench/search_quality.py [--show]    (target: >= 95 % in the top 3, none unanswered)
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = next(
    (up / "shared" / "corpus" / "ml-zoomcamp" for up in ROOT.parents if (up / "shared" / "corpus").is_dir()),
    ROOT.parent / "shared" / "corpus" / "ml-zoomcamp",
)
"""The shared corpus: beside this clone (../shared), or further up (a git worktree's clone sits deeper)."""
QUESTIONS = ROOT / "tests" / "fixtures" / "search_questions.json"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", action="store_true", help="print every question that misses")
    args = parser.parse_args()
    from notes_tool.errors import NotesError
    from notes_tool.features import search
    from notes_tool.structure.workspace import open_workspace

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "ml"
        shutil.copytree(CORPUS, root)
        subprocess.run([sys.executable, "-m", "notes_tool", "init", str(root)], capture_output=True, check=True)
        ws = open_workspace(root)
        questions = json.loads(QUESTIONS.read_text(encoding="utf-8"))
        top3 = empty = 0
        for item in questions:
            try:
                hits = search.search(ws, item["q"], limit=3)
            except NotesError as exc:
                hits = []
                if args.show:
                    print(f"error    {item['q']!r}: {exc}")
            found = [f"{Path(h.path).name}:{h.line}" for h in hits]
            top3 += item["answer"] in found
            empty += not hits
            if args.show and item["answer"] not in found:
                print(f"miss     {item['q']!r} -> {found} (wanted {item['answer']})")
    total = len(questions)
    print(f"top 3: {top3}/{total} ({100 * top3 / total:.0f} %); answered with nothing: {empty}")


if __name__ == "__main__":
    main()
