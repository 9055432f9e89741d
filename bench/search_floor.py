"""The floor under a whole-process `notes search` with no watcher: how fast can Python be?

Run: python3 bench/search_floor.py [--notes 2000] [--dir /tmp/notes-bench] [--queries 40]

Times a minimal search written for this benchmark only (``FLOOR`` below: `os` and `sqlite3`,
nothing else): it checks every note's size and mtime against the index, as `notes search` does
before each query, runs the same ranked FTS5 query and prints bare hits, without reading the
workspace's settings, showing paths or cleaning excerpts. Against `grep -ril` over the same
notes. If this floor barely beats grep, a real `notes search` process cannot.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import queries, wall, workspace_parser
from corpus import build

from notes_tool.features import search
from notes_tool.structure.workspace import open_workspace

FLOOR = """
import os, sqlite3, sys
db = sqlite3.connect(os.path.join(".notes-cache", "search.sqlite"))
known = {p: (s, m) for p, s, m in db.execute("SELECT path, size, mtime_ns FROM files")}
for entry in os.scandir("."):
    if entry.name[:1].isdigit() and entry.name.endswith(".md"):
        st = entry.stat()
        if known.get(entry.name) != (st.st_size, st.st_mtime_ns):
            sys.exit("stale index: run notes search once first")
q = " ".join(sys.argv[1:])
ids = [r[0] for r in db.execute(
    "SELECT rowid FROM sections WHERE sections MATCH ? ORDER BY bm25(sections, 10.0, 1.0, 0.5) LIMIT 10", [q])]
rows = db.execute(
    "SELECT breadcrumb, time, path, line, link, snippet(sections, -1, '**', '**', '...', 16) FROM sections "
    f"WHERE sections MATCH ? AND rowid IN ({','.join('?' * len(ids))})", [q, *ids]).fetchall()
sys.stdout.write("".join(f"{b} ({t})\\n  {s}\\n  {p}:{n}\\n  {k}\\n" for b, t, p, n, k, s in rows))
"""


def main() -> None:
    parser = workspace_parser()
    parser.add_argument("--queries", type=int, default=40)
    args = parser.parse_args()
    root = build(args.dir, args.notes)
    search.rebuild(open_workspace(root))
    words = queries(args.queries)
    grep = shutil.which("grep")
    if grep is None:
        raise SystemExit("needs grep")
    files = sorted(str(p) for p in root.glob("[0-9]*.md"))
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder, "floor.py")
        script.write_text(FLOOR, encoding="utf-8")
        wall([sys.executable, str(script), "docker"], root)  # warm-up
        floor = [wall([sys.executable, str(script), q], root) for q in words]
    greps = [wall([grep, "-ril", q, *files], root) for q in words]
    bare = [wall([sys.executable, "-c", "pass"], root) for _ in range(10)]
    p50 = statistics.median
    print(f"`python -c pass`                 p50 {p50(bare) * 1000:6.1f} ms")
    print(f"minimal os+sqlite3 search        p50 {p50(floor) * 1000:6.1f} ms")
    print(f"`grep -ril`, same notes          p50 {p50(greps) * 1000:6.1f} ms")
    print(f"floor / grep (medians)           {p50(floor) / p50(greps):6.2f}x")


if __name__ == "__main__":
    main()
