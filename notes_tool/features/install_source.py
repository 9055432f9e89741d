"""What a CI machine should install to have the notes_tool the user has.

The user's ``install`` setting comes first; else pip's record of where this copy came from
(PEP 610's ``direct_url.json`` in the installed distribution): a git URL and its commit, or an
archive URL. A local folder or an editable install cannot be reached from CI: then there is no
answer, and :func:`why_unknown` says what to set instead.
"""

from __future__ import annotations

import importlib.metadata
import json
from dataclasses import dataclass
from urllib.parse import urlsplit

from notes_tool.structure.config import Config, install_spec_ok

DISTRIBUTION = "notes-tool"
EXAMPLE_SPEC = "git+https://github.com/YOU/notes_tool@v1.2"


@dataclass(frozen=True)
class InstallSource:
    spec: str | None
    """A pip requirement CI can install, or None when none is known."""
    why: str
    """Where it came from, or why there is none (for the user)."""


def resolve(config: Config) -> InstallSource:
    """The workspace's ``install`` setting, else where this notes_tool was installed from."""
    if config.install:
        return InstallSource(config.install, "as `install` in notes.toml says")
    try:
        dist = importlib.metadata.distribution(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return InstallSource(None, "notes_tool is not installed as a package here (run from a source folder)")
    return from_direct_url(dist.read_text("direct_url.json"), dist.version)


def from_direct_url(text: str | None, version: str) -> InstallSource:
    """A pip requirement from PEP 610's ``direct_url.json`` (None: installed from a package index)."""
    if text is None:
        spec = f"{DISTRIBUTION}=={version}"
        return InstallSource(spec, "from the package index, as this notes_tool was")
    try:
        record = json.loads(text)
        url = str(record["url"])
    except (ValueError, KeyError, TypeError):
        return InstallSource(None, "pip's record of where notes_tool came from cannot be read")
    parts = urlsplit(url)
    if parts.scheme == "file":
        kind = "an editable install" if (record.get("dir_info") or {}).get("editable") else "a local copy"
        return InstallSource(None, f"this notes_tool is {kind} from {parts.path}, which CI cannot reach")
    if parts.scheme != "https":
        return InstallSource(None, f"notes_tool came from {url}, which is not an https URL CI can install from")
    if parts.username or parts.password:
        return InstallSource(None, "pip's record of where notes_tool came from holds a user name or password")
    vcs = record.get("vcs_info")
    if isinstance(vcs, dict):
        if vcs.get("vcs") != "git" or not vcs.get("commit_id"):
            return InstallSource(None, f"notes_tool came from {url}, a {vcs.get('vcs')} repository")
        spec = f"git+{url}@{vcs['commit_id']}"
    else:
        spec = url
    if not install_spec_ok(spec):
        return InstallSource(None, f"notes_tool came from {url}, which is not an https URL CI can install from")
    return InstallSource(spec, f"from where this notes_tool was installed ({url})")


def why_unknown(source: InstallSource) -> str:
    """What to do when no spec is known: one line for the user."""
    return (
        f"no workflow written: {source.why}. Set install in notes.toml to what CI should install, "
        f'like install = "{EXAMPLE_SPEC}" (a tag or commit you pushed), and run this again'
    )
