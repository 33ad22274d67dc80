"""safe_text() and safe_line(): nothing an article holds can drive the terminal or break a store."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.safe import safe_line, safe_text

ESC = "\x1b"
# What must never reach a terminal: ESC, C0 controls other than tab/newline, DEL, C1, NUL.
FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (f"before{ESC}[2Jafter", "beforeafter"),  # clear screen
        (f"a{ESC}[1;31mred{ESC}[0m b", "ared b"),  # colours
        (f"x{ESC}]0;pwned title\x07y", "xy"),  # window title, BEL-terminated
        (f"x{ESC}]0;pwned title{ESC}\\y", "xy"),  # window title, ST-terminated
        (f"{ESC}]8;;https://evil.example/{ESC}\\click me{ESC}]8;;{ESC}\\", "click me"),  # OSC 8
        (f"copy{ESC}]52;c;ZWNobyBwd25lZA==\x07 done", "copy done"),  # OSC 52 clipboard
        ("\x9b31mred", "red"),  # 8-bit CSI
        (f"a{ESC}P1$qm{ESC}\\b", "ab"),  # DCS
        (f"a{ESC}_payload{ESC}\\b", "ab"),  # APC
        ("ring\x07ring", "ringring"),  # BEL
        ("over\rwrite", "over\nwrite"),  # CR cannot overwrite a line
        ("windows\r\nline", "windows\nline"),
        ("abc\x08\x08\x08xyz", "abcxyz"),  # backspaces cannot erase what was shown
        ("nul\x00byte", "nulbyte"),
        ("del\x7fete", "delete"),
        ("c1\x85next\x9cline", "c1nextline"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),  # kept
        ("txt.exe\u202egnp.", "txt.exegnp."),  # right-to-left override
        ("\u2066isolate\u2069d", "isolated"),
        ("lone \ud800 surrogate \udfff", "lone \ufffd surrogate \ufffd"),
        ("Café ‘quotes’ — 中文 ✓", "Café ‘quotes’ — 中文 ✓"),  # real text untouched
    ],
)
def test_safe_text_shows_only_plain_text(raw, shown):
    assert safe_text(raw) == shown


def test_unterminated_osc_cannot_leak_into_the_terminal():
    out = safe_text(f"visible{ESC}]0;never closed title and more")
    assert out == "visible"
    assert ESC not in out


def test_unterminated_csi_at_the_end_is_dropped():
    assert safe_text(f"end{ESC}[") == "end"
    assert safe_text("end\x9b") == "end"


def test_non_strings_and_none():
    assert safe_text(None) == ""
    assert safe_text(42) == "42"


def test_safe_line_is_one_line():
    assert safe_line(" Title\nwith\tbreaks\r\n and  spaces ") == "Title with breaks and spaces"
    assert safe_line(f"Bad{ESC}[2J title\u202e") == "Bad title"


def test_result_can_be_stored_as_utf8():
    out = safe_text("a\ud800b\udc00c")
    out.encode("utf-8")  # no lone surrogate left: SQLite and print accept it


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=())))
def test_property_no_escape_c1_or_nul_survives(text):
    out = safe_text(text)
    assert not FORBIDDEN.search(out)
    assert not re.search("[\u202a-\u202e\u2066-\u2069]", out)
    out.encode("utf-8")
    assert safe_text(out) == out  # idempotent


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=5),
            st.sampled_from(
                [ESC, f"{ESC}[", f"{ESC}]", f"{ESC}P", "\x9b", "\x9d", "\x07", f"{ESC}\\", "\x9c",
                 "\r", "\x00", "\ud800", "\u202e", "[/]", "\x08"]
            ),
        ),
        max_size=30,
    )
)
def test_property_hostile_mixtures(parts):
    text = "".join(parts)
    out = safe_text(text)
    assert not FORBIDDEN.search(out)
    assert safe_text(out) == out
    line = safe_line(text)
    assert "\n" not in line and "\t" not in line
    assert not FORBIDDEN.search(line)
