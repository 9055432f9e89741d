"""#24 item 11: the secret scan catches every form it claims (each pattern tested directly, with
near misses), cannot be dodged by what GitHub does not show, and runs before every commit."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import git, run

from notes_tool.model.secrets import SECRETS, find_secret

# Made up at run time, in the shapes the real ones have (none of them is a real credential).
GH = "ghp_" + "a1B2c3D4e5" * 3 + "f6G7h8"  # ghp_ + 36
AWS_ID = "AKIA" + "ABCDEFGHIJKLMNOP"  # AKIA + 16
AWS_TEMP = "ASIA" + "Q2W3E4R5T6Y7U8I9"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY"  # 40
PGP = "-----BEGIN PGP PRIVATE KEY BLOCK-----"

CAUGHT = {
    "rsa key": ("-----BEGIN RSA PRIVATE KEY-----", "a private key"),
    "openssh key": ("-----BEGIN OPENSSH PRIVATE KEY-----", "a private key"),
    "pgp key": (PGP, "a private key"),
    "plain key": ("-----BEGIN PRIVATE KEY-----", "a private key"),
    "ghp": (GH, "a GitHub token"),
    "gho": ("gho_" + "x" * 36, "a GitHub token"),
    "ghu": ("ghu_" + "x" * 36, "a GitHub token"),
    "ghs": ("ghs_" + "x" * 36, "a GitHub token"),
    "ghr": ("ghr_" + "x" * 36, "a GitHub token"),
    "fine-grained": ("github_pat_" + "11ABCDEFG0" * 3 + "_xyz", "a GitHub token"),
    "glued token": ("TOKEN=x" + GH, "a GitHub token"),
    "akia": (AWS_ID, "an AWS access key"),
    "asia": (AWS_TEMP, "an AWS access key"),
    "glued akia": ("key=x" + AWS_ID + "more", "an AWS access key"),
    "ini secret": (f"aws_secret_access_key = {AWS_SECRET}", "an AWS secret key"),
    "env secret": (f"export AWS_SECRET_ACCESS_KEY={AWS_SECRET}", "an AWS secret key"),
    "aws configure": (f"aws configure set aws_secret_access_key {AWS_SECRET}", "an AWS secret key"),
    "json secret": (f'{{"AccessKeyId": "x", "SecretAccessKey": "{AWS_SECRET}"}}', "an AWS secret key"),
    "cli flag": (f"--secret-access-key {AWS_SECRET}", "an AWS secret key"),
    "yaml secret": (f"secret_access_key: '{AWS_SECRET}'", "an AWS secret key"),
}

NEAR_MISSES = {
    "public key": "-----BEGIN PGP PUBLIC KEY BLOCK-----",
    "certificate": "-----BEGIN CERTIFICATE-----",
    "short ghp": "ghp_" + "x" * 29,
    "other prefix": "ghx_" + "x" * 36,
    "short pat": "github_pat_" + "x" * 19,
    "akia too short": "AKIA" + "ABCDEFGHIJKLMNO",
    "akia too long": "AKIA" + "ABCDEFGHIJKLMNOPQ",
    "akia lower case": "AKIA" + "abcdefghijklmnop",
    "other aws prefix": "AKIB" + "ABCDEFGHIJKLMNOP",
    "secret placeholder": "aws_secret_access_key = <your secret key>",
    "secret variable": "aws_secret_access_key = $AWS_SECRET_ACCESS_KEY",
    "secret too short": "aws_secret_access_key = abc123",
    "prose": "the secret access key is shown once in the console",
}


@pytest.mark.parametrize(("text", "what"), CAUGHT.values(), ids=CAUGHT.keys())
def test_each_form_is_caught(text: str, what: str) -> None:
    found = find_secret(f"line one\nsome text {text} more\n")
    assert found is not None and found[:2] == (1, what)


@pytest.mark.parametrize("text", NEAR_MISSES.values(), ids=NEAR_MISSES.keys())
def test_near_misses_are_not_secrets(text: str) -> None:
    assert find_secret(f"a\n{text}\n") is None


def test_every_pattern_is_tested() -> None:
    """A new pattern (or one dropped: a mutation removing ASIA survived the suite) shows here."""
    named = {what for _, what in SECRETS}
    assert named == {what for _, what in CAUGHT.values()}
    for pattern, what in SECRETS:
        assert any(pattern.search(text) for text, said in CAUGHT.values() if said == what), pattern.pattern


HIDDEN = {
    "html entity": GH.replace("_", "&#95;"),
    "named entity": GH.replace("_", "&lowbar;"),
    "html comment": GH[:10] + "<!-- x -->" + GH[10:],
    "comment over lines": GH[:10] + "<!--\nhidden\n-->" + GH[10:],
    "zero-width space": GH[:10] + "\u200b" + GH[10:],
    "zero-width joiner": AWS_ID[:6] + "\u200d" + AWS_ID[6:],
    "soft hyphen": AWS_ID[:6] + "\u00ad" + AWS_ID[6:],
    "empty tag": GH[:10] + "<b></b>" + GH[10:],
    "backslash escape": GH.replace("_", "\\_"),
}


@pytest.mark.parametrize("text", HIDDEN.values(), ids=HIDDEN.keys())
def test_what_github_does_not_show_cannot_hide_a_secret(text: str) -> None:
    found = find_secret(f"first\n{text}\nlast\n")
    assert found is not None and found[0] == 1


@pytest.mark.parametrize(
    ("secret", "what"),
    [
        (PGP + "\nlQdGBF4...\n-----END PGP PRIVATE KEY BLOCK-----", "a private key"),
        (AWS_ID, "an AWS access key"),
        (GH, "a GitHub token"),
    ],
    ids=["pgp", "aws", "github"],
)
def test_commit_refuses_a_staged_secret_and_commits_nothing(example: Path, secret: str, what: str) -> None:
    assert run("commit", "-m", "start", cwd=example).exit_code == 0
    head = git("rev-parse", "HEAD", cwd=example)
    note = example / "03_workflow-orchestration.md"
    note.write_text(note.read_text() + "\n## Setup\n\n```text\n" + secret + "\n```\n")
    staged_before = git("diff", "--cached", "--name-only", cwd=example)
    result = run("commit", cwd=example)
    line = note.read_text().splitlines().index(secret.splitlines()[0]) + 1  # (after the build's TOC)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"03_workflow-orchestration.md:{line}: holds what looks like {what}")
    assert "--allow-secret" in result.stderr
    assert git("rev-parse", "HEAD", cwd=example) == head
    assert git("diff", "--cached", "--name-only", cwd=example) == staged_before
    allowed = run("commit", "--allow-secret", cwd=example)
    assert allowed.exit_code == 0, allowed.stderr
    assert git("rev-parse", "HEAD", cwd=example) != head


def test_commit_scans_what_the_user_staged_too(example: Path) -> None:
    assert run("commit", "-m", "start", cwd=example).exit_code == 0
    (example / "credentials.txt").write_text(f"[default]\naws_secret_access_key = {AWS_SECRET}\n")
    git("add", "credentials.txt", cwd=example)
    result = run("commit", "-m", "notes", cwd=example)
    assert result.exit_code == 1 and result.stderr.startswith("credentials.txt:2: holds what looks like an AWS")
    assert git("diff", "--cached", "--name-only", cwd=example) == "credentials.txt\n"  # yours, left staged


def test_commit_of_ordinary_notes_is_not_slowed_by_false_alarms(example: Path) -> None:
    result = run("commit", cwd=example)
    assert result.exit_code == 0, result.stderr
