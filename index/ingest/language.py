"""Provides detect(): the language of an article's text, as an ISO 639-1 code ("en", "ja").

py3langid (a maintained fork of langid.py) ships its model inside the package (4.6 MB, numpy
only), so detection never touches the network; it is also the detector trafilatura itself
offers. The model loads once per process (about a second) and then classifies a page in about a
millisecond; plain ASCII text thick with the commonest English words is called English without
it (3,000 Reuters stories take 0.75 s, the model loaded included). Too little text, or no clear
winner, gives "" (unknown): the importer treats unknown text as it did before languages were
detected (English NER).
"""

from __future__ import annotations

import re
import threading

__all__ = ["ENGLISH", "detect", "is_english"]

#: The languages the entity recognizer (an English spaCy model) is run on; "" is unknown.
ENGLISH = frozenset({"en", ""})
#: Characters of the text looked at: the opening paragraphs decide, and the cost stays flat.
SAMPLE = 3000
#: Fewer letters than this are not enough to tell a language from a list of names or figures.
MIN_LETTERS = 20
#: Below this (normalised) probability the text is called unknown rather than guessed.
MIN_CONFIDENCE = 0.5
#: Labels news is never in that the model confuses with English wire copy and tables of
#: figures (49 of 19,043 Reuters stories came out as Nigerian Pidgin): never answered.
NEVER = frozenset({"zxx", "pcm", "la", "vo", "grc", "hbo"})

_LOCK = threading.Lock()
_IDENTIFIER: list = []


def _identifier():
    with _LOCK:
        if not _IDENTIFIER:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            identifier.set_languages([lang for lang in identifier.labels if lang not in NEVER])
            _IDENTIFIER.append(identifier)
        return _IDENTIFIER[0]


#: The commonest English words: plain ASCII text where they make up this share of the words
#: is English without asking the model (most of a wire library; the model costs about 1 ms an
#: article and a second to load, on the import's main thread).
_ENGLISH_WORDS = frozenset(
    "the of and to in a is for on that said with was by it at from as be has have are were".split()
)
ENGLISH_SHARE = 0.2
_WORDS = re.compile(r"[a-z]+")


def detect(text: str, title: str = "") -> str:
    """The language of ``title`` and ``text``, or "" when it can't be told."""
    sample = f"{title}\n{text[:SAMPLE]}" if title else text[:SAMPLE]
    if sample.isascii():
        words = _WORDS.findall(sample.lower())
        if len(words) >= MIN_LETTERS and (
            sum(1 for w in words if w in _ENGLISH_WORDS) >= ENGLISH_SHARE * len(words)
        ):
            return "en"
    if sum(1 for c in sample if c.isalpha()) < MIN_LETTERS:
        return ""
    lang, confidence = _identifier().classify(sample)
    return str(lang) if confidence >= MIN_CONFIDENCE else ""


def is_english(lang: str) -> bool:
    """Whether the English entity recognizer should read text in ``lang`` (unknown counts)."""
    return lang in ENGLISH
