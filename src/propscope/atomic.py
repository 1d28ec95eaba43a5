"""Write a file whole or not at all: results are never left half-written.

The temporary file beside the target is removed on every failure, on Ctrl-C, and on SIGTERM
or SIGHUP (while a file is being written from the main thread, those signals end the program
through the normal clean-up instead of killing it on the spot). Errors name the real target.
"""

from __future__ import annotations

import os
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

from .errors import OutputError

#: Signals that would otherwise end the process without removing the temporary file.
CLEAN_UP_ON = tuple(getattr(signal, n) for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n))


@contextmanager
def atomic_write(path: Path, mode: str = "w") -> Iterator[IO]:
    """Yield a handle on a temporary file beside ``path``; rename it over ``path`` on success."""
    path = Path(path)
    # the handlers come first: a signal just after the temporary file appears must remove it
    with _signals_end_cleanly():
        try:
            if path.is_dir():
                raise IsADirectoryError(21, "is a folder, not a file")
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        except OSError as error:
            raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
        text = {} if "b" in mode else {"encoding": "utf-8", "newline": "\n"}
        try:
            out = os.fdopen(handle, mode, **text)
        except BaseException:
            os.close(handle)
            Path(temporary).unlink(missing_ok=True)
            raise
        try:
            yield out
            try:
                out.close()
                umask = os.umask(0)
                os.umask(umask)
                # mkstemp makes it private; results are ordinary files
                os.chmod(temporary, 0o666 & ~umask)
                os.replace(temporary, path)
            except OSError as error:
                raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
        except BaseException:
            with suppress(OSError):
                out.close()
            Path(temporary).unlink(missing_ok=True)
            raise


@contextmanager
def _signals_end_cleanly() -> Iterator[None]:
    """SIGTERM and SIGHUP raise SystemExit(128 + signal) while the block runs, so that the
    ``except`` clauses above remove the temporary file. Handlers someone else installed are
    left alone, and so are other threads (signals are only delivered to the main one)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    for number in CLEAN_UP_ON:
        if signal.getsignal(number) is signal.SIG_DFL:
            previous[number] = signal.signal(number, _end)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _end(number: int, frame) -> None:
    raise SystemExit(128 + number)
