"""Provides sports teams in one article's keys: a place that plays is its team ("boston (team)",
"england (rugby team)", keyed by the story's sport from index/data/sports.txt), a team's
nickname is its team (index/data/team-nicknames.tsv), and the helpers resolution uses to join a
place's teams (``team_of``, ``team_suffix``, ``is_team_name``). ``local_keys`` calls
``mark_teams`` and ``mark_nicknames``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from index.entities.names import FIRM_WORDS, Named, _lines, is_firm, normalize

__all__ = [
    "TEAM",
    "is_team_name",
    "mark_nicknames",
    "mark_teams",
    "sport_of",
    "sports",
    "team_nicknames",
    "team_of",
    "team_suffix",
]


#: After a place, words that make it a sports team: "Boston manager", "England beat Samoa".
_TEAM_AFTER = re.compile(
    r"(?:'s?|’s?)?\s+(?:(?P<word>coach|manager|captain|quarterback|skipper|star|brass|lineup"
    r"|offense|defense|defence|fans|president)\b"
    r"|(?:beat|defeated|edged|routed|blanked|plays)\s+(?:the\s+)?[A-Z])"
)
#: In a story about sport, what only a team does right after its place's name: a record
#: "Indianapolis (10 - 5)", a score "Creighton 65,", a yard line, "New Orleans ’ loss",
#: "New Orleans picked up", "Indianapolis lost a 10-point lead".
_PLAYS_AFTER = re.compile(
    r"\s*\(\d{1,2}\s*-\s*\d{1,2}(?:\s*-\s*\d{1,2})?\)"
    r"|\s+\d{1,3}(?:\s*-\s*yard\b|,\s+(?:No\.\s+\d+\s+)?[A-Z])"
    r"|\s*['’]s?\s+(?:\S+\s+){0,2}?(?:win|loss|victory|defeat|season|season-finale|record"
    r"|roster|postseason|territory|lead)\b"
    r"|\s+(?:lost|won|signed|picked up|plays at|clinched|improved to|fell to|replaced"
    r"|begins its)\b"
    r"|\s+its\s+\w+\s+(?:lead|win|loss|victory|title)\b"
    r"|\s+to\s+an?\s+\d{1,3}\s*-\s*\d{1,3}\b"
)
#: Cues that make a place a team only in a story about sport: "U.S. defense officials" and
#: "U.S. brass mill" stocks are the country's.
_WEAK_CUES = frozenset({"brass", "offense", "defense", "defence"})
_SPORT = re.compile(
    r"\b(?:season|playoffs?|league|innings|touchdowns?|quarterback|pitcher|striker|roster"
    r"|wild[- ]card|coach|rushing|home run|free agent|championship|tournament)\b",
    re.IGNORECASE,
)
_PLACE_BEFORE = re.compile(
    r"\b(?:in|at|from|to|near|into|of|across|outside|around|throughout|for|and|or|off|via"
    r"|toward|towards|within|inside|beyond)\s+(?:the\s+)?$"
    r"|,\s*$",
    re.IGNORECASE,
)
TEAM = " (team)"
#: "boston (team)", "england (rugby team)": a place's team, keyed by its sport when known.
_TEAM_KEY = re.compile(r"^(.+) \((?:([a-z][a-z ]*) )?team\)$")


def team_of(key: str) -> tuple[str, str] | None:
    """(place key, sport or "") of a team's key: "england (rugby team)" -> ("england",
    "rugby"), "boston (team)" -> ("boston", ""); None for any other key."""
    m = _TEAM_KEY.match(key)
    return None if m is None else (m.group(1), m.group(2) or "")


def team_suffix(sport: str) -> str:
    """What follows the place in a team's key or name: " (team)", " (rugby team)"."""
    return f" ({sport} team)" if sport else TEAM


@lru_cache(maxsize=1)
def sports() -> dict[str, tuple[str, re.Pattern[str]]]:
    """Sport key -> (its name as written, its cue words) from index/data/sports.txt."""
    out = {}
    for line in _lines("sports.txt"):
        name, _, cues = line.partition(":")
        parts = []
        for cue in (c.strip() for c in cues.split(",")):
            if cue:
                words = r"\s*'\s*".join(
                    r"[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", piece))
                    for piece in cue.split("'")
                )
                parts.append(words if any(c.isupper() for c in cue) else f"(?i:{words})")
        out[name.strip().lower()] = (name.strip(), re.compile(r"\b(?:" + "|".join(parts) + r")\b"))
    return out


def sport_of(text: str) -> str:
    """The sport a story is about by its words (sports.txt): the one named most, when it is
    named at least twice as often as all the others together; "" when none or no clear one."""
    counts = {sport: len(cues.findall(text)) for sport, (_, cues) in sports().items()}
    best = max(counts, key=lambda s: counts[s])
    rest = sum(counts.values()) - counts[best]
    return best if counts[best] and counts[best] >= 2 * rest else ""

_NOT_TEAMS = frozenset({"times", "news", "post", "express", "airways", "bros", "sciences"})


def _team_like(name: str) -> bool:
    """A plural last word that is no firm's: "Saints", "Red Sox", "Colts"; not "Industries"."""
    last = name.split()[-1].lower().strip(".,")
    plural = last.endswith("s") or last in ("sox", "heat", "magic", "jazz", "thunder")
    return plural and last not in FIRM_WORDS and last not in _NOT_TEAMS and not is_firm(name)


def is_team_name(key: str) -> bool:
    """A key that reads as "<place> <team>" by its last word ("jacksonville jaguars", "boston red
    sox"), whatever spaCy called it; the caller checks that the rest is a place."""
    return " " in key and not key.endswith(")") and key.count(" ") <= 3 and _team_like(key)


def mark_teams(text: str, mentions: Sequence[Named], keys: list[str]) -> None:
    """A place that plays, signs or has a coach is its team: "New Orleans" after "New Orleans
    Saints" in the same story, where no "in" or "at" makes it the city or a team's deed
    follows it ("in New Orleans ’ loss to Atlanta", "Indianapolis (10 - 5)"), takes the team's key;
    "Boston manager", "England beat" key as "boston (team)", which the library joins to the one
    team of that place it knows; in a story whose words name one sport (sports.txt), as
    "england (rugby team)", so that England's rugby and cricket teams stay two."""
    places = {k for k, m in zip(keys, mentions) if m.label == "GPE"}
    here: dict[str, set[str]] = {}
    sport: str | None = None  # the story's sport, read once a place plays
    playing: dict[str, set[str]] = {}  # a place's key -> the team key a cue gave it here
    sport_words = _SPORT.search(text) is not None or sport_of(text) != ""

    def team_cue(end: int) -> bool:
        cue = _TEAM_AFTER.match(text, end)
        return cue is not None and (sport_words or cue.group("word") not in _WEAK_CUES)

    sporting = sport_words or any(team_cue(m.end) for m in mentions if m.label == "GPE")
    for m, k in zip(mentions, keys):
        # Only a team's name lends its place: "New Orleans Saints", "Boston Red Sox", in a
        # story where some place plays; never "New York Stock Exchange" or "New York Times".
        if sporting and m.label == "ORG" and " " in k and _team_like(m.text):
            for place in places:
                if k.startswith(place + " "):
                    here.setdefault(place, set()).add(k)
    for i, m in enumerate(mentions):
        if m.label != "GPE":
            continue
        cue = team_cue(m.end) or (sporting and _PLAYS_AFTER.match(text, m.end))
        named = here.get(keys[i], set())
        located = _PLACE_BEFORE.search(text, max(0, m.start - 24), m.start) is not None
        if len(named) == 1 and (cue or not located):  # "injured in New Orleans ’ loss"
            keys[i] = next(iter(named))
        elif cue and not named:
            if sport is None:
                sport = sport_of(text)
            playing.setdefault(keys[i], set()).add(keys[i] + team_suffix(sport))
            keys[i] = keys[i] + team_suffix(sport)
    # A place the story shows playing is its team wherever no "in" or "at" makes it the place:
    # "England beat Samoa ... England and Tonga have met only once" (as a named team's place is).
    for i, m in enumerate(mentions):
        team = playing.get(keys[i])
        if team is not None and len(team) == 1:
            if _PLACE_BEFORE.search(text, max(0, m.start - 24), m.start) is None:
                keys[i] = next(iter(team))


@lru_cache(maxsize=1)
def team_nicknames() -> dict[str, tuple[str, str]]:
    """Nickname key -> (place key, sport key or "") from index/data/team-nicknames.tsv."""
    out = {}
    for line in _lines("team-nicknames.tsv"):
        nickname, place, sport = (line.split("\t") + ["", ""])[:3]
        out[normalize(nickname)] = (normalize(place), sport.strip().lower())
    return out


def mark_nicknames(text: str, mentions: Sequence[Named], keys: list[str]) -> None:
    """In a story about sport, a team's well-known nickname ("Sixers", "Tar Heels") is its
    place's team: the key the story gives that team, else "<place> (<sport> team)". Never in a
    story about another sport than the team's, nor in one about no sport ("Sixers" of a
    fashion house stays itself)."""
    table = team_nicknames()
    found = [i for i, k in enumerate(keys) if k in table and mentions[i].label not in ("GPE", "LOC")]
    if not found or (_SPORT.search(text) is None and sport_of(text) == ""):
        return
    story = sport_of(text)
    teams: dict[str, set[str]] = {}  # a place -> the team keys its nicknames took here
    for i in found:
        place, sport = table[keys[i]]
        if story and sport and story != sport:
            continue
        named = {  # "Jacksonville Jaguars" in the story: "Jags" is that team
            k for k, m in zip(keys, mentions)
            if m.label == "ORG" and k.startswith(place + " ") and _team_like(m.text)
        }
        shown = named or {k for k in keys if team_of(k) is not None and team_of(k)[0] == place}
        keys[i] = next(iter(shown)) if len(shown) == 1 else place + team_suffix(story or sport)
        teams.setdefault(place, set()).add(keys[i])
    # As for a place the story shows playing: the place is that team wherever no "in" or "at"
    # makes it the place ("the Tar Heels ... North Carolina's career scoring record").
    for i, m in enumerate(mentions):
        team = teams.get(keys[i])
        if m.label == "GPE" and team is not None and len(team) == 1:
            if _PLACE_BEFORE.search(text, max(0, m.start - 24), m.start) is None:
                keys[i] = next(iter(team))
