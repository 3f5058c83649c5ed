"""Long engine work that Ctrl-C stops at once.

pyoxigraph evaluates a query or a bulk load in Rust with the GIL released but never looks at
signals, so work run on the main thread ignores Ctrl-C until it ends (hours for a cross
product). :func:`run_on_thread` runs it on a thread instead, while the main thread waits in
short, interruptible joins: Ctrl-C raises ``KeyboardInterrupt`` there at once. The thread cannot
be unwound from inside the engine; it is a daemon, and whatever it was writing (a store load's
copy) is never committed, so the store keeps its last committed state.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import TypeVar

__all__ = ["run_on_thread", "ENGINE_STACK", "engine_work_running"]

T = TypeVar("T")

#: The stack of a thread that runs engine work: pyoxigraph recurses over a query's syntax tree, and
#: a flat query of 8,000 UNION branches overflows the main thread's 8 MB (signal 11); 64 MB is a
#: margin well past what the nesting and size limits let through.
ENGINE_STACK = 64 << 20

#: Threads still inside engine work. After Ctrl-C the process must not run the interpreter's normal
#: exit while one of them writes: the engine's store is torn down under it and the process aborts
#: (signal 6) instead of exiting 130.
_RUNNING: set[threading.Thread] = set()


def engine_work_running() -> bool:
    """Whether a thread started by :func:`run_on_thread` is still at work.

    >>> engine_work_running()
    False
    """
    return any(thread.is_alive() for thread in list(_RUNNING))


def run_on_thread(work: Callable[[], T], *, name: str = "autokg-work", stack_size: int | None = None,
                  wrap: Callable[[Callable[[], T]], T] | None = None) -> T:
    """``work()`` run on a thread of its own; its result, or its exception re-raised here.

    ``stack_size`` gives the thread a larger stack (a margin for the engine's recursion);
    ``wrap`` runs ``work`` inside the caller's context on the thread (``wrap(work)``). Off the main
    thread (where no signal arrives) the work simply runs here.

    >>> run_on_thread(lambda: 6 * 7)
    42
    """
    if threading.current_thread() is not threading.main_thread():
        return wrap(work) if wrap else work()
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = wrap(work) if wrap else work()
        except BaseException as err:  # noqa: BLE001 - handed to the main thread, raised there
            # pyoxigraph's results must be dropped on the thread that made them: free the frames'
            # locals here (the traceback itself stays, for --debug).
            traceback.clear_frames(err.__traceback__)
            outcome["error"] = err
        finally:
            _RUNNING.discard(threading.current_thread())

    previous = threading.stack_size(stack_size) if stack_size else None
    try:
        thread = threading.Thread(target=target, name=name, daemon=True)
        _RUNNING.add(thread)
        thread.start()
    finally:
        if previous is not None:
            threading.stack_size(previous)
    while thread.is_alive():
        thread.join(0.2)
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome.get("value")  # type: ignore[return-value]
