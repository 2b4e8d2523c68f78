"""Reading a file that may be hostile: only regular files, never more than a limit.

A path given to tiphys can name a FIFO (opening it would wait for a writer forever), a device
such as ``/dev/zero`` (reading never ends), or a huge file. :func:`read_bounded` opens without
blocking, looks at what it opened, and refuses anything but a regular file of at most
*limit* bytes before reading a byte of it. A refusal is an :class:`InputRefused`, an
``OSError`` whose ``strerror`` says what is wrong, so callers that already turn ``OSError``
into one diagnostic ("cannot read file: ...") need no change.

Imports only the standard library: the warm compile path uses it.
"""

from __future__ import annotations

import errno
import os
import stat

#: Default limit on a DSL source file, in bytes (``max-input-size`` in ``[tool.tiphys]``).
#: The largest files of the benchmarks (a 5,000-task workflow) are under 1 MiB.
DEFAULT_MAX_INPUT_SIZE = 10 * 1024 * 1024

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class InputRefused(OSError):
    """The path names something tiphys will not read (not a regular file, or too large)."""

    def __init__(self, reason: str, path: str) -> None:
        super().__init__(errno.EINVAL, reason, path)


def describe_size(n: int) -> str:
    """A byte count for a message: ``10 MiB`` when exact, else bytes with separators."""
    if n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)} MiB"
    return f"{n:,} bytes"


def read_bounded(path: str, limit: int, what: str = "the input size limit (max-input-size)") -> bytes:
    """The bytes of regular file *path*, at most *limit* of them; ``InputRefused`` for
    anything else, other ``OSError`` as ``open`` raises them. *what* names the limit in the
    message (how to change it)."""
    # O_NONBLOCK: opening a FIFO without a writer returns at once instead of waiting; it
    # changes nothing for a regular file. O_NOCTTY: a terminal never becomes ours.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | \
        getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = next((name for test, name in _KINDS if test(st.st_mode)), "a special file")
            raise InputRefused(f"it is {kind}, not a regular file", path)
        if st.st_size > limit:
            raise InputRefused(f"file is {st.st_size:,} bytes, over {what} of "
                               f"{describe_size(limit)}", path)
        chunks: list[bytes] = []
        size = 0
        while True:  # the file may grow while it is read: stop one byte past the limit
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise InputRefused(f"file grew past {what} of {describe_size(limit)} while "
                                   "being read", path)
        return b"".join(chunks)
    finally:
        os.close(fd)
