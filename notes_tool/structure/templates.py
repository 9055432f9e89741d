"""Jinja2 templates for new notes: the workspace's ``templates/`` first, then the built-in ones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from notes_tool.errors import NoteError
from notes_tool.fsio.confine import is_inside


def data_dir(name: str) -> Path:
    """A folder shipped with the package (``templates``, ``examples``).

    Inside an installed wheel it sits at ``notes_tool/_data/NAME``; in a source checkout it is
    the top-level folder of the repository.
    """
    package = Path(__file__).resolve().parents[1]
    packaged = package / "_data" / name
    return packaged if packaged.is_dir() else package.parent / name


def _yaml_scalar(value: Any) -> str:
    """A YAML flow scalar: JSON strings and numbers are valid YAML."""
    return json.dumps(value, ensure_ascii=False)


def available(workspace_templates: Path) -> list[str]:
    names: set[str] = set()
    for folder in (workspace_templates, data_dir("templates")):
        if folder.is_dir():
            names.update(p.name.removesuffix(".md.j2") for p in folder.glob("*.md.j2"))
    return sorted(names)


class _Confined(jinja2.FileSystemLoader):
    """Loads a workspace's templates only from inside the workspace: a clone may hold
    ``templates/lesson.md.j2 -> ~/.aws/credentials``, whose text would become a note, then a
    commit, then a push."""

    def __init__(self, folders: list[Path], allowed: list[Path]) -> None:
        super().__init__([str(folder) for folder in folders])
        self.allowed = allowed

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        source, filename, uptodate = super().get_source(environment, template)
        if not any(is_inside(Path(filename), allowed) for allowed in self.allowed):
            raise NoteError("leads outside the workspace (through a link); not used as a template", Path(filename))
        return source, filename, uptodate


def render(name: str, workspace_templates: Path, context: dict[str, Any], root: Path) -> str:
    """The template ``name`` rendered; ``root``: the workspace, which its own templates must be
    inside once links are followed (the built-in ones are always fine)."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise NoteError(f"bad template name {name!r}")
    builtin = data_dir("templates")
    # Sandboxed: a workspace's templates come with the clone, and a template must not be able
    # to run code (Jinja2 otherwise reaches Python's objects through attributes).
    env = SandboxedEnvironment(
        loader=_Confined([workspace_templates, builtin], [root, builtin]),
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
    )
    env.filters["yaml"] = _yaml_scalar
    filename = f"{name}.md.j2"
    try:
        template = env.get_template(filename)
        return template.render(**context)
    except jinja2.TemplateNotFound:
        known = ", ".join(available(workspace_templates)) or "none"
        raise NoteError(f"no template named {name!r} (available: {known})") from None
    except jinja2.TemplateSyntaxError as exc:
        raise NoteError(f"template error: {exc.message}", exc.filename or filename, exc.lineno) from None
    except jinja2.UndefinedError as exc:
        raise NoteError(f"template {filename}: {exc.message}") from None
    except SecurityError as exc:
        raise NoteError(f"template {filename} tried something unsafe and was stopped: {exc}") from None
    except UnicodeDecodeError:
        raise NoteError(f"template {filename} (or one it includes) is not UTF-8 text") from None
    except RecursionError:  # a template that includes or calls itself, without end
        raise NoteError(f"template {filename} includes or calls itself without end") from None
