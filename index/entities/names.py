"""Provides normalize() and local_keys(): one key per name (case, punctuation, "the", possessives,
aliases from index/data/aliases.tsv and transliteration variants folded), and the keys one article
gives its short names and acronyms ("Wang" after "Wang Yi", "ETIM" after "East Turkestan Islamic
Movement (ETIM)"). normalize() runs at import and for the user's lookups, so both sides agree.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

#: The data files (aliases, demonyms, titles) ship inside the package.
DATA = Path(__file__).resolve().parents[1] / "data"

__all__ = [
    "DATA",
    "PARTICLES",
    "Keyed",
    "Named",
    "alias_table",
    "defines",
    "initials",
    "is_acronym_of",
    "is_demonym",
    "is_firm",
    "is_region",
    "is_subsequence",
    "local_keys",
    "short_forms",
    "normalize",
    "not_names",
    "slug",
]


# --- data files --------------------------------------------------------------------------------
def _lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [
        line.rstrip("\n") for line in text.splitlines() if line.strip() and not line.startswith("#")
    ]


@lru_cache(maxsize=1)
def alias_table() -> tuple[dict[str, str], dict[str, str]]:
    """(folded name -> canonical key, canonical key -> display name) from aliases.tsv."""
    to_key: dict[str, str] = {}
    display: dict[str, str] = {}
    for line in _lines("aliases.tsv"):
        names = [n.strip() for n in line.split("\t") if n.strip()]
        key = _fold(names[0])
        display[key] = names[0]
        for name in names:
            to_key.setdefault(_fold(name), key)
    return to_key, display


@lru_cache(maxsize=1)
def short_forms() -> dict[str, frozenset[str]]:
    """A given name's short form -> the names it is short for ("mo" -> {"maurice", "morris"}),
    lower case, from given-names.tsv; each begins with its names' first letter."""
    out: dict[str, frozenset[str]] = {}
    for line in _lines("given-names.tsv"):
        short, *full = [n.strip().lower() for n in line.split("\t") if n.strip()]
        out[short] = frozenset(f for f in full if f[0] == short[0])
    return out


@lru_cache(maxsize=1)
def not_names() -> frozenset[str]:
    """Words of index/data/not-names.txt, lower case ("dlrs", "mln", "cts")."""
    return frozenset(w.strip().lower() for w in _lines("not-names.txt"))


@lru_cache(maxsize=1)
def _demonyms() -> dict[str, str]:
    """Variant-folded demonym -> its key (the listed spelling, folded): "uigur" -> "uighur"."""
    out: dict[str, str] = {}
    for line in _lines("demonyms.txt"):
        key = _fold(line.strip())
        out.setdefault(key, key)
        out.setdefault(_variant(key), key)
    return out


@lru_cache(maxsize=1)
def _demonym_keys() -> frozenset[str]:
    return frozenset(_demonyms().values())


@lru_cache(maxsize=1)
def _region_keys() -> frozenset[str]:
    """Folded names of regions.txt; a postal code ("TX", "IN") only as written, in capitals."""
    names = [n.strip() for line in _lines("regions.txt") for n in line.split("\t") if n.strip()]
    return frozenset(n if _POSTAL.fullmatch(n) else _fold(n) for n in names)


_POSTAL = re.compile(r"[A-Z]{2}")


def is_region(name: str) -> bool:
    """Whether a name is a state, province or county (index/data/regions.txt): "Illinois",
    "Calif.", "TX"; not "in" or "Co"."""
    name = name.strip()
    if len(name) == 2 and name.isalpha():
        return name in _region_keys()
    return _fold(name) in _region_keys()


# --- normalize ---------------------------------------------------------------------------------
_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "‐": "-", "–": "-", "—": "-"})
_THE = re.compile(r"^(?:the\s+)+")
_POSSESSIVE = re.compile(r"(?:'s|')$")
_NON_WORD = re.compile(r"[^\w]+")
_DOUBLE = re.compile(r"(\w)\1+")
#: Company-form words dropped from the end of a multi-word name ("Apple Inc." = "Apple").
_CORPORATE = frozenset(
    {
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "ltd",
        "limited",
        "plc",
        "llc",
        "ag",
        "gmbh",
        "sa",
        "nv",
        "bv",
    }
)
#: "Arcade Joseph Comeaux Jr" = "Arcade Joseph Comeaux".
_GENERATION = frozenset({"jr", "sr"})  # not "II": "John Paul II" is not "John Paul I"
#: A nickname in quotes between a first name and a surname.
_NICKNAME = re.compile(
    r"(?<=[\w.])\s+(?:\"(?=(?:the )?[A-Z])[^\"“”]{1,30}\"|“(?=(?:the )?[A-Z])[^\"“”]{1,30}”"
    r"|'(?=(?:the )?[A-Z])[^'\"“”]{1,30}')\s+(?=[A-Z])"
)
#: A given name, a nickname in parentheses, a surname: "Kimani (Kiki) Gray" (group 1: the
#: nickname); not "Apple (Beijing) Ltd" (nicknamed_name() checks the words).
_NICKNAMED_NAME = re.compile(
    r"[A-Z][a-z]+(?: [A-Z][a-z]*\.?)? (\([A-Z][a-z]+\)) [A-Z][a-z]+(?:['’-][A-Z]?[a-z]+)?"
)


def nicknamed_name(name: str) -> re.Match[str] | None:
    """The match of a whole "Given (Nick) Surname" ``name``: a nickname that is no place and a
    last word that is no firm's."""
    m = _NICKNAMED_NAME.fullmatch(name)
    if m is None or is_firm(name) or name.rsplit(" ", 1)[1].lower() in FIRM_WORDS:
        return None
    from index.entities.institutions import place_country

    return None if place_country(m.group(1)[1:-1]) is not None else m


#: The apostrophe of a possessive set apart by a tokeniser: "Children 's", "Distillers '".
_SPACED_POSSESSIVE = re.compile(r"(\w)\s+'(?:\s*(?=s\b)|(?=\s|$))")
_SPACED_INITIALS = re.compile(r"\b([a-z])\.\s+(?=[a-z]\.)")
#: British spellings and abbreviations inside names: "Betty Ford Centre", "Mt Cook".
_SPELLING = {
    "centre": "center",
    "theatre": "theater",
    "defence": "defense",
    "organisation": "organization",
    "programme": "program",
    "harbour": "harbor",
    "labour": "labor",
    "honour": "honor",
    "mt": "mount",
    "ft": "fort",
}
#: Variant folding only ever maps a word onto a listed demonym, so it cannot join two names
#: that merely look alike ("Kennedy", "Apple" stay as they are).
_VARIANT_MIN = 4


#: Reuters tickers after a firm's name: "Baker International <BKO>", "Volkswagen AG VOWG.F".
_TICKER = re.compile(r"(?:\s*<[A-Za-z0-9.]{1,10}>|\s+[A-Z]{2,6}\.[A-Z]{1,2})\s*$")


def _fold(name: str) -> str:
    """Case, accents, punctuation, "the", possessives; no alias or variant folding."""
    name = _TICKER.sub("", name) or name
    s = unicodedata.normalize("NFKC", name).translate(_QUOTES).strip()
    if "(" in s:
        nick = nicknamed_name(s)
        if nick is not None:  # "Kimani (Kiki) Gray" = "Kimani Gray"
            s = s[: nick.start(1)] + s[nick.end(1) + 1 :]
    if '"' in s or "'" in s or "“" in s:
        s = _NICKNAME.sub(" ", s)  # 'Vincent "The Chin" Gigante' = "Vincent Gigante"
        s = _SPACED_POSSESSIVE.sub(r"\1'", s)  # "Children 's Hospital" as tokenised text has it
    s = s.lower()
    if not s.isascii():
        s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    s = _THE.sub("", s)
    s = _POSSESSIVE.sub("", s)
    s = _SPACED_INITIALS.sub(r"\1.", s)  # "U. S." = "U.S."
    s = s.replace(".", "").replace("'", "").replace("&", " and ")
    s = _NON_WORD.sub(" ", s).replace("_", " ").strip()
    words = [_SPELLING.get(w, w) for w in s.split()]
    # "Birr, Wilson and Co." and "Wilson and Co." are partnerships named after people: they
    # keep "and co", so that no surname rule can take them for the person.
    partners = len(words) > 2 and words[-2] == "and" and (len(words) == 3 or "," in name)
    while len(words) > 1 and words[-1] in _CORPORATE and not partners:
        words.pop()
        if len(words) > 1 and words[-1] == "and":  # "Merrill Lynch and Co"
            words.pop()
    while len(words) > 2 and words[-1] in _GENERATION:
        words.pop()
    if len(words) > 2 and words[0] == "us" and not _institution(" ".join(words[1:])):
        del words[0]  # "U.S. Surgeon General" = "Surgeon General"; the U.S. Treasury keeps it
    lead = words[:1] if words[:1] == ["us"] else []  # "U.S. Department of the Treasury"
    rest = words[len(lead):]
    if len(rest) > 2 and rest[0] in ("department", "ministry") and rest[1] == "of":
        # "Department of Agriculture" = "Agriculture Department"
        words = lead + [w for w in rest[2:] if w != "the"] + [rest[0]]
    return " ".join(words)


@lru_cache(maxsize=1)
def _institutions() -> frozenset[str]:
    """Every wording of index/data/generic-institutions.txt, as _fold words ("supreme court")."""
    out = set()
    for line in _lines("generic-institutions.txt"):
        for name in line.split("="):
            out.add(" ".join(re.sub(r"[^a-z ]", " ", name.lower()).split()))
    return frozenset(out)


def _institution(name: str) -> bool:
    """Whether folded words name a body every country has ("treasury", "supreme court"): the
    country before it is what tells which one it is."""
    return name in _institutions()


def _variant(word: str) -> str:
    """Transliteration-variant fold of one word: Uyghur, Uighur, Uygur -> uigur."""
    if len(word) < _VARIANT_MIN or not word.isalpha():
        return word
    w = word[0] + word[1:].replace("y", "i")
    w = w.replace("gh", "g").replace("kh", "k")
    return _DOUBLE.sub(r"\1", w)


@lru_cache(maxsize=262_144)
def normalize(name: str) -> str:
    """The key of a name: the same for every way news text writes it.

    "BEIJING" and "Beijing" -> "beijing"; "U.S.", "US", "the United States" -> "united states";
    "Uighurs", "Uygurs", "Uyghur" -> "uighur". Deterministic, and the same at import and lookup.
    """
    base = _fold(name)
    if not base:
        return ""
    if _MIXED.match(name.strip()):  # the German "ePA" is not the EPA
        return f"{base} [{name.strip()}]"
    if _FIRM_END.search(name.strip()):  # "Toyota Motor Sales, U.S.A. Inc" is not the U.S.
        return base
    to_key, _ = alias_table()
    key = to_key.get(base)
    if key is not None:
        return key
    demonyms = _demonyms()
    if " " in base:
        key = demonyms.get(base)
        if key is None and base.endswith("s"):
            key = demonyms.get(base[:-1])
        return key or base
    key = demonyms.get(_variant(base))
    if key is None and base.endswith("s"):
        key = demonyms.get(_variant(base[:-1]))
    return key or base


_MIXED = re.compile(r"^[a-z]{1,2}[A-Z]{2,}$")
_FIRM_END = re.compile(
    r"[\s,](?:inc|incorporated|corp|corporation|co|ltd|limited|plc|llc|ag|gmbh|sa|nv|bv)\.?\s*$",
    re.IGNORECASE,
)
#: Words that make a name a firm's, a body's or a document's, never a person's.
FIRM_WORDS = frozenset(
    "and co inc corp ltd plc industries commission committee report board panel group bank"
    " airlines motors systems holdings partners associates securities fund trust".split()
)


def is_firm(name: str) -> bool:
    """Whether a name is written as a firm's: "Wilson and Co.", "U.S.A. Inc", "Arvin Industries"."""
    if _FIRM_END.search(name.strip()):
        return True
    words = name.lower().replace(".", " ").replace(",", " ").split()
    return len(words) > 1 and words[-1] in FIRM_WORDS


def is_demonym(key: str) -> bool:
    """Whether a key names a nationality, ethnic group or religious community."""
    return key in _demonym_keys()


def slug(key: str) -> str:
    """A readable, stable entity id for a key: "wang yi" -> "wang-yi"."""
    s = _NON_WORD.sub("-", key).strip("-_").replace("_", "-")[:80].strip("-")
    return s or "entity"


# --- one article -------------------------------------------------------------------------------
class Named(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def label(self) -> str: ...


class Keyed(Named, Protocol):
    @property
    def key(self) -> str: ...


#: "(ETIM)", "[ETIM]", and a Reuters ticker that spells the name: "Trans World Airlines <TWA>".
_ACRONYM_AFTER = re.compile(r"\s*[(\[<]\s*([A-Z][A-Za-z0-9&.\-]{1,11})\s*[)\]>]")
_ACRONYM_BEFORE = re.compile(r"([A-Z][A-Za-z0-9&.\-]{1,11})\s*[(\[]\s*$")
#: Small words inside names ("Bank of England", "Tour de France"), left out of an acronym.
PARTICLES = frozenset(
    "of the and for in on at to a an de du des la le da di del van von der y et und".split()
)
_PERSON_LABELS = ("PERSON",)


def is_acronym_of(acronym: str, long_form: str) -> bool:
    """ "ETIM" of "East Turkestan Islamic Movement"; letters in order among the initials."""
    letters = [c for c in acronym if c.isalpha()]
    if len(letters) < 2 or sum(c.isupper() for c in letters) < 2 or " " not in long_form.strip():
        return False
    words = [w for w in re.split(r"[\s\-/]+", long_form) if w]
    initials = [w[0].upper() for w in words if w.lower() not in PARTICLES and w[0].isalpha()]
    if not initials or initials[0] != letters[0].upper():
        return False
    # Each letter of the acronym must be an initial, in order; at most one initial skipped.
    i = 0
    skipped = 0
    for c in letters:
        c = c.upper()
        while i < len(initials) and initials[i] != c:
            i += 1
            skipped += 1
        if i == len(initials):
            return False
        i += 1
    skipped += len(initials) - i
    return skipped <= 1


def initials(name: str) -> str:
    """ "TWA" of "Trans World Airlines", "AMC" of "American Motors Corp", "USDA" of
    "U.S. Department of Agriculture": the first letters of its words but the small ones."""
    out = []
    for w in re.split(r"[\s\-/]+", _TICKER.sub("", name)):
        if not w or w.lower() in PARTICLES or not w[0].isalpha():
            continue
        if "." in w.rstrip(".") and len(w) <= 5:  # "U.S." gives "US"
            out.extend(c for c in w if c.isalpha())
        else:
            out.append(w[0])
    return "".join(out).upper()


def defines(acronym: str, long_form: str) -> bool:
    """Whether "Long Form (ACRONYM)" defines the acronym: its letters are the long form's
    initials in order (one may be skipped), or the same letters in another order, as
    "Agriculture Department (USDA)" writes "U.S. Department of Agriculture"."""
    if is_acronym_of(acronym, long_form):
        return True
    letters = "".join(c for c in acronym if c.isalpha()).upper()
    if len(letters) < 3:
        return False
    ini = initials(long_form)
    if letters.startswith("US") and not ini.startswith("US"):
        letters = letters[2:]
    return len(ini) >= 2 and sorted(letters) == sorted(ini)


def local_keys(text: str, mentions: Sequence[Named]) -> list[str]:
    """One key per mention, using what this article says about its names.

    - "Wang" after "Wang Yi" in the same article (whatever spaCy called "Wang") gets the key of
      "Wang Yi", when exactly one multi-word PERSON name in the article ends with it (or, for
      two-word names such as Chinese ones, starts with it and none ends with it).
    - "Mark Heller" after "Mark Jay Heller" gets the longer name's key, when only one fits.
    - "Saints" after "New Orleans Saints" gets the ORG's key, when only one ORG ends with it
      and the rest of its name is a place the article names.
    - An acronym defined here ("East Turkestan Islamic Movement (ETIM)") gets the long form's key
      wherever it appears in the article.
    """
    keys = [normalize(m.text) for m in mentions]
    if not keys:
        return keys
    acronyms: dict[str, str] = {}
    titles: dict[str, set[str]] = {}  # full name -> the titles it is written after ("" none)
    last: dict[str, set[str]] = {}
    first: dict[str, set[str]] = {}
    org_last: dict[str, set[str]] = {}
    for i, m in enumerate(mentions):
        key = keys[i]
        if " " not in key:
            continue
        after = _ACRONYM_AFTER.match(text, m.end, min(len(text), m.end + 20))
        if after and defines(after.group(1), m.text):
            acronyms.setdefault(normalize(after.group(1)), key)
        before = _ACRONYM_BEFORE.search(text, max(0, m.start - 20), m.start)
        if before and is_acronym_of(before.group(1), m.text):
            acronyms.setdefault(normalize(before.group(1)), key)
        words = key.split()
        if m.label in _PERSON_LABELS:
            if is_firm(m.text):
                continue
            if not _is_country(m.text.split()[-1]):  # "Funaro Brazil" lends no "Brazil"
                last.setdefault(normalize(words[-1]), set()).add(key)
            if len(m.text.split()) == 2:  # "Kim Mahn-je": "Kim" is his surname
                first.setdefault(normalize(m.text.split()[0]), set()).add(key)
            titles.setdefault(key, set()).add(_title_before(text, m.start))
        elif m.label == "ORG":
            org_last.setdefault(normalize(words[-1]), set()).add(key)
    if org_last:
        # Only "<place> <name>" ORGs lend their last word: "New Orleans Saints" -> "Saints",
        # but not "White House" -> "House".
        places = {k for k, m in zip(keys, mentions) if m.label in ("GPE", "LOC")}
        for word, orgs in list(org_last.items()):
            orgs = {k for k in orgs if k.rsplit(" ", 1)[0] in places}
            if orgs:
                org_last[word] = orgs
            else:
                del org_last[word]
    _own_acronyms(text, mentions, keys)
    people = {k for ks in last.values() for k in ks}
    # A surname written with a title before the article's first full name with it, a title
    # that full name never has ("President Reagan ... Reagan and Nancy Reagan"), stands for
    # someone else: the surname is left to the library.
    first_full: dict[str, int] = {}
    for m, key in zip(mentions, keys):
        if key in people:
            word = normalize(key.rsplit(" ", 1)[1])
            first_full[word] = min(first_full.get(word, m.start), m.start)
    for m, key in zip(mentions, keys):
        if " " not in key and key in first_full and m.start < first_full[key]:
            title = _title_before(text, m.start)
            owners = last.get(key, ())
            if title and title not in _HONORIFICS and not any(title in titles[k] for k in owners):
                last.pop(key, None)
    genders: dict[str, str] | None = None  # read only for a titled surname several people have
    for i, key in enumerate(keys):
        if " " in key:
            if key in people:
                keys[i] = _longer_name(key, last.get(normalize(key.rsplit(" ", 1)[1]), ()))
            continue
        long = acronyms.get(key)
        if long is not None:
            keys[i] = long
            continue
        if is_demonym(key):
            continue
        body = _BODY_AFTER.match(text, mentions[i].end)
        if body is not None:  # "the Tower commission" is not John Tower
            keys[i] = f"{key} {body.group(1).lower()}"
            continue
        full = last.get(key) or first.get(key)
        name = _one_name(full) if full else ""  # "Vincent Gigante", "Vincent L. Gigante": one
        if full and not name:
            # "Mr Jenkin" beside John and Katie Jenkin: the one the story shows is a man
            sex = _TITLE_SEX.get(_title_before(text, mentions[i].start))
            if sex is not None:
                if genders is None:
                    genders = _genders(text, mentions, keys)
                fits = {k for k in full if genders.get(k) == sex}
                name = _one_name(fits) if fits else ""
        if name:
            title = _title_before(text, mentions[i].start)
            # "President Reagan" is not "Nancy Reagan": a title the full name never had.
            had = set().union(*(titles.get(k, ()) for k in full))
            if not title or title in had or title in _HONORIFICS:
                keys[i] = name
            continue
        teams = org_last.get(key)
        if teams is not None and len(teams) == 1 and mentions[i].label not in ("GPE", "LOC"):
            keys[i] = next(iter(teams))
    _blends(mentions, keys, people)
    from index.entities.teams import mark_nicknames, mark_teams  # they use this module

    mark_teams(text, mentions, keys)
    mark_nicknames(text, mentions, keys)
    _heads_of(mentions, keys)
    _places_named_after(text, mentions, keys)
    _counties(text, mentions, keys)
    return keys


#: What may stand between a name and the "Counties" that ends its list: more names, commas,
#: "and", "or" ("Los Angeles, Orange, Riverside and San Bernardino Counties").
_COUNTY_LIST = re.compile(
    r"(?:\s*,?\s+(?:(?:and|or)\s+)?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2})*\s+[Cc]ounties\b"
)


def _counties(text: str, mentions: Sequence[Named], keys: list[str]) -> None:
    """ "Los Angeles" in "Los Angeles and Orange counties" is Los Angeles County, not the city:
    each name of a list that ends in "counties" is keyed as that county. A state's or a
    country's name there says whose counties they are ("Texas and Oklahoma counties")."""
    from index.entities.institutions import country_key

    if "ounties" not in text:
        return
    for i, m in enumerate(mentions):
        if " county" in keys[i] or not m.text[:1].isupper():
            continue
        words = m.text.split()
        if len(words) > 1 and words[-1] in ("Counties", "counties"):  # the list's last name
            if not {",", "and", "or", "&"} & set(words[:-1]) and "," not in m.text:
                keys[i] = normalize(" ".join(words[:-1]) + " County")
            continue
        if _COUNTY_LIST.match(text, m.end) is None:
            continue
        if is_region(m.text) or country_key(m.text) is not None:
            continue
        keys[i] = normalize(f"{m.text} County")


#: Last words of a place named after someone: "Betty Ford Center", "George Mason University".
_FACILITY_HEADS = frozenset(
    "center clinic hospital foundation university college institute school museum library"
    " stadium arena airport".split()
)
#: Words before a name that make it a place one goes to or is at: "checked into Betty Ford".
_LOCATIVE_BEFORE = re.compile(
    r"\b(?:at|in|into|to|from|entered|entering|left|leaving)\s+(?:the\s+)?\Z", re.IGNORECASE
)


def _places_named_after(text: str, mentions: Sequence[Named], keys: list[str]) -> None:
    """ "checked into Betty Ford" in a story that names the Betty Ford Center is the center:
    a person's or a body's name written where one goes or is, in an article that names exactly
    one place called after it (a center, clinic, university...), is that place. A town stays
    the town ("living in Cardiff" beside Cardiff University)."""
    places: dict[str, set[str]] = {}
    for key in keys:
        words = key.split()
        if len(words) > 1 and words[-1] in _FACILITY_HEADS:
            places.setdefault(" ".join(words[:-1]), set()).add(key)
    if not places:
        return
    for i, m in enumerate(mentions):
        found = places.get(keys[i])
        if found and len(found) == 1 and m.label in ("PERSON", "ORG"):  # not "in Rome"
            if _LOCATIVE_BEFORE.search(text, max(0, m.start - 20), m.start) is not None:
                keys[i] = next(iter(found))


#: A name made of a head and what it is of: "Duchess of Cambridge", "Bank of England".
_HEAD_OF = re.compile(r"(?:[Tt]he\s+)?([A-Z][a-z]+)\s+of\s+[A-Z]")


def _heads_of(mentions: Sequence[Named], keys: list[str]) -> None:
    """ "the Duchess" after "the Duchess of Cambridge", "the Bank" after "Bank of England":
    one word that heads exactly one "X of Y" name of the article stands for it there."""
    heads: dict[str, set[str]] = {}
    for m, key in zip(mentions, keys):
        head = _HEAD_OF.match(m.text)
        if head is not None and " " in key:
            heads.setdefault(normalize(head.group(1)), set()).add(key)
    if not heads:
        return
    for i, key in enumerate(keys):
        full = heads.get(key)
        if full is not None and len(full) == 1 and " " not in mentions[i].text.strip():
            keys[i] = next(iter(full))


#: A name blended from the first letters of a given name and a surname: "LiLo", "KStew".
_BLEND = re.compile(r"([A-Z][a-z]{0,3})([A-Z][a-z]{1,3})")


def _blends(mentions: Sequence[Named], keys: list[str], people: set[str]) -> None:
    """ "LiLo" in a story about Lindsay Lohan is her: a one-word name in two capitalised pieces
    that begin the given name and the surname of the story's one person they fit."""
    for i, m in enumerate(mentions):
        blend = _BLEND.fullmatch(m.text.strip())
        if blend is None or " " in keys[i]:
            continue
        given, family = blend.group(1).lower(), blend.group(2).lower()
        fits = {
            k for k in people
            if k.split()[0].startswith(given) and k.split()[-1].startswith(family)
        }
        name = _one_name(fits) if fits else ""
        if name:
            keys[i] = name


#: Titles and words before a name that say whether a man or a woman is meant.
_TITLE_SEX = {"mr": "m", "sir": "m", "lord": "m", "mrs": "f", "ms": "f", "miss": "f", "dame": "f",
              "lady": "f"}
_KIN_SEX = {
    **dict.fromkeys("son brother husband father boyfriend uncle nephew grandson stepson stepfather"
                    " stepbrother grandfather".split(), "m"),
    **dict.fromkeys("daughter sister wife mother girlfriend aunt niece granddaughter stepdaughter"
                    " stepmother stepsister grandmother widow".split(), "f"),
}
_PRONOUN = re.compile(r"\b(?:(he|his|him|himself)|(she|her|hers|herself))\b", re.IGNORECASE)


def _genders(text: str, mentions: Sequence[Named], keys: list[str]) -> dict[str, str]:
    """ "m" or "f" for the full names the story shows to be a man's or a woman's: a title or a
    kinship word right before ("sister Katie Jenkin", "Mr John Jenkin"), or the first "he",
    "his", "she" or "her" after the name, before any other person is named ("John Jenkin, 23,
    was remanded in his absence"); a name shown both ways is neither."""
    seen: dict[str, set[str]] = {}
    people = [i for i, m in enumerate(mentions) if m.label in _PERSON_LABELS]
    for n, i in enumerate(people):
        m, key = mentions[i], keys[i]
        if " " not in key:
            continue
        shown = seen.setdefault(key, set())
        before = _WORD_BEFORE.search(text, max(0, m.start - 24), m.start)
        if before is not None and before.end() == m.start:
            word = before.group(1).lower()
            sex = _TITLE_SEX.get(word) or _KIN_SEX.get(word)
            if sex:
                shown.add(sex)
        stop = min(len(text), m.end + 200)
        if n + 1 < len(people):
            stop = min(stop, mentions[people[n + 1]].start)
        pronoun = _PRONOUN.search(text, m.end, stop)
        if pronoun is not None:
            shown.add("m" if pronoun.group(1) else "f")
    return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}


_BODY_AFTER = re.compile(r"\s+(commission|report|board|panel|committee)\b", re.IGNORECASE)
_WORD_BEFORE = re.compile(r"([A-Za-z]+)\.?\s+$")
#: Titles that say nothing about which of two namesakes is meant.
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir"})
#: An acronym in parentheses after plain words: "artificial pancreas (AP)".
_DEFINED = re.compile(r"((?:[A-Za-z][\w'-]*\s+){1,6})\(\s*([A-Z][A-Za-z0-9&.\-]{1,11})\s*\)")


@lru_cache(maxsize=1)
def _titles() -> frozenset[str]:
    return frozenset(t.strip().lower().rstrip(".") for t in _lines("titles.txt"))


def _title_before(text: str, start: int) -> str:
    """The title word right before a name ("President" in "President Reagan"), lower case."""
    m = _WORD_BEFORE.search(text, max(0, start - 24), start)
    if m is None or m.end() != start:
        return ""
    word = m.group(1).lower()
    return word if word in _titles() else ""


def _is_country(word: str) -> bool:
    """A country or a capital the data names ("Brazil", "Rome"): never a person's surname."""
    from index.entities.institutions import place_country

    return word[:1].isupper() and place_country(word) is not None


def _own_acronyms(text: str, mentions: Sequence[Named], keys: list[str]) -> None:
    """An acronym this article defines for words that are no name ("artificial pancreas (AP)")
    is that thing here, whatever else it names in the library: it keys to the words."""
    if "(" not in text:
        return
    short = {k for k, m in zip(keys, mentions) if " " not in m.text.strip() and m.text.isupper()}
    if not short:
        return
    for m in _DEFINED.finditer(text):
        letters = m.group(2)
        words = m.group(1).split()
        for n in range(2, len(words) + 1):  # the fewest words: "in its Internet Explorer (IE)"
            phrase = " ".join(words[-n:])
            if is_acronym_of(letters, phrase):
                if phrase[:1].islower():  # a name's acronym takes the name's key by itself
                    for i, mention in enumerate(mentions):
                        if mention.text.strip() == letters:
                            keys[i] = normalize(phrase)
                break


def is_subsequence(short: list[str], long: list[str]) -> bool:
    it = iter(long)
    return all(any(w == x for x in it) for w in short)


def _one_name(names: set[str]) -> str:
    """The one person several full names of an article are: the longest, when every other one
    is its words in order ("Vincent Gigante" and "Vincent L. Gigante"); else ""."""
    longest = max(names, key=lambda k: (k.count(" "), len(k), k))
    words = longest.split()
    ok = all(k == longest or is_subsequence(k.split(), words) for k in names)
    return longest if ok else ""


def _longer_name(key: str, candidates: Iterable[str]) -> str:
    """The one longer person name that holds every word of ``key`` in order, else ``key``."""
    words = key.split()
    found = [
        c
        for c in candidates
        if c != key and c.count(" ") > key.count(" ") and is_subsequence(words, c.split())
    ]
    return found[0] if len(found) == 1 else key
