"""Commands for the terminal itself: shell completion."""

from __future__ import annotations

import click

from notes_tool.cli.app import cli


@cli.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell: str) -> None:
    """Print the script that completes `notes` commands and options in SHELL.

    \b
    bash:  notes completion bash > ~/.notes-complete.bash
           echo '. ~/.notes-complete.bash' >> ~/.bashrc
    zsh:   notes completion zsh > ~/.notes-complete.zsh
           echo '. ~/.notes-complete.zsh' >> ~/.zshrc
    fish:  notes completion fish > ~/.config/fish/completions/notes.fish
    """
    from click.shell_completion import get_completion_class

    completer = get_completion_class(shell)
    assert completer is not None  # (click knows the three shells offered)
    click.echo(completer(cli, {}, "notes", "_NOTES_COMPLETE").source())
