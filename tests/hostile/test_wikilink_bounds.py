"""The wikilink resolver against a clone with thousands of headings and thousands of
``[[links]]`` that name none of them: each guess scored every heading of the course (hours of
CPU for one ``notes index``). Guessing is bounded per run; a link named exactly still resolves."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HEADINGS = 2000


def test_thousands_of_unmatched_wikilinks_do_not_hang_index(example: Path) -> None:
    lines = ["# Big", ""]
    for i in range(HEADINGS):
        lines += [f"## Heading {i}", "", f"see [[Missing {i}]] and [[01#Nothing {i}]]", ""]
    lines += ["## Last", "", f"and [[Heading {HEADINGS - 1}]] named exactly", ""]
    (example / "04_big.md").write_text("\n".join(lines))
    try:
        done = subprocess.run(
            [sys.executable, "-m", "notes_tool", "index"], cwd=example, capture_output=True, text=True, timeout=60
        )
    except subprocess.TimeoutExpired:
        raise AssertionError("notes index still resolving wikilinks after 60 s") from None
    assert "Traceback" not in done.stderr
    text = (example / "04_big.md").read_text()
    assert f"and [Heading {HEADINGS - 1}](#heading-{HEADINGS - 1}) named exactly" in text
    assert "[[Missing 5]] matches no heading" in done.stderr
