"""The workspace: settings (notes.toml), lesson files by name, the course and its titles, templates."""
