"""Helpers for the hostile-input tests (test_security, test_bad_input, test_fuzz).

Every refusal is checked the same way: the exit code, exactly one line on standard error, no
traceback. Commands run in-process with CliRunner, or as a child process (``autokg_process``)
where the attack could crash the interpreter or hang, always with a time limit.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from autokg.cli import cli

ACME = str(Path(__file__).parent / "data" / "cli" / "acme.ttl")
SRC = str(Path(__file__).resolve().parents[1] / "src")

__all__ = ["ACME", "invoke", "autokg_process", "assert_refused", "snapshot", "store_quads", "make_store", "Outcome"]


class Outcome:
    """What a command did: exit code, standard output and standard error."""

    def __init__(self, code: int, stdout: str, stderr: str):
        self.code, self.stdout, self.stderr = code, stdout, stderr

    def __repr__(self) -> str:
        return f"Outcome(code={self.code}, stdout={self.stdout[:300]!r}, stderr={self.stderr[:600]!r})"


def invoke(*args: str, env: dict[str, str] | None = None, input: str | bytes | None = None) -> Outcome:
    """Run autokg in-process; exceptions are not caught by CliRunner (a traceback is a failure)."""
    result = CliRunner().invoke(cli, list(args), env=env, input=input, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        tb = "".join(traceback.format_exception(result.exception))
        return Outcome(-1, result.stdout, result.stderr + "\nTraceback (from CliRunner)\n" + tb)
    return Outcome(result.exit_code, result.stdout, result.stderr)


def autokg_process(*args: str, env: dict[str, str] | None = None, timeout: float = 60,
                   input: bytes | None = None, limit_memory: int | None = None) -> Outcome:
    """Run ``python -m autokg`` as a child process with a time limit (and an optional address-space limit)."""
    full_env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", ""), **(env or {})}

    def limits() -> None:  # pragma: no cover - runs in the child
        if limit_memory:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (limit_memory, limit_memory))

    try:
        proc = subprocess.run([sys.executable, "-m", "autokg", *args], capture_output=True, timeout=timeout,
                              env=full_env, input=input, preexec_fn=limits if limit_memory else None)
    except subprocess.TimeoutExpired:
        return Outcome(-999, "", f"timed out after {timeout} s")
    return Outcome(proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"))


def assert_refused(outcome: Outcome, code: int = 2, *, says: str | None = None) -> None:
    """Exit ``code``, one line on stderr, no traceback (and ``says`` in that line, if given)."""
    assert outcome.code == code, outcome
    lines = [line for line in outcome.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, outcome
    assert "Traceback" not in outcome.stderr and "Traceback" not in outcome.stdout, outcome
    if says is not None:
        assert says.lower() in lines[0].lower(), outcome


def snapshot(*paths: str | os.PathLike[str]) -> dict[str, tuple]:
    """The state of files and folders (kind, mode, content hash, link target), to show nothing changed."""
    state: dict[str, tuple] = {}
    for root in paths:
        root = Path(root)
        items = [root] + (sorted(root.rglob("*")) if root.is_dir() and not root.is_symlink() else [])
        for p in items:
            if p.is_symlink():
                state[str(p)] = ("link", os.readlink(p))
            elif not p.exists():
                state[str(p)] = ("missing",)
            elif p.is_file():
                st = p.stat()
                # RocksDB rewrites its LOG files on every open: they are not state.
                if p.name.startswith("LOG"):
                    continue
                state[str(p)] = ("file", st.st_mode, hashlib.sha256(p.read_bytes()).hexdigest())
            else:
                state[str(p)] = ("other", p.stat().st_mode)
    return state


def store_quads(path: str | os.PathLike[str]) -> set:
    """The quads of an on-disk store (opened read-only, so that looking changes nothing)."""
    import pyoxigraph as ox

    return set(ox.Store.read_only(str(path)))


def make_store(path: Path, turtle: str = '<http://e/s> <http://e/p> "o" .\n') -> Path:
    """A small on-disk store holding ``turtle`` (through the CLI, as a user makes one)."""
    seed = path.parent / f"{path.name}-seed.ttl"
    seed.write_text(turtle, encoding="utf-8")
    outcome = invoke("store", "load", str(seed), "--store", str(path), "--no-progress")
    assert outcome.code == 0, outcome
    return path
