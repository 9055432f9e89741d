"""Typed times and video links with thousands of digits (``?t=999...9``, ``(999...9:10)``):
Python refuses to turn more than 4,300 digits into a number, and ``search`` and ``stamp`` ended
in a ValueError traceback. A time of more digits than any video has is no time."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run

DIGITS = "9" * 5000
NOTE = f"""\
# Digits

## Setup ({DIGITS}:10)

### Step [[{DIGITS}:39](https://youtu.be/abcdefghijk?t={DIGITS})]

> [{DIGITS}:53](https://youtu.be/abcdefghijk?t={DIGITS}) Title

## Later [1:10](https://youtu.be/abcdefghijk?t={DIGITS}s)

Setup words here.
"""


@pytest.mark.parametrize(
    "args", [["search", "setup"], ["stamp", "05_digits.md"], ["index"], ["check"], ["cheats", "export"]]
)
def test_times_of_thousands_of_digits_give_no_traceback(example: Path, args: list[str]) -> None:
    (example / "05_digits.md").write_text(NOTE)
    result = run(*args, cwd=example)
    assert "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


@pytest.mark.parametrize("args", [["index"], ["new", "Three"], ["check"]])
def test_a_lesson_label_of_thousands_of_digits_gives_no_traceback(tmp_path: Path, args: list[str]) -> None:
    ws = tmp_path / "ws"
    for number in (1, 2):
        (ws / f"week{number}").mkdir(parents=True)
        (ws / f"week{number}" / "README.md").write_text(f"# Week {number}\n\ntext\n")
    (ws / "notes.toml").write_text('course = "C"\n')
    index = (
        f"# C\n\n<!-- notes:index -->\n- [Week {DIGITS}: One](week1/)\n- [Week 2: Two](week2/)\n<!-- /notes:index -->\n"
    )
    (ws / "README.md").write_text(index)
    result = run(*args, cwd=ws)
    assert "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
