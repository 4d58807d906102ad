"""The ``parstats`` command line.

Each sub-command lives in a module of :mod:`parstats.commands` that exposes
``register(subparsers)``; heavy libraries are imported only by the command
that runs.

:func:`main` turns failures into messages and exit codes, never tracebacks:
a :class:`~parstats.errors.ParstatsError` exits with 2, a file-system error
(disk full, unwritable folder) with 1, Ctrl-C with 130 and SIGTERM with 143
(both stop the command the same way), a closed pipe (``parstats build | head``)
with 141. Everything printed goes through :class:`TerminalSafe`: text from
outside (file names, plan text, index sources) cannot move the cursor, clear
the screen or retitle the terminal, and a character the terminal's encoding
lacks is replaced instead of stopping the command.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import importlib
import os
import re
import sys
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

from parstats import __version__
from parstats.errors import ParstatsError

COMMAND_MODULES: tuple[str, ...] = (
    "parstats.commands.extract",
    "parstats.commands.build",
    "parstats.commands.evaluate",
    "parstats.commands.indices",
    "parstats.commands.analyse",
    "parstats.commands.reports",
    "parstats.commands.explain",
    "parstats.commands.scan",
    "parstats.commands.review",

    "parstats.commands.rules",
)

EXIT_ERROR = 2
EXIT_OS_ERROR = 1
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143
EXIT_BROKEN_PIPE = 141

# C0 and C1 control characters (ESC included) and DEL; tab and newline are kept.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROLS_KEEP_CR = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def strip_controls(text: str, *, keep_cr: bool = False) -> str:
    """Return ``text`` without terminal control characters (ESC, BEL, C1 ...), tab and newline kept.

    Parameters
    ----------
    text
        Text about to be printed.
    keep_cr
        Keep carriage returns (a progress bar redraws its line with them).
    """
    return (_CONTROLS_KEEP_CR if keep_cr else _CONTROLS).sub("", text)


class TerminalSafe:
    """A text stream that strips control characters and replaces what it cannot encode.

    Parameters
    ----------
    stream
        The stream written to (``sys.stdout``, ``sys.stderr``).
    keep_cr
        Keep carriage returns (stderr carries the progress bar).
    """

    def __init__(self, stream: TextIO, *, keep_cr: bool = False) -> None:
        self._stream = stream
        self._keep_cr = keep_cr

    def write(self, text: str) -> int:
        """Write ``text`` cleaned of control characters; return its length."""
        clean = strip_controls(text, keep_cr=self._keep_cr)
        try:
            self._stream.write(clean)
        except UnicodeEncodeError:
            encoding = getattr(self._stream, "encoding", None) or "ascii"
            self._stream.write(clean.encode(encoding, "replace").decode(encoding))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def terminal_safe_streams() -> Iterator[None]:
    """Within the block, ``sys.stdout`` and ``sys.stderr`` are :class:`TerminalSafe`."""
    out, err = sys.stdout, sys.stderr
    sys.stdout = TerminalSafe(out)  # type: ignore[assignment]
    sys.stderr = TerminalSafe(err, keep_cr=True)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


def make_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="parstats",
        description="Extract, standardise and analyse Vietnamese PAR plan targets.",
    )
    parser.add_argument("--version", action="version", version=f"parstats {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(subparsers)
    return parser


def describe_os_error(exc: OSError) -> str:
    """Return a one-line message for a file-system error: what failed, on which file, and why."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    names = [n for n in (exc.filename, getattr(exc, "filename2", None)) if n]
    where = f" ({' -> '.join(map(str, names))})" if names else ""
    hint = ""
    if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        hint = "; free some space (or raise the file-size limit) and run the command again"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        hint = "; choose a folder you can write to"
    return f"{reason}{where}{hint}"


def _silence_stdout() -> None:
    """Send what is left for stdout to /dev/null: the reader went away (``| head``)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno())


def _run(args: argparse.Namespace) -> int:
    from parstats.processes import Terminated, terminate_as_interrupt

    command = args.command
    try:
        with terminate_as_interrupt():
            code = int(args.func(args) or 0)
            sys.stdout.flush()  # a closed pipe shows here, not at exit
            return code
    except ParstatsError as exc:
        print(f"parstats {command}: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except Terminated:
        print("terminated", file=sys.stderr)
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except OSError as exc:
        print(f"parstats {command}: error: {describe_os_error(exc)}", file=sys.stderr)
        return EXIT_OS_ERROR
    except Exception as exc:
        if type(exc).__module__.split(".")[0] != "pyarrow":
            raise
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        print(
            f"parstats {command}: error: a data file could not be read ({first}); if it is "
            "under data/processed, run `parstats build`",
            file=sys.stderr,
        )
        return EXIT_ERROR


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    from parstats.io import arm_faults

    arm_faults()
    with terminal_safe_streams():
        parser = make_parser()
        try:
            args = parser.parse_args(argv)
            if not getattr(args, "func", None):
                parser.print_help()
                sys.stdout.flush()
                return 2
        except SystemExit:  # --help, --version or a usage error: flush while we can catch it
            try:
                sys.stdout.flush()
            except BrokenPipeError:
                _silence_stdout()
            raise
        except BrokenPipeError:
            _silence_stdout()
            return EXIT_BROKEN_PIPE
        return _run(args)


if __name__ == "__main__":
    sys.exit(main())
