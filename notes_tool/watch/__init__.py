"""``notes watch``: the watcher loop, and what it does with pasted images and screenshots."""
