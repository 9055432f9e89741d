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
