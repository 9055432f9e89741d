"""What the tool remembers between runs, in the cache folder: the note store (one record per note,
with the search index), and the workspace lock."""
