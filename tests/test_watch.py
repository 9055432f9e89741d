"""`notes watch` with a real observer on real files: waits on conditions, never fixed sleeps."""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import git

from notes_tool.structure.workspace import open_workspace
from notes_tool.watch.watcher import Watcher


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError("condition not met in time")


class Running:
    def __init__(self, root: Path, **options: object):
        self.lines: list[str] = []
        self.watcher = Watcher(open_workspace(root), self.lines.append, quiet_ms=100, **options)  # type: ignore[arg-type]
        ready = threading.Event()
        self.thread = threading.Thread(target=self.watcher.run, args=(ready.set,), name="watch-loop")
        self.thread.start()
        assert ready.wait(10)

    def settle(self, rounds: int) -> None:
        """Wait until at least ``rounds`` rounds ran and nothing is pending."""
        wait_until(lambda: len(self.watcher.rounds) >= rounds and self.watcher.idle())

    def stop(self) -> None:
        self.watcher.stop()
        self.thread.join(10)
        assert not self.thread.is_alive()


@pytest.fixture
def watching(example: Path) -> Iterator[Callable[..., Running]]:
    started: list[Running] = []

    def start(**options: object) -> Running:
        running = Running(example, **options)
        started.append(running)
        return running

    yield start
    for running in started:
        running.stop()


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def save_by_rename(path: Path, text: str) -> None:
    """What many editors do: write a temp file next to the note, then rename it over the note."""
    temp = path.with_name(f".{path.name}.swp")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


def test_an_in_place_save_updates_the_toc_and_says_so(example: Path, watching: Callable[..., Running]) -> None:
    w = watching()
    note = example / "03_workflow-orchestration.md"
    append(note, "\n## 15:00 Live section\n")
    w.settle(1)
    assert "- [15:00 Live section](#1500-live-section)" in note.read_text()
    assert "## [15:00](https://www.youtube.com/watch?v=W3Zm6rjOq70&t=900s) Live section" in note.read_text()
    assert w.lines == ["03_workflow-orchestration.md: timestamps 1, toc, back-to-top"]


def test_a_temp_file_renamed_over_the_note_is_a_save(example: Path, watching: Callable[..., Running]) -> None:
    w = watching()
    note = example / "02_docker-and-postgres.md"
    save_by_rename(note, note.read_text().replace(") Why Docker", ") Why containers"))
    w.settle(1)
    assert "- [0:00 Why containers](#000-why-containers)" in note.read_text()
    assert len(w.watcher.rounds) == 1


def test_a_title_change_follows_into_the_neighbours_nav_and_the_index_round_after_round(
    example: Path, watching: Callable[..., Running]
) -> None:
    w = watching()
    note = example / "02_docker-and-postgres.md"
    before, after = example / "01_introduction-to-data-engineering.md", example / "03_workflow-orchestration.md"
    for rounds, title in enumerate(["Containers and Postgres", "Docker, again", "Containers and Postgres"], 1):
        text = note.read_text()
        old = next(line for line in text.splitlines() if line.startswith("title: "))
        note.write_text(text.replace(old, f"title: {title}"))
        w.settle(rounds)
        assert f"[Lesson 2: {title} »](02_docker-and-postgres.md)" in before.read_text()
        assert f"[« Lesson 2: {title}](02_docker-and-postgres.md)" in after.read_text()
        assert f"[Lesson 2: {title}](02_docker-and-postgres.md)" in (example / "README.md").read_text()
    others = [before, after, example / "README.md"]
    kept = [p.read_bytes() for p in others]
    append(note, "\n## A section that changes no title\n")  # the course is the same: no other file changes
    w.settle(4)
    assert w.lines[-1].startswith("02_docker-and-postgres.md: ") and "(" not in w.lines[-1]
    assert [p.read_bytes() for p in others] == kept
    assert "- [A section that changes no title](#a-section-that-changes-no-title)" in note.read_text()


def test_a_burst_of_events_is_one_round_and_own_writes_start_none(
    example: Path, watching: Callable[..., Running]
) -> None:
    w = watching()
    note = example / "03_workflow-orchestration.md"
    for i in range(3):
        append(note, f"\n## Burst {i}\n")
    w.settle(1)
    other = example / "01b_virtual-environments-on-an-intel-mac.md"
    append(other, "\n## Later\n")
    w.settle(2)
    assert len(w.watcher.rounds) == 2  # our own writes of round 1 never made a round
    assert "- [Burst 2](#burst-2)" in note.read_text()


def test_swap_backup_git_and_cache_files_are_ignored(example: Path, watching: Callable[..., Running]) -> None:
    w = watching()
    for name in (".03_x.md.swp", "03_x.md~", ".#03_x.md", "03_x.md.tmp"):
        (example / name).write_text("# junk\n")
    (example / ".notes-cache" / "junk.md").write_text("# junk\n")
    git("add", "-A", cwd=example)  # writes .git/index
    marker = example / "01b_virtual-environments-on-an-intel-mac.md"
    append(marker, "\n## After the junk\n")
    w.settle(1)
    assert [r.saved for r in w.watcher.rounds] == [[marker]]


def test_a_broken_note_is_reported_and_the_watcher_carries_on(example: Path, watching: Callable[..., Running]) -> None:
    w = watching()
    (example / "04_broken.md").write_text("# Four\n\n<!-- notes:toc -->\n")
    w.settle(1)
    assert any("04_broken.md:3: region notes:toc is never closed" in line for line in w.lines)
    note = example / "03_workflow-orchestration.md"
    append(note, "\n## Still working\n")
    w.settle(2)
    assert "- [Still working](#still-working)" in note.read_text()


def test_a_broken_note_is_reported_once_not_on_every_other_save(
    example: Path, watching: Callable[..., Running]
) -> None:
    w = watching()
    broken = example / "04_broken.md"
    broken.write_text("# Four\n\n<!-- notes:toc -->\n")
    w.settle(1)
    note = example / "03_workflow-orchestration.md"
    for n in range(3):
        append(note, f"\n## Section {n}\n")
        w.settle(2 + n)
    told = [line for line in w.lines if "never closed" in line]
    assert len(told) == 1
    append(broken, "\nStill broken.\n")  # saved again: the user is told again
    wait_until(lambda: len([line for line in w.lines if "never closed" in line]) == 2)


def test_a_file_saved_again_while_we_worked_is_never_overwritten(example: Path) -> None:
    from notes_tool.features import index, index_changes

    ws = open_workspace(example)
    note = example / "03_workflow-orchestration.md"
    append(note, "\n## Planned\n")
    outcome = index.plan(ws)
    typed = note.read_text() + "\nThe user kept typing.\n"
    note.write_text(typed)
    index_changes.write(outcome)
    assert note.read_text() == typed
    assert any("changed on disk while we worked" in e.message for e in outcome.errors)


def test_commit_after_a_quiet_period(example: Path, watching: Callable[..., Running]) -> None:
    assert git("status", "--porcelain", cwd=example) == ""  # (init --example committed the course)
    w = watching(commit_after=0.3)
    append(example / "03_workflow-orchestration.md", "\n## 16:00 Backfills\n\nText.\n")
    wait_until(lambda: any(line.startswith("committed ") for line in w.lines))
    assert git("log", "-1", "--format=%s", cwd=example).strip() == "Notes for 3: Backfills"
    assert git("status", "--porcelain", cwd=example).strip() == ""


def test_a_failing_commit_is_reported_and_the_watcher_goes_on(example: Path, watching: Callable[..., Running]) -> None:
    (example / ".git" / "MERGE_HEAD").write_text("0" * 40)
    w = watching(commit_after=0.2)
    note = example / "03_workflow-orchestration.md"
    append(note, "\n## One\n")
    wait_until(lambda: any(line.startswith("commit failed: a merge is in progress") for line in w.lines))
    append(note, "\n## Two\n")
    wait_until(lambda: "- [Two](#two)" in note.read_text())


def test_screenshots_are_moved_named_and_linked(
    example: Path, tmp_path: Path, watching: Callable[..., Running]
) -> None:
    shots = tmp_path / "Desktop"
    w = watching(screenshots=shots)
    note = example / "02_docker-and-postgres.md"
    append(note, "\n## Looking at pgAdmin\n")
    w.settle(1)
    (shots / "Screen Shot 2026-11-24 at 10.00.00.png").write_bytes(b"\x89PNG" + b"0" * 100)
    wait_until(lambda: (example / "images" / "02_01.png").exists() and w.watcher.idle())
    assert not any(shots.iterdir())
    assert note.read_text().endswith("\n![Screenshot](images/02_01.png)\n")
    (shots / "second.jpg").write_bytes(b"\xff\xd8" + b"0" * 100)
    wait_until(lambda: (example / "images" / "02_02.jpg").exists() and w.watcher.idle())


def test_vs_code_pasted_image_is_renamed_and_the_link_fixed(example: Path, watching: Callable[..., Running]) -> None:
    w = watching()
    (example / "image.png").write_bytes(b"\x89PNG" + b"1" * 50)
    note = example / "03_workflow-orchestration.md"
    append(note, "\n![alt text](image.png)\n")
    wait_until(lambda: (example / "images" / "03_01.png").exists() and w.watcher.idle())
    assert "![alt text](images/03_01.png)" in note.read_text()
    assert not (example / "image.png").exists()


def test_the_cli_stops_cleanly_on_sigterm(example: Path) -> None:
    import signal
    import subprocess
    import sys

    process = subprocess.Popen(
        [sys.executable, "-m", "notes_tool", "watch"], cwd=example, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    assert "watching" in process.stderr.readline()
    append(example / "03_workflow-orchestration.md", "\n## Before stopping\n")
    wait_until(
        lambda: "- [Before stopping](#before-stopping)" in (example / "03_workflow-orchestration.md").read_text()
    )
    process.send_signal(signal.SIGTERM)
    assert process.wait(10) == 0
    with process.stderr:
        assert "stopped" in process.stderr.read()


@pytest.mark.slow
def test_soak_randomized_saves_with_typing_during_our_writes_lose_no_bytes(
    example: Path, watching: Callable[..., Running]
) -> None:
    w = watching()
    rng = random.Random(11)
    notes = sorted(example.glob("0*.md"))
    tokens: dict[Path, list[str]] = {note: [] for note in notes}
    for i in range(1000):
        note = rng.choice(notes)
        token = f"token-{i:04d}"
        tokens[note].append(token)
        text = note.read_text(encoding="utf-8") + f"\n{token} typed {'## heading ' if i % 7 == 0 else ''}\n"
        if i % 2:
            note.write_text(text, encoding="utf-8")
        else:
            save_by_rename(note, text)
        if rng.random() < 0.3:
            time.sleep(rng.uniform(0.05, 0.2))  # pauses let rounds start: later saves race our writes
    wait_until(lambda: w.watcher.idle(), timeout=60)
    for note, expected in tokens.items():
        text = note.read_text(encoding="utf-8")
        missing = [t for t in expected if t not in text]
        assert missing == [], f"{note.name} lost {len(missing)} of {len(expected)} typed lines"
    raced = sum("changed on disk" in p for r in w.watcher.rounds for p in r.problems)
    print(f"\nsoak: 1000 saves, {len(w.watcher.rounds)} rounds, {raced} writes refused (saved meanwhile), 0 lost")


def _in_place_writer_loses_nothing(example: Path, w: Running, saves: int) -> None:
    """An editor that writes in place after a delay: open, read, wait, write the text plus a
    line. When our rename lands in that wait, its write goes into the file we replaced."""
    note = example / "03_workflow-orchestration.md"
    for i in range(saves):
        with open(note, "r+", encoding="utf-8", newline="") as handle:
            text = handle.read()
            time.sleep(0.02)
            handle.seek(0)
            handle.write(text + f"\nline-{i:03d}\n")
            handle.truncate()
        time.sleep(random.Random(i).uniform(0.0, 0.15))
    wait_until(lambda: w.watcher.idle() and not w.watcher.late_writes.pending, timeout=60)
    text = note.read_text(encoding="utf-8")
    lost = [i for i in range(saves) if f"line-{i:03d}" not in text]
    assert lost == [], f"{len(lost)} of {saves} lines lost"


def test_an_editor_writing_in_place_after_a_delay_loses_nothing(
    example: Path, watching: Callable[..., Running]
) -> None:
    _in_place_writer_loses_nothing(example, watching(), 40)
    assert not list(example.glob("*.recovered"))


@pytest.mark.slow
@pytest.mark.parametrize("run_number", [1, 2, 3])
def test_soak_in_place_writer(example: Path, watching: Callable[..., Running], run_number: int) -> None:
    _in_place_writer_loses_nothing(example, watching(), 300)


def test_quiet_prints_problems_only(example: Path) -> None:
    import signal
    import subprocess
    import sys

    process = subprocess.Popen(
        [sys.executable, "-m", "notes_tool", "watch", "--quiet"], cwd=example, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    assert "watching" in process.stderr.readline()
    note = example / "03_workflow-orchestration.md"
    append(note, "\n## 17:00 Quietly\n")
    wait_until(lambda: "- [17:00 Quietly](#1700-quietly)" in note.read_text())
    (example / "04_broken.md").write_text("# Four\n\n<!-- notes:toc -->\n")
    assert "04_broken.md:3: region notes:toc is never closed" in process.stderr.readline()
    process.send_signal(signal.SIGTERM)
    assert process.wait(10) == 0
    with process.stderr:
        assert process.stderr.read() == "stopped\n"


@pytest.mark.parametrize("kind", ["pasted", "screenshot"])
def test_an_image_moves_only_once_the_note_that_links_it_is_written(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """The user saves the note right before our write: the write is refused, so the image must
    stay where it was (a note never links an image that is not there)."""
    from notes_tool.errors import ConcurrentEdit
    from notes_tool.fsio.late_writes import LateWrites
    from notes_tool.fsio.read import Snapshot
    from notes_tool.fsio.write import write_atomic
    from notes_tool.structure.workspace import open_workspace
    from notes_tool.watch import images

    note = example / "02_docker-and-postgres.md"
    shots = tmp_path / "shots"
    shots.mkdir()
    image = example / "image.png" if kind == "pasted" else shots / "Screenshot 1.png"
    image.write_bytes(b"\x89PNG fake")
    if kind == "pasted":
        note.write_text(note.read_text() + "\n![](image.png)\n")
    users = note.read_text() + "\nTyped while the watcher worked.\n"
    real_write = write_atomic

    def user_saves_first(
        path: Path,
        data: bytes,
        expected: Snapshot | None = None,
        within: Path | None = None,
        late_writes: LateWrites | None = None,
    ) -> bool:
        path.write_text(users)
        return real_write(path, data, expected, within=within, late_writes=late_writes)

    monkeypatch.setattr(images, "write_atomic", user_saves_first)
    ws = open_workspace(example)
    with pytest.raises(ConcurrentEdit):
        if kind == "pasted":
            images.adopt_pasted(ws, note)
        else:
            images.add_screenshot(ws, note, image)
    assert note.read_text() == users
    assert image.read_bytes() == b"\x89PNG fake"
    assert not list(ws.images_dir.glob("02_*")) if ws.images_dir.is_dir() else True


@pytest.mark.parametrize("delay", [0.0, 0.05])
def test_a_save_just_before_ctrl_c_is_finished_not_dropped(
    example: Path, watching: Callable[..., Running], delay: float
) -> None:
    w = watching()
    note = example / "03_workflow-orchestration.md"
    append(note, "\n## 15:00 Saved as I stopped\n")
    time.sleep(delay)  # within the quiet window (100 ms): the round had not started
    w.stop()
    assert "- [15:00 Saved as I stopped](#1500-saved-as-i-stopped)" in note.read_text()
