"""The model's outline of a note as plain data, for golden files."""

from __future__ import annotations

from typing import Any

from notes_tool.model.document import Note


def outline(note: Note) -> dict[str, Any]:
    return {
        "front_matter": {k: str(v) for k, v in note.front_matter.items()},
        "front_matter_span": list(note.front_matter_span) if note.front_matter_span else None,
        "title": note.title,
        "headings": [
            {
                "level": h.level,
                "lines": [h.line + 1, h.end],
                "text": h.text,
                "toc": h.markdown,
                "slug": h.slug,
                **({"nested": True} if h.nested else {}),
                **({"region": h.region} if h.region else {}),
                **({"omit": True} if h.omit else {}),
                **({"time": [h.time.shown, h.time.seconds, h.time.url]} if h.time else {}),
                **({"time_form": h.time.form, "label": h.label} if h.time and h.time.form != "lead" else {}),
            }
            for h in note.headings
        ],
        "fences": [
            {"lines": [f.line + 1, f.end], "lang": f.lang, "attrs": f.attrs, "content": f.content} for f in note.fences
        ],
        "regions": [[r.name, r.start + 1, r.end + 1] for r in note.regions],
        "newline": note.newline,
    }
