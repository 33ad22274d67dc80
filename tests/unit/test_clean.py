"""The plain-text cleaner: what a reader sees of a story copied from a web page or a wire."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from index.ingest.clean import clean_text, find_common_lines, line_key, trim_signoff

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "corpora" / "seeds"
if not SEEDS.exists():
    SEEDS = ROOT / "reader" / "samples"
REUTERS = "reuters-china-us-xinjiang-militants.txt"
SCMP = "scmp-china-kazakhstan-xinjiang.txt"


def seed(name: str):
    return clean_text((SEEDS / name).read_text(encoding="utf-8"))


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


# --- the two seed articles ----------------------------------------------------------------------


def test_reuters_seed_title_source_place_author():
    doc = seed(REUTERS)
    assert doc.title == "China appeals for U.S. help to fight Xinjiang militants"
    assert doc.source == "Reuters"
    assert doc.place == "BEIJING"
    assert doc.author == "Michael Martina and Ben Blanchard"


def test_reuters_seed_body_keeps_dateline_and_loses_credit_line():
    doc = seed(REUTERS)
    assert doc.text.startswith("BEIJING (Reuters) - China has appealed for U.S. support")
    assert doc.text.endswith("deputy public security minister Huang Ming as saying.")
    assert "Reporting by" not in doc.text and "Editing by" not in doc.text
    assert doc.meta["credit"] == (
        "(Reporting by Michael Martina and Ben Blanchard; Editing by Nick Macfie)"
    )
    assert doc.title not in doc.text


def test_scmp_seed_title_and_source():
    doc = seed(SCMP)
    assert doc.title == (
        "China thanks Kazakhstan for ‘understanding and support’ on Xinjiang de-radicalisation scheme"
    )
    assert doc.source == "South China Morning Post"


@pytest.mark.parametrize(
    "furniture",
    [
        "Advertisement",
        "Learn more",
        "Get more with myNEWS",
        "A personalised news feed of stories that matter to you",
        "Photo: Xinhua",
        "EU rejects China’s offer of Xinjiang tour, but says it’s open to one later",
        "This article appeared in the South China Morning Post print edition",
        "Kazakhstan thanked for extremism fight",
    ],
)
def test_scmp_seed_body_has_no_furniture(furniture):
    assert furniture not in seed(SCMP).text


def test_scmp_seed_no_lone_tags_or_stray_fragments():
    lines = paragraphs(seed(SCMP).text)
    assert "Xinjiang" not in lines  # the topic tag, printed twice
    assert "Post" not in lines  # left over after the print-edition note
    assert all(len(p.split()) > 3 for p in lines)


def test_scmp_seed_caption_stays_first_and_credit_moves_to_meta():
    doc = seed(SCMP)
    first, second, third = paragraphs(doc.text)[:3]
    assert first == (
        "Chinese Foreign Minister Wang Yi and his Kazakh counterpart Beibut Atamkulov meet in Beijing."
    )
    assert doc.meta["photo_credit"] == "Photo: Xinhua"
    # The standfirst stays in the body, right after the caption.
    assert second.startswith("Beijing voices its appreciation for Kazakhstan’s tacit agreement")
    assert third.startswith("The Chinese government’s senior diplomat has thanked Kazakhstan")


def test_scmp_seed_print_edition_and_related_story_kept_in_meta():
    doc = seed(SCMP)
    assert doc.meta["print_edition"].endswith("print edition as: Kazakhstan thanked for extremism fight")
    assert doc.meta["related"] == [
        "EU rejects China’s offer of Xinjiang tour, but says it’s open to one later"
    ]
    assert paragraphs(doc.text)[-1].startswith("Wang said China and Kazakhstan should strengthen")


def test_scmp_seed_body_paragraphs_in_order():
    text = seed(SCMP).text
    body = paragraphs(text)
    assert len(body) == 15
    assert "\n\n\n" not in text
    assert body.index(next(p for p in body if p.startswith("The government of the Central Asian"))) + 1 == (
        body.index(next(p for p in body if p.startswith("Kazakh police this month arrested")))
    )


# --- the same rules on text the seeds never showed ------------------------------------------------

WIRE_PAGE = """Trade
By Jane Doe and John Roe
Published: 10:30am, 6 Dec 2018

EU and Japan seal biggest trade deal in history

Trade

Share this article
Sign up for our daily newsletter
BRUSSELS (AP) — The European Union and Japan signed a free trade agreement on Tuesday that covers a third of the world economy, officials said.

The deal removes tariffs on most goods, and both sides expect it to take effect next year.

Why it matters

Exporters of cheese and cars gain the most, analysts said, though farmers in Japan worry.

Recommended for you
Tariff talks stall in Washington as envoys trade blame
Read more

Japanese officials said the deal would be ratified by parliament this spring.

(Reporting by Jane Doe in Brussels and John Roe in Tokyo; Writing by Ann Lee; Editing by Tom Kay)
"""


def test_other_sites_furniture_goes_by_pattern_family():
    doc = clean_text(WIRE_PAGE)
    assert doc.title == "EU and Japan seal biggest trade deal in history"
    for gone in ("Share this article", "Sign up", "Recommended", "Tariff talks", "Read more", "Trade\n"):
        assert gone not in doc.text + "\n"
    assert paragraphs(doc.text)[0].startswith("BRUSSELS (AP) — The European Union")


def test_byline_date_line_dateline_and_credit_fill_the_metadata():
    doc = clean_text(WIRE_PAGE)
    assert doc.author == "Jane Doe and John Roe"  # the reporters, without "in Brussels"
    assert doc.date == "2018-12-06"
    assert doc.place == "BRUSSELS"
    assert doc.source == "AP"
    assert "Writing by Ann Lee" in doc.meta["credit"]
    assert "By Jane Doe" not in doc.text and "Published" not in doc.text


def test_short_subheadings_stay():
    assert "Why it matters" in paragraphs(clean_text(WIRE_PAGE).text)


def test_promo_box_above_a_call_to_action_goes_even_without_a_pattern():
    text = (
        "Ministers agree new rules for river shipping\n\n"
        "Officials from six countries agreed on Monday to share data on river traffic, a statement said.\n\n"
        "Unlock the full archive today\n"
        "Every story since 1990 in one place\n"
        "Find out more\n\n"
        "The rules take effect in May, the statement added."
    )
    doc = clean_text(text)
    assert "archive" not in doc.text and "1990" not in doc.text and "Find out" not in doc.text
    assert paragraphs(doc.text) == [
        "Officials from six countries agreed on Monday to share data on river traffic, a statement said.",
        "The rules take effect in May, the statement added.",
    ]


def test_common_lines_from_the_library_are_furniture():
    pages = [
        f"Story number {n} about ports and shipping\n\nThe Daily Planet Morning Edition\n\n"
        f"Port workers in city {n} went on strike on Monday over pay, the union said."
        for n in range(5)
    ]
    common = find_common_lines(pages)
    assert line_key("The Daily Planet Morning Edition") in common
    doc = clean_text(pages[0], common_lines=common)
    assert "Daily Planet" not in doc.text
    assert doc.text.startswith("Port workers in city 0 went on strike")


def test_title_given_by_the_caller_is_used_and_removed_from_the_body():
    doc = clean_text("A Headline\n\nThe story itself, which is long enough, begins here.", title="A Headline")
    assert doc.title == "A Headline"
    assert doc.text == "The story itself, which is long enough, begins here."


def test_no_headline_means_no_title_and_no_lost_text():
    text = "Officials said on Monday that talks would resume.\nNo date was set for them, they said."
    doc = clean_text(text)
    assert doc.title == ""
    assert paragraphs(doc.text) == [
        "Officials said on Monday that talks would resume.",
        "No date was set for them, they said.",
    ]


def test_question_headline():
    doc = clean_text("Will the yuan keep falling?\n\nTraders expect more weakness this week, analysts said.")
    assert doc.title == "Will the yuan keep falling?"


def test_hard_wrapped_text_is_joined_into_paragraphs():
    text = (
        "Ports reopen after storm\n\n"
        "The ports of the northern coast reopened on Tuesday after a storm that\n"
        "closed them for three days, the harbour authority said in a statement\n"
        "issued late on Monday night.\n\n"
        "Shipping companies said they expected delays to last until the end of\n"
        "the week as vessels waiting offshore are brought in one by one.\n"
    )
    doc = clean_text(text)
    assert doc.title == "Ports reopen after storm"
    assert paragraphs(doc.text) == [
        "The ports of the northern coast reopened on Tuesday after a storm that closed them for "
        "three days, the harbour authority said in a statement issued late on Monday night.",
        "Shipping companies said they expected delays to last until the end of the week as vessels "
        "waiting offshore are brought in one by one.",
    ]


def test_one_sentence_per_line_is_not_joined():
    text = "\n".join(f"Sentence number {n} of the story ends here." for n in range(6))
    assert len(paragraphs(clean_text(text).text)) == 6


def test_figures_tables_are_kept():
    text = (
        "ACME CORP 4TH QTR NET\n\nShr 39 cts vs 50 cts\n\nNet 1,545,160 vs 2,188,933\n\nYear\n\n"
        "Shr 1.53 dlrs vs 1.21 dlrs\n\nPay March 31\n\n"
        "NOTE: Results include an adjustment for the 1986 year, the company said."
    )
    doc = clean_text(text)
    assert doc.title == "ACME CORP 4TH QTR NET"
    assert "Year" in paragraphs(doc.text)
    assert "Pay March 31" in paragraphs(doc.text)


def test_control_sequences_never_survive_cleaning():
    doc = clean_text("Title \x1b]0;pwned\x07here now\n\nBody \x1b[2Jtext, it said.\u202e")
    assert "\x1b" not in doc.title + doc.text
    assert doc.title == "Title here now"


def test_agency_signoff_is_trimmed():
    assert trim_signoff("The company gave no details. REUTER") == ("The company gave no details.", "Reuters")
    assert trim_signoff("Net 5.6 mln vs 4.5 mln REUTER") == ("Net 5.6 mln vs 4.5 mln", "Reuters")
    assert trim_signoff("Officials briefed the AP") == ("Officials briefed the AP", None)
    doc = clean_text("Oil prices climb on supply worries\n\nPrices rose two pct on Monday, traders said.\n\nReuters")
    assert doc.text == "Prices rose two pct on Monday, traders said."
    assert doc.source == "Reuters"


def test_five_megabyte_paragraph_is_cleaned_quickly():
    body = ("Officials in the capital said the talks would continue next week. " * 80_000).strip()
    started = time.perf_counter()
    doc = clean_text("Talks to continue\n\n" + body)
    assert time.perf_counter() - started < 3
    assert doc.title == "Talks to continue"
    assert doc.text == body
