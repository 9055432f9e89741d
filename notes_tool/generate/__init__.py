"""Generators: parsed notes in, region bodies and edits out (TOC, nav, timestamps, snippets, adoption)."""
