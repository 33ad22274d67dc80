"""Language detection: the code stored with each article and searched with ``lang:``."""

from __future__ import annotations

import pytest

from index.ingest.language import detect, is_english


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("The minister said on Wednesday that talks with the union would resume next week.", "en"),
        ("WHEAT EXPORTS TO U.S. RISE SHARPLY IN MARCH, USDA SAYS", "en"),
        ("これは日本語の文章です。東京で会議が開かれた。", "ja"),
        ("Эксклюзивный материал о переговорах в Москве и Стамбуле", "ru"),
        ("Der Bundeskanzler sagte am Mittwoch, die Gespräche würden fortgesetzt.", "de"),
        ("Le ministre a déclaré mercredi que les discussions reprendraient bientôt.", "fr"),
        ("Shr 45 cts vs 58 cts\n\nNet 1.1 mln vs 829,000", ""),  # a table of figures
        ("JOHN SMITH", ""),  # too little to tell
    ],
)
def test_detect(text, want):
    assert detect(text) == want


def test_unknown_text_still_goes_through_english_ner():
    assert is_english("en") and is_english("")
    assert not is_english("ja")
