"""Provides spaCy's parser for the analysis: loaded once per process in the background, the
stretches it parses cached and batched, and the parse read as coarse parts of speech.

This module and index.ingest.nlp are the only ones that touch spaCy, and only through the pipeline
``index.ingest.nlp.load_model(parse=True)`` hands over (the types are named for checkers alone).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from index.words import words

if TYPE_CHECKING:  # pragma: no cover - typing only; spaCy is never imported at run time here
    from spacy.tokens import Doc as Doc
    from spacy.tokens import Token as Token

__all__ = [
    "PARSER",
    "Parser",
    "Window",
    "coarse_pos",
    "is_hyphen",
    "is_plural",
    "is_possessive",
    "parse_window",
    "prefetch",
]


# --- the pipeline, loaded once, in the background -----------------------------------------------
class Parser:
    """The parser pipeline, loaded at most once per process, in a background thread, so a
    dossier can show what the cache has while it loads (about 1.5 s with spaCy's import)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()  # guards starting the loader
        self.using = threading.Lock()  # one thread parses at a time: spaCy's vocab is shared
        self.loaded = threading.Event()
        self.loader: threading.Thread | None = None
        self.nlp: Any = None
        self.error: BaseException | None = None

    def start(self) -> None:
        """Start loading the pipeline behind, if nothing has yet: a dossier calls this as soon
        as it knows it has articles to parse, so the loading overlaps its SQL."""
        with self.lock:
            if self.loader is None:
                self.loader = threading.Thread(target=self._load, name="reader-parser", daemon=True)
                self.loader.start()

    def get(self, timeout: float | None) -> Any:
        """The pipeline, or None if it is still loading after ``timeout`` seconds (it keeps
        loading for the next call). Raises ModelMissing if it cannot be loaded."""
        self.start()
        if not self.loaded.wait(None if timeout is None else max(0.0, timeout)):
            return None
        if self.error is not None:
            raise self.error
        return self.nlp

    def _load(self) -> None:
        try:
            from index.ingest.nlp import load_model

            nlp = load_model(parse=True)
            list(nlp.pipe(["Warm up, said the parser.", "Its first call is slow."]))
            self.nlp = nlp
        except Exception as exc:  # noqa: BLE001 - handed to the thread waiting for the parser
            self.error = exc
        finally:
            self.loaded.set()


#: The one parser of the process: dossiers of every Library share it.
PARSER = Parser()


# --- parsing, on demand ------------------------------------------------------------------------
_CACHE: OrderedDict[tuple[int, str], Doc] = OrderedDict()
_CACHE_SIZE = 512  # more than the windows of one batch of articles (see roles_and_quotes)
_LOCK = threading.Lock()


def _parse(nlp: Any, text: str) -> Doc:
    """Parse one short stretch of text, remembering the last few hundred (roles and quotes of
    one article ask for the same sentences)."""
    key = (id(nlp), text)
    with _LOCK:
        doc = _CACHE.get(key)
        if doc is not None:
            _CACHE.move_to_end(key)
            return doc
    doc = nlp(text)
    with _LOCK:
        _CACHE[key] = doc
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return doc


def prefetch(nlp: Any, texts: Iterable[str]) -> None:
    """Parse the stretches not parsed yet in one ``nlp.pipe`` batch: spaCy's cost per call is
    most of the cost of one short sentence, so a batch is about twice as fast."""
    with _LOCK:
        missing = [t for t in dict.fromkeys(texts) if (id(nlp), t) not in _CACHE]
    if len(missing) < 2:
        return  # _parse will do the one there is
    pipe = getattr(nlp, "pipe", None)
    docs = pipe(missing, batch_size=64) if pipe is not None else map(nlp, missing)
    for text, doc in zip(missing, docs):
        with _LOCK:
            _CACHE[(id(nlp), text)] = doc
            while len(_CACHE) > _CACHE_SIZE:
                _CACHE.popitem(last=False)


class Window(NamedTuple):
    """A parsed stretch of an article: token offsets read as article offsets."""

    doc: Doc
    offset: int  # the article offset of doc's first character

    def at(self, tok: Token) -> int:
        return tok.idx + self.offset

    def tokens(self, start: int, end: int) -> list[Token]:
        return [t for t in self.doc if start <= t.idx + self.offset < end]


def parse_window(nlp: Any, text: str, start: int, end: int) -> Window:
    """``text[start:end]`` parsed (or taken from the cache)."""
    return Window(_parse(nlp, text[start:end]), start)


# --- coarse parts of speech ----------------------------------------------------------------------
# index.ingest.nlp.load_model(parse=True) keeps the parser but not the tagger (it costs time and the
# parser does not need it), so a missing tag is worked out from the dependency label.
_DEP_POS = {
    "amod": "ADJ",
    "acomp": "ADJ",
    "det": "DET",
    "predet": "DET",
    "prep": "ADP",
    "agent": "ADP",
    "prt": "ADP",
    "aux": "AUX",
    "auxpass": "AUX",
    "nummod": "NUM",
    "cc": "CCONJ",
    "preconj": "CCONJ",
    "mark": "SCONJ",
    "advmod": "ADV",
    "neg": "ADV",
    "case": "PART",
    "expl": "PRON",
    "punct": "PUNCT",
}
_CLAUSE_DEPS = {"ROOT", "ccomp", "xcomp", "advcl", "relcl", "pcomp", "acl", "parataxis", "csubj"}
_NOMINAL_CHILDREN = {"det", "amod", "compound", "poss", "nummod", "case"}
#: Pronouns (data/pronouns.txt), told apart when the tagger did not run.
_PRONOUNS = frozenset(words("pronouns.txt"))


def coarse_pos(tok: Token) -> str:
    """The universal part of speech: the tagger's when it ran, else a guess from the parse."""
    if tok.pos_:
        return tok.pos_
    if tok.is_punct:
        return "PUNCT"
    if tok.like_num:
        return "NUM"
    dep = tok.dep_
    if dep in _DEP_POS:
        return _DEP_POS[dep]
    if tok.lower_ in _PRONOUNS:
        return "PRON"
    if dep == "conj" and tok.head.i != tok.i:
        return coarse_pos(tok.head)
    if dep in _CLAUSE_DEPS and not any(c.dep_ in _NOMINAL_CHILDREN for c in tok.children):
        return "VERB"
    return "PROPN" if tok.text[:1].isupper() else "NOUN"


def is_hyphen(tok: Token) -> bool:
    return tok.tag_ == "HYPH" or tok.text in {"-", "‐", "–"}


def is_plural(tok: Token) -> bool:
    """A plural common noun ("stocks"): never the title of one name."""
    if tok.tag_:
        return tok.tag_ == "NNS"
    word = tok.text
    return word.islower() and word.endswith("s") and not word.endswith(("ss", "us", "is"))


def is_possessive(tok: Token) -> bool:
    return tok.tag_ == "POS" or tok.lower_ in {"'s", "’s", "'", "’"}
