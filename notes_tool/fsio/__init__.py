"""Every read and guarded atomic write of a user's file: the bottom layer, with the errors.

Import from the module that holds what you need (this package re-exports nothing):

- :mod:`.read`: reading a file (regular files only, bounded), its :class:`Snapshot`, decoding;
- :mod:`.write`: atomic writes guarded against a save made meanwhile, and new files;
- :mod:`.confine`: the guards against writing through a link that leads outside the workspace;
- :mod:`.late_writes`: the watch on an editor's save into a file our write replaced, and
  :mod:`.merge`, the three-way merge by lines that puts it back.
"""
