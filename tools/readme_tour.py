"""Regenerate the command tour in README.md from real runs of the CLI on the bundled graph.

Each ``<!-- tour: ARGS -->`` marker in README.md is followed by a fenced block holding the output
of ``autokg ARGS``; this script reruns every one and rewrites the blocks, so the README shows what
the current graph answers. Run it after changing data or commands: ``python tools/readme_tour.py``.
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

from click.testing import CliRunner

from autokg.cli import cli

README = Path(__file__).resolve().parent.parent / "README.md"
MARKER = re.compile(r"(<!-- tour: (?P<args>.*?) -->\n```text\n)(?P<body>.*?)(```)", re.S)
MAX_LINES = 25


def run(args: str) -> str:
    result = CliRunner().invoke(cli, shlex.split(args))
    lines = (result.output or "").rstrip("\n").splitlines()
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES] + [f"... ({len(lines) - MAX_LINES} more lines)"]
    shown = "\n".join(line.rstrip() for line in lines)
    return f"$ autokg {args}\n{shown}\n" + (f"(exit {result.exit_code})\n" if result.exit_code else "")


def main() -> int:
    text = README.read_text(encoding="utf-8")
    new = MARKER.sub(lambda m: m.group(1) + run(m.group("args")) + m.group(4), text)
    README.write_text(new, encoding="utf-8")
    print(f"{len(MARKER.findall(text))} blocks regenerated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
