"""Talking to the outside: git (GitPython) and GitHub's gist API."""
