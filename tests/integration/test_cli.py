"""The command line as a shell user meets it."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.model


def test_output_cut_short_by_head_is_not_an_error(seed_library):
    """`reader mentions | head -1`: no traceback, no 'unexpected error', the usual exit 141."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "reader", "--library", str(seed_library), "mentions"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # the reader of the pipe goes away, like head
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=120) == 141, err
    assert first.startswith(b"reuters-china-us-xinjiang-militants:0-7")
    assert err == ""
