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


def test_show_and_mentions_give_a_mention_the_same_fields(seed_library):
    """One Mention shape: `show --json` and `mentions --json` both print the record's fields."""
    import dataclasses
    import json

    from index import Mention

    def run(*args: str) -> list[dict]:
        out = subprocess.run(
            [sys.executable, "-m", "reader", "--library", str(seed_library), *args],
            capture_output=True, text=True, check=True, timeout=120,
        ).stdout
        return [json.loads(line) for line in out.splitlines()]

    listed = run("mentions", "--json")
    article = listed[0]["doc"]
    shown = run("show", article, "--json")[0]["mentions"]
    fields = [f.name for f in dataclasses.fields(Mention)]
    assert shown and listed
    assert all(list(m) == fields for m in shown)
    assert all(list(m) == fields for m in listed)
    assert [m for m in listed if m["doc"] == article] == shown
