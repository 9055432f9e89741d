"""Publishing cheat sheets as gists: the network and git edge of ``notes cheats publish``.

One gist per sheet, holding ``NAME.md``; other files in the gist are left alone. The first
publish creates the gist through GitHub's REST API (``POST /gists``); later ones go over git
(clone or fetch into the cache folder, write, commit, push), so deletions and history work. If
the gist moved since our last publish, nothing is pushed without ``--force``, and even then
only fast-forward: the gist's history keeps every version. The token comes from
``GITHUB_TOKEN`` or ``GH_TOKEN``; it reaches git through ``GIT_ASKPASS`` and an environment
variable, never a URL, a file or the output.
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from notes_tool.edges import gitrepo
from notes_tool.edges.gitrepo import message_of
from notes_tool.errors import PublishError

if TYPE_CHECKING:
    from git import Repo  # (GitPython is imported lazily: notes_tool.edges.gitrepo)

API_DEFAULT = "https://api.github.com"
TOKEN_VAR = "NOTES_TOOL_GIST_TOKEN"


def token() -> str | None:
    return os.environ.get("GITHUB_TOKEN") or os.environ.get("GH_TOKEN") or None


def api_url() -> str:
    return (os.environ.get("GITHUB_API_URL") or API_DEFAULT).rstrip("/")


def parse_ref(value: str) -> tuple[str, str]:
    """``(gist id, git URL)`` from an id, a gist page URL or a git URL."""
    value = value.strip()
    if re.fullmatch(r"[0-9a-f]{8,}", value):
        return value, f"https://gist.github.com/{value}.git"
    match = re.match(
        r"^(?:https://gist\.github\.com/(?:[^/]+/)?|git@gist\.github\.com:)([0-9a-f]{8,})(?:\.git)?/?$", value
    )
    if match:
        return match.group(1), f"https://gist.github.com/{match.group(1)}.git"
    if value.startswith(("file://", "/", "https://", "ssh://")) or os.path.isdir(value):
        return Path(value.rstrip("/")).name.removesuffix(".git"), value
    raise PublishError(f"not a gist id or URL: {value!r}")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """The API never redirects a gist's creation; a redirect would carry the token elsewhere."""

    def redirect_request(
        self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> None:
        raise urllib.error.HTTPError(req.full_url, code, f"redirected to {newurl}; not followed", headers, fp)


_OPENER = urllib.request.build_opener(_NoRedirects)


def gist_hosts() -> set[str]:
    """Where the token may go over git: GitHub's gist host, or GitHub Enterprise's host."""
    api = urllib.parse.urlsplit(api_url())
    return {"gist.github.com"} if api.hostname in (None, "api.github.com") else {api.hostname}


def token_may_go_to(url: str) -> bool:
    """Whether git may be given the token for ``url``: HTTPS to a gist host, nothing else."""
    parts = urllib.parse.urlsplit(url)
    return parts.scheme == "https" and parts.hostname in gist_hosts()


def check_push_url(url: str, config: Path) -> None:
    """A gist URL read from notes.toml (which may come with a clone) must lead to a gist host
    over HTTPS. A local path or file:// URL (a self-hosted or test set-up) is taken only when
    the user's own environment names another API (``GITHUB_API_URL``)."""
    if token_may_go_to(url):
        return
    local = url.startswith(("file://", "/")) or Path(url).is_absolute()
    if local and os.environ.get("GITHUB_API_URL"):
        return
    raise PublishError(f"the recorded gist URL {url!r} is not a gist on GitHub; not published", config)


def create(name: str, content: str, public: bool, description: str) -> dict[str, Any]:
    """``POST /gists``; the API's answer (``id``, ``html_url``, ``git_push_url``, ``history``)."""
    secret = token()
    if not secret:
        raise PublishError("no token: set GITHUB_TOKEN or GH_TOKEN to a token with the gist scope")
    body = json.dumps({"description": description, "public": public, "files": {f"{name}.md": {"content": content}}})
    request = urllib.request.Request(
        f"{api_url()}/gists",
        data=body.encode("utf-8"),
        method="POST",
        headers={
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {secret}",
            "X-GitHub-Api-Version": "2022-11-28",
            "Content-Type": "application/json",
            "User-Agent": "notes-tool",
        },
    )
    try:
        with _OPENER.open(request, timeout=30) as response:
            answer: dict[str, Any] = json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        exc.close()  # the error carries the open response
        if 300 <= exc.code < 400:
            raise PublishError(f"GitHub's API answered with a redirect (HTTP {exc.code}); not followed") from None
        if exc.code in (401, 403, 404):
            raise PublishError(
                f"GitHub refused to create the gist (HTTP {exc.code}): the token lacks the gist scope or is not valid"
            ) from None
        raise PublishError(f"GitHub answered HTTP {exc.code} ({exc.reason}) to creating the gist") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise PublishError(f"cannot reach {api_url()}: {reason}") from None
    except ValueError:
        raise PublishError("GitHub's answer to creating the gist was not JSON") from None
    if not isinstance(answer, dict) or "id" not in answer or "git_push_url" not in answer:
        raise PublishError("GitHub's answer to creating the gist had no id or git URL")
    return answer


_ASKPASS = """\
import os, sys, urllib.parse
prompt = sys.argv[1] if len(sys.argv) > 1 else ""
asked = prompt.split("'")
where = urllib.parse.urlsplit(asked[1] if len(asked) == 3 else "")
if where.scheme != "https" or where.hostname not in HOSTS or not prompt.startswith(("Username for ", "Password for ")):
    sys.exit("notes: the gist token is only for " + ", ".join(sorted(HOSTS)) + " over HTTPS")
print("x-access-token" if prompt.startswith("Username") else os.environ.get(TOKEN_VAR, ""))
"""
"""The askpass helper: the token only to a gist host asking over HTTPS (HOSTS and TOKEN_VAR
are set above it); any other prompt is refused (git then stops)."""


@contextmanager
def git_env(url: str) -> Iterator[dict[str, str]]:
    """Environment for git talking to ``url``: the token through GIT_ASKPASS (a throwaway
    script), never in a URL, and only for a gist host (:func:`token_may_go_to`); the helper
    checks which host asks before answering, git follows no redirect (a gist host's
    ``info/refs`` answering 302 to another host would otherwise get that host asking), and
    credential helpers are off for these commands, so none can store the token on disk."""
    env = {
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_CONFIG_COUNT": "2",
        "GIT_CONFIG_KEY_0": "credential.helper",
        "GIT_CONFIG_VALUE_0": "",  # an empty helper clears the list configured anywhere else
        "GIT_CONFIG_KEY_1": "http.followRedirects",
        "GIT_CONFIG_VALUE_1": "false",
    }
    secret = token()
    if not secret or not token_may_go_to(url):
        yield env
        return
    with tempfile.TemporaryDirectory(prefix="notes-askpass-") as folder:
        # git asks "Username for 'URL'" then "Password for 'URL'": any user name, the token as password.
        program = Path(folder, "askpass.py")
        hosts = sorted(host.lower() for host in gist_hosts())
        program.write_text(f"#!{sys.executable}\nHOSTS = {hosts!r}\nTOKEN_VAR = {TOKEN_VAR!r}\n{_ASKPASS}")
        program.chmod(stat.S_IRWXU)
        script = program
        if os.name == "nt":  # Windows runs GIT_ASKPASS as a program: wrap the script
            script = Path(folder, "askpass.cmd")
            script.write_text(f'@"{sys.executable}" "{program}" %*\r\n')
        env.update({"GIT_ASKPASS": str(script), TOKEN_VAR: secret})
        yield env


@dataclass
class Synced:
    """A gist's clone in the cache folder, fetched and set to the gist's current head."""

    repo: Repo
    branch: str
    head: str


def sync(folder: Path, url: str, env: dict[str, str]) -> Synced:
    """Clone ``url`` into ``folder``, or fetch it there, and reset to what the gist holds."""
    git = gitrepo._git()

    repo = None
    try:
        if (folder / ".git").exists():
            repo = git.Repo(folder)
            with repo.git.custom_environment(**env):
                repo.remotes.origin.set_url(url)
                repo.git.fetch("--quiet", "origin")
        else:
            folder.parent.mkdir(parents=True, exist_ok=True)
            repo = git.Repo.clone_from(url, folder, env={**os.environ, **env})
        branch = _default_branch(repo)
        head = repo.git.rev_parse(f"origin/{branch}")
        repo.git.checkout("-q", "-B", branch, f"origin/{branch}")
        repo.git.reset("-q", "--hard", f"origin/{branch}")
        return Synced(repo, branch, head)
    except git.GitCommandError as exc:
        if repo is not None:
            repo.close()
        raise PublishError(f"git could not reach the gist: {message_of(exc)}") from None


def _default_branch(repo: Repo) -> str:
    try:
        ref = repo.git.symbolic_ref("refs/remotes/origin/HEAD")
        return str(ref).rsplit("/", 1)[-1]
    except Exception:
        names = [r.remote_head for r in repo.remotes.origin.refs if r.remote_head != "HEAD"]
        return "main" if "main" in names else (names[0] if names else "main")


def changes_between(repo: Repo, old: str, new: str) -> str:
    """What changed in the gist between two of its commits (names, then the diff)."""
    try:
        return str(repo.git.diff("--stat", old, new)) + "\n" + str(repo.git.diff(old, new))
    except Exception:
        return f"(the gist's history no longer holds {old[:7]})"


def commit_and_push(synced: Synced, name: str, message: str, env: dict[str, str]) -> str:
    git = gitrepo._git()

    repo = synced.repo
    try:
        with repo.git.custom_environment(**env):
            repo.git.add("--", f"{name}.md")
            repo.git.commit("-q", "-m", message)
            repo.git.push("--quiet", "origin", f"HEAD:refs/heads/{synced.branch}")
        return str(repo.head.commit.hexsha)
    except git.GitCommandError as exc:
        raise PublishError(f"git could not push to the gist: {message_of(exc)}") from None
