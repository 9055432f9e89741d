"""`notes cheats export` on the generated 2,000-note workspace (~10 marked snippets a note),
against `notes index` on the same workspace with its cache deleted. Target: export <= 1x index.

Run: python3 bench/cheats.py [--notes 2000] [--dir /tmp/notes-bench]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import notes_command, wall, workspace_parser
from corpus import build


def main() -> None:
    args = workspace_parser().parse_args()
    root = build(args.dir, args.notes)
    notes = notes_command()
    wall([*notes, "--help"], root)  # warm-up: bytecode caches
    index_cold = wall([*notes, "index"], root)
    export = wall([*notes, "cheats", "export"], root)
    again = wall([*notes, "cheats", "export"], root)
    sheets = sorted(p.name for p in (root / "cheatsheets").glob("*.md"))
    size = sum(p.stat().st_size for p in (root / "cheatsheets").glob("*.md")) / 1e6
    print(f"workspace: {args.notes} notes; {len(sheets)} sheets written ({size:.1f} MB)")
    print(f"`notes index`, cold           {index_cold:7.2f} s")
    print(f"`notes cheats export`         {export:7.2f} s   ({export / index_cold:.2f}x index)")
    print(f"`notes cheats export` again   {again:7.2f} s   (nothing to write)")
    print("target: export <= 1x index")


if __name__ == "__main__":
    main()
