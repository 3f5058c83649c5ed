"""Ctrl-C during a query: exit 130 at once.

The query runs on a thread (:func:`autokg.stoppable.run_on_thread`), with a larger stack than the
default as a margin for the engine's recursion below the nesting limit. On Ctrl-C the thread is
inside the engine and cannot be unwound, so the process ends at once; nothing is committed on
that path (a query is a read), so the store stays as it was, as it does after kill -9.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TypeVar

import click

from ..stoppable import ENGINE_STACK, run_on_thread
from .common import EXIT_INTERRUPTED

__all__ = ["run_stoppably"]

T = TypeVar("T")


def run_stoppably(work: Callable[[], T], *, what: str = "the query") -> T:
    """``work()`` run on a thread; its result, or its exception re-raised here. Ctrl-C exits 130."""
    click_context = click.get_current_context(silent=True)  # thread-local: handed to the thread

    def in_context(job: Callable[[], T]) -> T:
        if click_context is None:
            return job()
        with click_context.scope(cleanup=False):
            return job()

    try:
        return run_on_thread(work, stack_size=ENGINE_STACK, wrap=in_context)
    except KeyboardInterrupt:
        sys.stderr.write(f"Interrupted: {what} was stopped; nothing was changed\n")
        sys.stderr.flush()
        os._exit(EXIT_INTERRUPTED)  # the thread is inside the engine and cannot be unwound
