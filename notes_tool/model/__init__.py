"""The note model: one parser (document), and splicing edits back into the exact bytes (edit)."""
