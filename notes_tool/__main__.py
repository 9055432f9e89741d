"""``python -m notes_tool``: the same as the ``notes`` command."""

from notes_tool.cli import main

if __name__ == "__main__":
    main()
