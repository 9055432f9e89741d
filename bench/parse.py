"""The note model's parse against a plain `MarkdownIt("commonmark").parse` of the same text.

Run: python3 bench/parse.py [--notes 200]
The model must be at least as fast (it parses inline content only for headings).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import make_note, source_texts
from markdown_it import MarkdownIt

from notes_tool.model import document


def best_of(fn, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(3)
    texts = source_texts()
    notes = [make_note(i, texts, rng) for i in range(1, args.notes + 1)]
    megabytes = sum(len(n.encode()) for n in notes) / 1e6
    md = MarkdownIt("commonmark")
    plain = best_of(lambda: [md.parse(n) for n in notes])
    model = best_of(lambda: [document.parse(Path("n.md"), n) for n in notes])
    print(f"{args.notes} notes, {megabytes:.1f} MB")
    print(f"MarkdownIt('commonmark').parse : {plain:6.2f} s  ({megabytes / plain:5.1f} MB/s)")
    print(f"notes_tool document.parse       : {model:6.2f} s  ({megabytes / model:5.1f} MB/s)")
    print(f"model / full parse              : {model / plain:6.2f}x  (target <= 1x)")


if __name__ == "__main__":
    main()
