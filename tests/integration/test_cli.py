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
