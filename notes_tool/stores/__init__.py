"""What the tool remembers between runs, in the cache folder: the outline cache and the note facts."""
