"""The commands' work: index, cheat sheets, search, check, new notes, init, commit, publish."""
