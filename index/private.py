"""Provides private_dir() and private_file(): the library's folders and files are the user's
alone (0700 folders, 0600 files), whatever the umask, since they hold notes, pins and what the
user reads."""

from __future__ import annotations

import os
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> None:
    """Create the folder ``path`` (and its missing parents) private; an existing one is left."""
    path = Path(path)
    if path.is_dir():
        return
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    os.chmod(path, DIR_MODE)  # the mode asked of mkdir passes through the umask


def private_file(path: Path) -> None:
    """Create the file ``path`` empty and private, unless it exists (then it is left as it is).
    SQLite gives a database's -wal, -shm and -journal files its database file's mode."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return
    os.close(fd)


def open_private(path: Path, flags: int) -> int:
    """``os.open`` for a file the library writes: created private."""
    return os.open(path, flags, FILE_MODE)
