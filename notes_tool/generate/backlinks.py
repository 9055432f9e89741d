"""Backlinks: the sections of other notes that link to a note, grouped by the section linked,
as the ``notes:backlinks`` region and ``notes links`` show them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from notes_tool.fsio.confine import real_path
from notes_tool.generate.linking import Head, Page, destination
from notes_tool.model import mdtext

REGION = "backlinks"
Outgoing = dict[Path, list[tuple[str, int]]]
"""Note -> ``(href, zero-based line)`` of each link it writes outside generated regions."""


@dataclass(frozen=True)
class Source:
    """A section that links: the note and the heading it sits under (None: above every heading)."""

    page: Page
    head: Head | None

    def name(self) -> str:
        where = self.page.code or self.page.path.stem
        return f"{where} › {self.head.label or self.head.text}" if self.head else f"{where} {self.page.title}".strip()

    def href(self, source_dir: Path) -> str:
        return mdtext.href(self.page.path, source_dir, self.head.slug if self.head else "")


Incoming = dict[str, list[Source]]
"""Anchor of the section linked ("" for the note itself) -> the sections linking to it."""


def incoming(pages: list[Page], outgoing: Outgoing) -> dict[Path, Incoming]:
    """For each note, the sections of the other notes that link to it, in course order."""
    by_real = {real_path(page.path): page for page in pages}
    found: dict[Path, Incoming] = {page.path: {} for page in pages}
    for page in pages:
        for href, line in outgoing.get(page.path, []):
            found_at = destination(page.path, href)
            target = by_real.get(found_at[0]) if found_at is not None else None
            if target is None or target is page or found_at is None:
                continue
            anchor = found_at[1]
            if anchor and not any(h.slug == anchor and not h.owned for h in target.outline):
                continue  # (a broken link: `notes check` names it)
            sources = found[target.path].setdefault(anchor, [])
            source = Source(page, _section(page, line))
            if source not in sources:
                sources.append(source)
    return found


def _section(page: Page, line: int) -> Head | None:
    above = [h for h in page.outline if not h.owned and h.line <= line]
    title = [h for h in page.outline if h.level == 1 and h.text.strip() == page.title]
    head = above[-1] if above else None
    return None if head is not None and head in title else head


def body(page: Page, linked: Incoming) -> str:
    """The region's Markdown: one line per section linked to, the note itself first."""
    if not linked:
        return ""
    heads = {h.slug: h for h in page.outline}
    lines = ["Linked from:", ""]
    for anchor in sorted(linked, key=lambda a: heads[a].line if a in heads else -1):
        what = mdtext.link(heads[anchor].label or heads[anchor].text, f"#{anchor}") if anchor else "This note"
        sources = " · ".join(mdtext.link(s.name(), s.href(page.path.parent)) for s in linked[anchor])
        lines.append(f"- {what}: {sources}")
    return "\n".join(lines) + "\n"


def as_json(page: Page, linked: Incoming, root: Path) -> list[dict[str, object]]:
    """``notes links --json``: each section linked to, with who links to it."""
    heads = {h.slug: h for h in page.outline}
    return [
        {
            "anchor": anchor,
            "heading": (heads[anchor].label or heads[anchor].text) if anchor in heads else None,
            "from": [
                {"note": s.href(root), "heading": s.head.label if s.head else None, "name": s.name()}
                for s in linked[anchor]
            ],
        }
        for anchor in sorted(linked, key=lambda a: heads[a].line if a in heads else -1)
    ]
