"""The ``notes`` command's entry point.

A lookup should answer in milliseconds, and importing click costs more than the search itself
(~30 ms of a ~50 ms run). So ``notes search WORDS...`` with no option at all, the everyday
form, is answered here without click, by a running ``notes watch`` when there is one. Every
other command line, ``notes search --help`` and any option included, goes to
:mod:`notes_tool.cli`, which defines the command. The answer, errors and exit codes are the
same either way (the tests compare them).
"""

from __future__ import annotations

import sys


def _is_plain_search(args: list[str]) -> bool:
    return len(args) > 1 and args[0] == "search" and not any(arg.startswith("-") for arg in args[1:])


def quick_search(words: list[str]) -> int:
    """``notes search WORDS`` with every option at its default; returns the exit status.

    A running ``notes watch`` is asked first (:mod:`notes_tool.live`): it has the index open.
    """
    from notes_tool import live

    color = sys.stdout.isatty()
    status, out, err = live.ask(words, color) or _search_here(words, color)
    sys.stdout.write(out)
    sys.stdout.flush()
    sys.stderr.write(err)
    return status


def _search_here(words: list[str], color: bool) -> tuple[int, str, str]:
    from notes_tool import search
    from notes_tool.errors import NotesError
    from notes_tool.workspace import open_workspace

    try:
        ws = open_workspace()
    except NotesError as exc:
        return 1, "", f"{exc}\n"
    return search.answer(ws, " ".join(words), color)


def main() -> None:
    args = sys.argv[1:]
    if _is_plain_search(args):
        try:
            status = quick_search(args[1:])
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            status = 130
        except BrokenPipeError:  # `notes search x | head`: stop quietly, as click does
            sys.stderr.close()
            status = 1
        sys.exit(status)
    from notes_tool.cli import main as cli_main

    cli_main()
