"""The briefing commands end to end: `reader dossier`, `reader brief`, `reader pin(s)`, `unpin`,
run as the user runs them, on the seed library."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from index import safe_text
from tests.conftest import REUTERS_TITLE, SCMP_TITLE

pytestmark = pytest.mark.model

WANG_QUOTE_START = "We appreciated the Kazakh government’s understanding and support"
HUANG_QUOTE_START = "The bottom line is anti-terrorism work must be implemented well"
KAIDANOW_ROLE = "Ambassador-At-Large for the U.S. State Department's Bureau of Counterterrorism"
REUTERS = "reuters-china-us-xinjiang-militants"
SCMP = "scmp-china-kazakhstan-xinjiang"


def reader(library, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "reader", "--library", str(library), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if ok:
        assert done.returncode == 0, done.stderr
    assert done.stdout == safe_text(done.stdout)  # nothing reaches the terminal unescaped
    return done


def test_brief_of_wang_yi_and_tina_kaidanow(seed_library):
    out = reader(seed_library, "brief", "Wang Yi", "Tina Kaidanow").stdout
    lines = out.splitlines()
    assert lines[0] == "# Briefing: Wang Yi, Tina Kaidanow"
    assert re.fullmatch(r"Made \d{4}-\d{2}-\d{2}\. Covers Wang Yi, Tina Kaidanow\.", lines[2])
    assert "- Chinese Foreign Minister — South China Morning Post, undated [1]" in lines
    assert f"- {KAIDANOW_ROLE} — Reuters, undated [2]" in lines
    quoted = [i for i, line in enumerate(lines) if line.startswith("> “")]
    assert any(lines[i].startswith(f"> “{WANG_QUOTE_START}") for i in quoted)
    for i in quoted:  # every quoted line cites its source
        assert re.fullmatch(r"> — .+, (undated|\d{4}-\d{2}-\d{2}) \[\d+\]", lines[i + 1])
    sources = out.split("## Sources", 1)[1]
    assert f"1. {SCMP_TITLE} — South China Morning Post, undated." in sources
    assert f"2. {REUTERS_TITLE} — Reuters, undated." in sources


def test_dossier_of_huang_ming_as_json(seed_library):
    out = reader(seed_library, "dossier", "Huang Ming", "--json").stdout
    (line,) = out.splitlines()
    data = json.loads(line)
    assert data["entity"]["name"] == "Huang Ming" and data["entity"]["label"] == "PERSON"
    assert [r["text"] for r in data["roles"]] == ["deputy public security minister"]
    (quote,) = data["quotes"]
    assert quote["text"].startswith(HUANG_QUOTE_START)
    assert (quote["speaker"], quote["article"]) == ("Huang Ming", REUTERS)
    assert data["sources"][quote["source"] - 1]["source"] == "Reuters"
    assert (data["analysed"], data["of"], data["undated"]) == (1, 1, 1)


def test_the_ministry_speaks_for_itself_in_the_dossiers(seed_library):
    ministry = json.loads(reader(seed_library, "dossier", "Foreign Ministry", "--json").stdout)
    said = [q["text"] for q in ministry["quotes"]]
    assert any("severe by the day" in s for s in said)
    assert any(s.startswith("China stressed the serious threat of ETIM") for s in said)
    for person in ("Cheng Guoping", "Tina Kaidanow"):
        data = json.loads(reader(seed_library, "dossier", person, "--json").stdout)
        assert data["quotes"] == [], person


def test_dossier_for_the_terminal(seed_library):
    out = reader(seed_library, "dossier", "wang").stdout  # any name, any case
    lines = out.splitlines()
    assert lines[0] == "Wang Yi · PERSON · id wang-yi"
    assert "5 mentions in 1 article" in lines
    assert "  Chinese Foreign Minister — South China Morning Post, undated [1]" in lines
    assert any(line.startswith(f"  “{WANG_QUOTE_START}") for line in lines)
    assert "  undated: 5 (counted apart)" in lines
    missing = reader(seed_library, "dossier", "Nobody At All", ok=False)
    assert missing.returncode == 1 and missing.stderr.startswith("reader: no entity named")


def test_pins_from_the_command_line(seed_library, tmp_path):
    made = reader(seed_library, "pin", SCMP, "0", "40", "--note", "the opening").stdout
    assert re.match(r"pinned #(\d+): “", made)
    reader(seed_library, "pin", REUTERS, "0", "30")
    listed = [json.loads(x) for x in reader(seed_library, "pins", "--json").stdout.splitlines()]
    assert [(p["article"], p["note"], p["position"]) for p in listed] == [
        (SCMP, "the opening", 1),
        (REUTERS, "", 2),
    ]
    assert listed[0]["source"]["source"] == "South China Morning Post"
    assert "note: the opening" in reader(seed_library, "pins").stdout
    reader(seed_library, "unpin", str(listed[1]["id"]))
    gone = reader(seed_library, "unpin", str(listed[1]["id"]), ok=False)
    assert gone.returncode == 1 and "no pin" in gone.stderr
    bad = reader(seed_library, "pin", SCMP, "10", "5", ok=False)
    assert bad.returncode == 1 and "no passage" in bad.stderr

    target = tmp_path / "brief.md"
    reader(seed_library, "brief", "Huang Ming", "--pins", "-o", str(target))
    text = target.read_text(encoding="utf-8")
    assert "## Pinned passages" in text and "Note: the opening" in text
    assert "deputy public security minister" in text
    assert "South China Morning Post" in text and "Reuters" in text
    data = json.loads(reader(seed_library, "brief", "--format", "json").stdout)
    assert data["dossiers"] == [] and [p["note"] for p in data["pins"]] == ["the opening"]
