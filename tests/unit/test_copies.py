"""Copies of one story (issue 12): wire re-sends are one source, rewrites are not."""

from __future__ import annotations

from index.copies import copy_of, same_story

STORY = (
    "Brazil is not happy with the existing structure of the 14-bank advisory committee which "
    "coordinates its commercial bank debt, Finance Minister Dilson Funaro said. U.S. banks have "
    "50 pct representation on the committee while holding only 35 pct of Brazil's debt."
)


def test_a_resend_with_a_word_fixed_is_the_same_story():
    assert same_story(STORY, STORY.replace("U.S. banks", "U.S. Banks"))


def test_a_resend_with_a_paragraph_added_is_the_same_story_when_the_titles_agree():
    longer = STORY + "\n\nThe committee had played a useful role in 1982 and 1983, however."
    assert same_story(STORY, longer, title_a="BRAZIL CRITICISES", title_b="Brazil criticises")
    assert not same_story(STORY, longer + " " + longer.upper(), title_a="A", title_b="B")


def test_a_rewrite_or_another_story_is_not_a_copy():
    other = "Funaro said creditors have expressed willingness to help Brazil with its debt."
    assert not same_story(STORY, other)
    assert not same_story("", STORY)


def test_copy_of_maps_each_copy_to_the_first_of_its_story():
    items = [
        ("a", "BRAZIL", STORY),
        ("b", "OIL", "Oil prices rose on Monday as OPEC kept its output ceiling."),
        ("c", "BRAZIL", STORY.replace("pct", "percent", 1)),
        ("d", "BRAZIL AGAIN", STORY),
    ]
    assert copy_of(items) == {"c": "a", "d": "a"}
