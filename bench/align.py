"""How well `notes stamp` finds where sections start: against published chapter times.

The DataTalks.Club website keeps its podcast episodes with their transcripts (lines with start
seconds) and chapters (``quotableClips``: a title and its start second). Fetch its repository
and extract ``_podcast/`` to a folder (the data is not ours to commit), then:

Run: python3 bench/align.py --dir /tmp/dtc/_podcast [--episodes 200]

Each episode's chapter titles alone are aligned to its transcript (the transcript's own section
headers left out: they would give the answer away). Reported: the share of chapters found within
15 s and 30 s of the published start, the share given no moment, and the time taken per hour of
transcript. Targets (issue #19): titles alone >= 80 % within 30 s; an hour aligned in < 1 s.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import yaml

from notes_tool.generate.align import align


def episodes(folder: Path, limit: int) -> list[tuple[str, list[tuple[str, int]], list[tuple[int, str]]]]:
    found = []
    for path in sorted(folder.glob("*.md")):
        parts = path.read_text(encoding="utf-8").split("\n---", 1)
        try:
            meta = yaml.safe_load(parts[0].removeprefix("---"))
        except yaml.YAMLError:
            continue
        if not isinstance(meta, dict):
            continue
        clips = [(str(c["name"]), int(c["startOffset"])) for c in meta.get("quotableClips") or [] if "startOffset" in c]
        lines = [(int(t["sec"]), str(t["line"])) for t in meta.get("transcript") or [] if "line" in t and "sec" in t]
        if len(clips) >= 3 and len(lines) >= 20:
            found.append((path.stem, sorted(clips, key=lambda c: c[1]), sorted(lines)))
        if len(found) >= limit:
            break
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--episodes", type=int, default=200)
    args = parser.parse_args()
    data = episodes(args.dir, args.episodes)
    chapters = within15 = within30 = none = 0
    per_hour = []
    for _name, clips, lines in data:
        start = time.perf_counter()
        found = align([(title, "") for title, _ in clips], lines)
        spent = time.perf_counter() - start
        hours = max(lines[-1][0], 60) / 3600
        per_hour.append(spent / hours)
        for (_, published), moment in zip(clips, found, strict=True):
            chapters += 1
            if moment.seconds is None:
                none += 1
                continue
            within15 += abs(moment.seconds - published) <= 15
            within30 += abs(moment.seconds - published) <= 30
    print(f"episodes: {len(data)}, chapters: {chapters}")
    print(
        f"titles alone: within 15 s {100 * within15 / chapters:.0f} %, within 30 s {100 * within30 / chapters:.0f} %, "
        f"no moment {100 * none / chapters:.0f} %"
    )
    print(f"time per hour of transcript: median {statistics.median(per_hour):.2f} s, max {max(per_hour):.2f} s")
    print("targets: titles alone >= 80 % within 30 s; an hour aligned in < 1 s")


if __name__ == "__main__":
    main()
