"""`notes watch`: save -> TOC-updated latency, and CPU while idle.

Run: python3 bench/watch.py [--notes 500] [--saves 100] [--idle 60]

A generated 500-note workspace with one 2,000-line note; `notes watch` runs as its own process.
Each save appends a new heading to the big note (half written in place, half as a temp file
renamed over it, as editors do), then the latency is the time until the note's TOC lists the
heading. Saves are 0.5 s apart (a person does not save faster). Then the watcher's CPU time over
an idle minute, from /proc. Target: p95 <= quiet window (100 ms) + 100 ms.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ENV, notes_command, percentile, workspace_parser
from corpus import FIRST, build, note_name


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = workspace_parser(500, "/tmp/notes-watch-bench")
    parser.add_argument("--saves", type=int, default=100)
    parser.add_argument("--idle", type=float, default=60.0)
    args = parser.parse_args()
    root = build(args.dir, args.notes)
    big = root / note_name(FIRST)
    lines = [f"Line {i} of a long lesson, with enough words to look like real notes.\n" for i in range(1900)]
    big.write_text(big.read_text(encoding="utf-8").split("\n", 30)[0] + "\n" + "".join(lines), encoding="utf-8")
    big.write_text(
        "---\ntitle: Big\nvideo: https://youtu.be/abcdefghijk\n---\n<!-- notes:nav -->\n<!-- /notes:nav -->\n"
        "# Big lesson\n<!-- notes:toc -->\n<!-- /notes:toc -->\n"
        + "".join(f"## {i}:00 Part {i}\n" + "".join(lines[i * 19 : i * 19 + 19]) for i in range(100)),
        encoding="utf-8",
    )
    notes = notes_command()[0]
    subprocess.run([notes, "index"], cwd=root, env=ENV, capture_output=True, check=False)
    subprocess.run([notes, "cheats", "export"], cwd=root, env=ENV, capture_output=True, check=False)
    watcher = subprocess.Popen([notes, "watch"], cwd=root, env=ENV, stderr=subprocess.PIPE, text=True)
    assert watcher.stderr is not None
    watcher.stderr.readline()  # "watching ...": events are received from here on
    latencies = []
    try:
        for i in range(args.saves):
            text = big.read_text(encoding="utf-8") + f"\n## Added section {i}\n\nSome words.\n"
            entry = f"- [Added section {i}](#added-section-{i})"
            start = time.perf_counter()
            if i % 2:
                big.write_text(text, encoding="utf-8")
            else:
                temp = big.with_name(f".{big.name}.swp")
                temp.write_text(text, encoding="utf-8")
                os.replace(temp, big)
            while entry not in big.read_text(encoding="utf-8"):
                if time.perf_counter() - start > 30:
                    raise SystemExit(f"save {i}: TOC not updated after 30 s")
                time.sleep(0.002)
            latencies.append(time.perf_counter() - start)
            time.sleep(0.5)
        time.sleep(2)
        before = cpu_seconds(watcher.pid)
        time.sleep(args.idle)
        idle_cpu = cpu_seconds(watcher.pid) - before
    finally:
        watcher.send_signal(signal.SIGTERM)
        watcher.wait(30)
        watcher.stderr.close()
    print(f"workspace: {args.notes} notes; the saved note has {len(big.read_text().splitlines())} lines")
    print(
        f"save -> TOC updated, {args.saves} saves: p50 {percentile(latencies, 0.5) * 1000:.0f} ms, "
        f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms"
    )
    print(f"idle CPU over {args.idle:.0f} s: {idle_cpu:.2f} s ({100 * idle_cpu / args.idle:.2f}% of a core)")
    print("target: p95 <= 200 ms (quiet window 100 ms + 100 ms)")


if __name__ == "__main__":
    main()
