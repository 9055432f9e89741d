"""notes_tool: keep course-video study notes consistent, linked and searchable."""

__version__ = "0.1.0"
