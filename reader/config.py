"""Provides the user's settings (theme, key bindings) and the search history, read from disk.

``config.toml`` in the config dir::

    theme = "textual-light"

    [keys]
    # binding id = key(s); ids are listed on the help screen (?)
    "article.next_mention" = "right_square_bracket,l"
    "app.quit" = "ctrl+q"

A broken file never stops the reader: it starts with the defaults and says why.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from index import safe_line

#: How many past queries the search box remembers.
HISTORY_LIMIT = 200


@dataclass(frozen=True)
class Config:
    """What the user chose in ``config.toml``."""

    theme: str | None = None
    """A Textual theme name; None keeps the default."""
    keys: dict[str, str] = field(default_factory=dict)
    """Binding id -> key string (comma-separated for several keys), applied as the App keymap."""
    problem: str = ""
    """Why the file was (partly) ignored, one line; empty when it was fine or absent."""


def load_config(path: Path) -> Config:
    """Read ``path``; a missing file gives the defaults, a broken one the defaults and a reason."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Config()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return Config(problem=f"{path.name} ignored: {safe_line(error)}")
    theme = data.get("theme")
    raw_keys = data.get("keys", {})
    problem = ""
    keys: dict[str, str] = {}
    if isinstance(raw_keys, dict):
        for binding_id, key in raw_keys.items():
            if isinstance(key, str) and key.strip():
                keys[str(binding_id)] = key.replace(" ", "")
            else:
                problem = f"{path.name}: key for {safe_line(binding_id)!r} is not a string"
    else:
        problem = f"{path.name}: [keys] must be a table"
    if theme is not None and not isinstance(theme, str):
        theme, problem = None, f"{path.name}: theme must be a string"
    return Config(theme=theme, keys=keys, problem=problem)


def load_history(path: Path) -> list[str]:
    """Past queries, oldest first; nothing when the file is missing or unreadable."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    return [query for line in lines if (query := safe_line(line))][-HISTORY_LIMIT:]


def save_history(path: Path, queries: list[str]) -> None:
    """Write the last HISTORY_LIMIT queries; failing to save history is not worth an error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = "".join(f"{safe_line(query)}\n" for query in queries[-HISTORY_LIMIT:])
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass
