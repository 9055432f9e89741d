"""The ``notes`` command: a thin click layer over the library, one small function per command.

Each command parses its options, calls one function of :mod:`notes_tool.features` (imported
inside the command, so `notes --help` loads only click: ``bench/startup.py``), and prints.
"""

from notes_tool.cli import finding, linking, sharing, terminal, videos, writing
from notes_tool.cli.app import cli

__all__ = ["cli", "finding", "linking", "main", "sharing", "terminal", "videos", "writing"]


def main() -> None:
    cli(prog_name="notes")
