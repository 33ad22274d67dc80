"""The command line as a shell user meets it."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.model


def test_output_cut_short_by_head_is_not_an_error(seed_library):
    """`reader mentions | head -1`: no traceback, no 'unexpected error', the usual exit 141.

    The pipe is shrunk to one page (smaller than the 8 KB the command prints) and read one line,
    so the reader is always still writing when the pipe's other end goes away."""
    read_end, write_end = os.pipe()
    fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)
    proc = subprocess.Popen(
        [sys.executable, "-m", "reader", "--library", str(seed_library), "mentions"],
        stdout=write_end, stderr=subprocess.PIPE,
    )
    os.close(write_end)
    first = b""
    while not first.endswith(b"\n") and (byte := os.read(read_end, 1)):
        first += byte
    os.close(read_end)  # the reader of the pipe goes away, like head
    assert proc.stderr is not None
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=120) == 141, err
    assert first.startswith(b"reuters-china-us-xinjiang-militants:0-7")
    assert err == ""
