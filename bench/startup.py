"""`notes --help` against a bare click group with the same commands that do nothing.

The reference is the dependency we chose: click itself building the same help. The ratio is our
own cost on top of it (target: <= 1.3x).

Run: python3 bench/startup.py [--runs 20]
Both run with bytecode caching on (PYTHONDONTWRITEBYTECODE removed), as on a user's machine.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ENV, notes_command

BARE = '''
import click

@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-w", "--workspace")
def cli(workspace):
    """Study notes."""

for name in %(names)r:
    cli.command(name)(lambda: None)

cheats = click.Group("cheats", help="Cheat sheets.")
cheats.command("export")(lambda: None)
cheats.command("publish")(lambda: None)
cli.add_command(cheats)
cli(prog_name="notes")
'''


def timed(cmd: list[str], runs: int) -> float:
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=ENV)  # warm-up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=ENV)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    from notes_tool.cli import cli

    names = sorted(name for name in cli.commands if name != "cheats")
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "bare_click.py"
        script.write_text(BARE % {"names": names})
        bare = timed([sys.executable, str(script), "--help"], args.runs)
    helped = timed([*notes_command(), "--help"], args.runs)
    print(f"bare click group --help : {bare * 1000:7.1f} ms (median of {args.runs})")
    print(f"notes --help            : {helped * 1000:7.1f} ms")
    print(f"ratio                   : {helped / bare:7.2f}x  (target <= 1.3x)")


if __name__ == "__main__":
    main()
