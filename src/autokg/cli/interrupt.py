"""Long work that Ctrl-C stops at once, with exit 130.

pyoxigraph evaluates a query in Rust with the GIL released but never looks at signals, so a
query run on the main thread ignores Ctrl-C until it ends (hours for a cross product). The work
runs on a thread instead, and the main thread waits in short, interruptible joins: Ctrl-C there
prints one line and ends the process at once. Nothing is committed on that path; the work is a
read (a query), so the store stays as it was, as it does after kill -9. The thread gets a larger
stack than the default, as a margin for the engine's recursion below the nesting limit.
"""

from __future__ import annotations

import os
import sys
import threading
import traceback
from collections.abc import Callable
from typing import TypeVar

import click

__all__ = ["run_stoppably", "EXIT_INTERRUPTED"]

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
_STACK = 64 << 20
T = TypeVar("T")


def run_stoppably(work: Callable[[], T], *, what: str = "the query") -> T:
    """``work()`` run on a thread; its result, or its exception re-raised here. Ctrl-C exits 130."""
    outcome: dict[str, object] = {}
    click_context = click.get_current_context(silent=True)  # thread-local: handed to the thread

    def target() -> None:
        try:
            if click_context is None:
                outcome["value"] = work()
            else:
                with click_context.scope(cleanup=False):
                    outcome["value"] = work()
        except BaseException as err:  # noqa: BLE001 - handed to the main thread, raised there
            # pyoxigraph's results must be dropped on the thread that made them: free the frames'
            # locals here (the traceback itself stays, for --debug).
            traceback.clear_frames(err.__traceback__)
            outcome["error"] = err

    previous = threading.stack_size(_STACK)
    try:
        thread = threading.Thread(target=target, name="autokg-work", daemon=True)
        thread.start()
    finally:
        threading.stack_size(previous)
    try:
        while thread.is_alive():
            thread.join(0.2)
    except KeyboardInterrupt:
        sys.stderr.write(f"Interrupted: {what} was stopped; nothing was changed\n")
        sys.stderr.flush()
        os._exit(EXIT_INTERRUPTED)  # the thread is inside the engine and cannot be unwound
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome.get("value")  # type: ignore[return-value]
