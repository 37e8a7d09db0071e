"""Writing a file where the user points: `-o FILE` of export, render and path --html, all alike.

The user's path is the user's: it is written *to*, never replaced by
something else.  So:

* `-` is standard output;
* a character or block device, a FIFO or a socket is opened and written
  directly (a rename would replace the device node: as root, `-o
  /dev/stdout` once replaced the system's /dev/stdout symlink with a file);
* a symlink is followed, and its final target written (atomically there),
  so the link stays a link;
* a regular file is replaced atomically (temporary file beside it, then a
  rename) and keeps its permission bits; a new file gets the usual
  0666 minus the umask, not a temporary file's 0600;
* a directory, or a path whose directory does not exist, is an error
  (BadInput, exit 2): no command creates directories on the user's behalf.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from pathlib import Path

from bilateral.graph.errors import BadInput

__all__ = ["check_output", "is_stdout", "replace_atomically", "write_output"]


def is_stdout(path: Path | str) -> bool:
    """Whether `path` means standard output (`-`)."""
    return str(path) == "-"


def check_output(path: Path | str) -> Path | None:
    """Check, before any work, that `path` can be written as described above; the resolved path (None for `-`)."""
    if is_stdout(path):
        return None
    target = Path(os.path.realpath(Path(path).expanduser()))
    if target.is_dir():
        raise BadInput(f"{path} is a directory; give a file name")
    if not target.exists() and not target.parent.is_dir():
        raise BadInput(f"cannot write {path}: directory {target.parent} does not exist")
    return target


def write_output(path: Path | str, data: bytes) -> Path | None:
    """Write `data` to `path` (see the module docstring); the file written, or None for standard output."""
    target = check_output(path)
    if target is None:
        stream = sys.stdout.buffer
        stream.write(data)
        stream.flush()
        return None
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise BadInput(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        if st is not None and not stat.S_ISREG(st.st_mode):
            with open(target, "wb") as fh:  # a device, FIFO or socket: write to it, never replace it
                fh.write(data)
        else:
            replace_atomically(target, data, stat.S_IMODE(st.st_mode) if st else _new_file_mode())
    except OSError as exc:
        raise BadInput(f"cannot write {path}: {exc.strerror or exc}") from None
    return target


def _new_file_mode() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def replace_atomically(target: Path, data: bytes, mode: int | None = None) -> None:
    """All or nothing: a temporary file beside `target` (given `mode`, else private 0600), then a rename over it.

    The one write-aside rule: the user's files here, the store's own files
    through graph/storage/store.py's `atomic_write`.
    """
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
            if mode is not None:
                os.fchmod(fh.fileno(), mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
