"""Generated workspaces for the benchmarks: the shared corpus repeated into N lesson notes.

``python3 bench/corpus.py DIR [--notes 2000]`` lays out the speaker's course repository from
``../shared/corpus/ml-zoomcamp`` in DIR (his notes, images and project folders, so the links in
his text lead somewhere, as in a real course) and makes ``DIR/notes`` a workspace with N more
lesson notes of about 25 kB each (~81 MB for 2,000), numbered from 100 on, each made of his lesson
notes plus nav/TOC regions, timestamped headings and marked snippets. Without the corpus, the
notes are generated text and DIR/notes holds only them.
"""

from __future__ import annotations

import argparse
import random
import shutil
import stat
from pathlib import Path

CORPUS = next(
    (
        up / "shared" / "corpus" / "ml-zoomcamp"
        for up in Path(__file__).resolve().parents
        if (up / "shared" / "corpus").is_dir()
    ),
    Path(__file__).resolve().parents[2] / "shared" / "corpus" / "ml-zoomcamp",
)
"""Beside this clone (../shared), or further up (a git worktree's clone sits deeper)."""
NOTE_BYTES = 25_000


FIRST = 100
"""The first generated lesson number (the speaker's own notes are lessons 1 to 11)."""


def note_name(number: int) -> str:
    return f"{number:04d}_lesson-{number}.md"


def source_texts() -> list[str]:
    if CORPUS.is_dir():
        # His lesson notes only: their relative links point from notes/, where the copies go.
        texts = [p.read_text(encoding="utf-8") for p in sorted((CORPUS / "notes").glob("*.md"))]
        return [t for t in texts if len(t) > 2000]
    rng = random.Random(1)
    words = [
        "docker",
        "volume",
        "kubernetes",
        "model",
        "deploy",
        "flask",
        "pipenv",
        "lambda",
        "tensor",
        "serving",
        "gateway",
    ]
    out = []
    for i in range(20):
        parts = []
        for j in range(40):
            parts.append(f"## Section {i}.{j} {rng.choice(words)}\n\n")
            parts.append(" ".join(rng.choice(words) for _ in range(120)) + "\n\n")
            parts.append("```bash\ndocker run -it --rm image:latest\n```\n\n")
        out.append("".join(parts))
    return out


def make_note(number: int, texts: list[str], rng: random.Random) -> str:
    body = []
    size = 0
    k = number
    while size < NOTE_BYTES:
        text = texts[k % len(texts)]
        body.append(text)
        size += len(text)
        k += 7
    minute = 0
    extra = []
    for j in range(10):
        minute += rng.randint(1, 6)
        extra.append(f"## {minute}:{rng.randint(0, 59):02d} Timed topic {j}\n\nSome words about it.\n\n")
        extra.append(f'```bash cheat=sheet{j % 3} title="Snippet {number}.{j}"\ndocker ps -a --filter n={j}\n```\n\n')
    return (
        f"---\ntitle: Lesson {number}\nvideo: https://youtu.be/vid{number:05d}\n---\n\n"
        "<!-- notes:nav -->\n<!-- /notes:nav -->\n\n"
        f"# Lesson {number}\n\n<!-- notes:toc -->\n<!-- /notes:toc -->\n\n" + "".join(extra) + "\n".join(body)
    )


def build(folder: Path, notes: int, seed: int = 7) -> Path:
    """Lay out the course in ``folder``; returns the workspace, ``folder/notes``."""
    if folder.exists():
        shutil.rmtree(folder)
    root = folder / "notes"
    if CORPUS.is_dir():
        shutil.copytree(CORPUS, folder, ignore=shutil.ignore_patterns(".git*"))
        for path in [folder, *folder.rglob("*")]:  # (the shared corpus is read-only; a user's notes are not)
            path.chmod(path.stat().st_mode | stat.S_IWUSR)
    root.mkdir(parents=True, exist_ok=True)
    (root / "notes.toml").write_text('course = "Bench course"\nnumber_width = 4\n', encoding="utf-8")
    index = root / "README.md"  # his course index, with a region for ours at its end
    start = index.read_text(encoding="utf-8") + "\n" if index.exists() else "# Bench\n\n"
    index.write_text(start + "<!-- notes:index -->\n<!-- /notes:index -->\n", encoding="utf-8")
    rng = random.Random(seed)
    texts = source_texts()
    for number in range(FIRST, FIRST + notes):
        (root / note_name(number)).write_text(make_note(number, texts, rng), encoding="utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dir", type=Path)
    parser.add_argument("--notes", type=int, default=2000)
    args = parser.parse_args()
    root = build(args.dir, args.notes)
    total = sum(p.stat().st_size for p in root.glob("*.md"))
    print(f"{args.notes} notes, {total / 1e6:.1f} MB in {root}")


if __name__ == "__main__":
    main()
