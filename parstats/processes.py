"""Child processes that stop when asked and never outlive their parent.

:func:`terminate_as_interrupt` makes SIGTERM (``kill``, ``systemd``, CI
time-outs) stop a command the way Ctrl-C does, so its clean-up runs.
:func:`die_with_parent` makes a worker process end when its parent dies,
however it dies (SIGKILL included): Linux's ``prctl(PR_SET_PDEATHSIG)``
where available, and a watch on the parent's pid everywhere.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterator

_PR_SET_PDEATHSIG = 1
PARENT_POLL_SECONDS = 0.5


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Ctrl-C would raise :class:`KeyboardInterrupt` (exit code 143)."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated()


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM raises :class:`Terminated` (a ``KeyboardInterrupt``).

    Only in the main thread, and only if SIGTERM still has its default
    action (a caller's own handler is left alone).
    """
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
    ):
        yield
        return
    signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


@contextlib.contextmanager
def signals_deferred(signums: tuple[int, ...] = (signal.SIGINT, signal.SIGTERM)) -> Iterator[None]:
    """Within the block, hold Ctrl-C and SIGTERM back; they take effect when it ends.

    For a few quick writes that must finish together (a batch's summaries).
    The handlers are swapped for ones that only record the signal, then the
    recorded signals are handed to the previous handlers (a ``SIG_DFL`` one
    is raised again). A per-thread signal mask would not do: the process may
    have other threads, which would take the signal instead. Only in the main
    thread, where Python runs signal handlers; elsewhere a no-op.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = {signum: signal.getsignal(signum) for signum in signums}
    for signum in signums:
        signal.signal(signum, lambda signum, frame: received.append(signum))
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        for signum in dict.fromkeys(received):
            handler = previous[signum]
            if callable(handler):
                handler(signum, None)
            elif handler == signal.SIG_DFL:
                signal.raise_signal(signum)


def _set_parent_death_signal(signum: int) -> None:
    """Ask Linux to send ``signum`` to this process when its parent thread exits."""
    import sys

    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signum), 0, 0, 0)


def die_with_parent(parent_pid: int, signum: int = signal.SIGTERM) -> None:
    """Make this (worker) process receive ``signum`` when ``parent_pid`` is no longer its parent.

    Call it first thing in a worker. The worker's handler for ``signum``
    (default action: exit) does the clean-up.
    """
    _set_parent_death_signal(signum)

    def watch() -> None:
        while True:
            if os.getppid() != parent_pid:
                os.kill(os.getpid(), signum)
                return
            time.sleep(PARENT_POLL_SECONDS)

    if os.getppid() != parent_pid:  # the parent died before the death signal was set
        os.kill(os.getpid(), signum)
    threading.Thread(target=watch, name="parstats-parent-watch", daemon=True).start()


def pid_alive(pid: int) -> bool:
    """Return whether a process with ``pid`` exists (any owner)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
