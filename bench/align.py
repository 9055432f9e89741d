"""How well `notes stamp` finds where sections start: against published chapter times.

The DataTalks.Club website keeps its podcast episodes with their transcripts (lines with start
seconds) and chapters (``quotableClips``: a title and its start second). Fetch its repository
and extract ``_podcast/`` to a folder (the data is not ours to commit), then:

Run: python3 bench/align.py --dir /tmp/dtc/_podcast [--episodes 200]

Each episode's chapter titles alone are aligned to its transcript (the transcript's own section
headers left out: they would give the answer away). Reported: the share of chapters found within
15 s and 30 s of the published start, the share given no moment, and the time taken per hour of
transcript.

Then the notes in ``bench/align_notes/``: notes of our own on three of those episodes, headings and
text in our words, with a few sections of "own research" the episode never covers. Each is put in
a fresh workspace with its episode's transcript (``notes transcript add``, from the JSON
youtube-transcript-api prints) and stamped (``notes stamp --dry-run``). ``expected`` in a note's
front matter is the second its section's content starts at (read off the transcript by hand), or
null for the own-research sections. Reported: the share of sections stamped within 30 s, and how
many moments went to sections the video never covers.

Targets (issue #19): titles alone >= 80 % within 30 s; with section text >= 95 % within 30 s and
no moment for a section the video never covers; an hour aligned in < 1 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import yaml

from notes_tool.features import transcripts
from notes_tool.features.stamp import MIN_CONFIDENCE, stamp
from notes_tool.generate.align import align
from notes_tool.model import document
from notes_tool.structure.config import Config
from notes_tool.structure.workspace import Workspace

NOTES = Path(__file__).parent / "align_notes"


def episodes(
    folder: Path, limit: int, only: str = "*"
) -> list[tuple[str, list[tuple[str, int]], list[tuple[int, str]]]]:
    found = []
    for path in sorted(folder.glob(f"{only}.md")):
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
    chapters = within15 = within30 = none = sure = sure_near = 0
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
            if moment.confidence >= MIN_CONFIDENCE:  # what `notes stamp` would write
                sure += 1
                sure_near += abs(moment.seconds - published) <= 30
    print(f"episodes: {len(data)}, chapters: {chapters}")
    print(
        f"titles alone: within 15 s {100 * within15 / chapters:.0f} %, within 30 s {100 * within30 / chapters:.0f} %, "
        f"no moment {100 * none / chapters:.0f} %"
    )
    print(
        f"stamped (confidence >= {MIN_CONFIDENCE}): {100 * sure / chapters:.0f} % of chapters, "
        f"{100 * sure_near / max(sure, 1):.0f} % of those within 30 s"
    )
    print(f"time per hour of transcript: median {statistics.median(per_hour):.2f} s, max {max(per_hour):.2f} s")
    long_video(data)
    with_text(args.dir)
    print("targets: titles alone >= 80 % within 30 s; with text >= 95 % and 0 moments off the video; < 1 s an hour")


def long_video(data: list[tuple[str, list[tuple[str, int]], list[tuple[int, str]]]]) -> None:
    """The slow case: three episodes back to back, their lines cut into 8-word phrases as
    YouTube's captions come (~900 an hour), and 60 sections with a heading and 40 words each."""
    phrases: list[tuple[int, str]] = []
    sections: list[tuple[str, str]] = []
    offset = 0
    for _name, clips, lines in data[:3]:
        ends = [start for start, _ in lines[1:]] + [lines[-1][0] + 30]
        for (start, text), end in zip(lines, ends, strict=True):
            words = text.split()
            pieces = [words[i : i + 8] for i in range(0, len(words), 8)] or [[]]
            for k, piece in enumerate(pieces):
                phrases.append((offset + start + (end - start) * k // len(pieces), " ".join(piece)))
        sections += [
            (title, " ".join(lines[(7 * i) % len(lines)][1].split()[:40])) for i, (title, _) in enumerate(clips)
        ]
        offset = phrases[-1][0] + 10
    started = time.perf_counter()
    align(sections[:60], phrases)
    spent = time.perf_counter() - started
    hours = phrases[-1][0] / 3600
    print(
        f"long video: {hours:.1f} h, {len(phrases)} phrases, {len(sections[:60])} sections with text: "
        f"{spent:.2f} s ({spent / hours:.2f} s an hour)"
    )


def with_text(folder: Path) -> None:
    covered = near = wrong = outside = given = 0
    for source in sorted(NOTES.glob("*.md")):
        meta = document.parse(source, source.read_text(encoding="utf-8")).front_matter
        found = episodes(folder, 10_000, only=str(meta["episode"]))
        if not found:
            print(f"{source.name}: its episode is not in {folder}")
            continue
        lines = found[0][2]
        with tempfile.TemporaryDirectory() as tmp:
            ws = Workspace(Path(tmp), Config())
            note = Path(tmp) / "01_episode.md"
            note.write_bytes(source.read_bytes())
            spoken = Path(tmp) / "transcript.json"
            spoken.write_text(json.dumps([{"text": text, "start": sec, "duration": 1} for sec, text in lines]))
            transcripts.add(ws, note, spoken)
            rows = stamp(ws, note, dry_run=True)
        for row, expected in zip(rows, meta["expected"], strict=True):
            moment = row.seconds if row.reason == "stamped" else None
            if expected is None:
                outside += 1
                given += moment is not None
                continue
            covered += 1
            if moment is None:
                continue
            if abs(moment - expected) <= 30:
                near += 1
            else:
                wrong += 1
                print(f"  {source.stem[:24]}: {row.heading!r} at {moment} s, expected {expected} s")
    print(
        f"with section text: {covered} sections the video covers, within 30 s {100 * near / covered:.0f} %, "
        f"wrong {wrong}, none {covered - near - wrong}; own research: {given} of {outside} given a moment"
    )


if __name__ == "__main__":
    main()
