"""Provides every path reader uses, worked out in one place; environment variables override them."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "reader"


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else None


def data_dir() -> Path:
    """Where the default library lives (READER_DATA_DIR overrides)."""
    return _env_path("READER_DATA_DIR") or Path(platformdirs.user_data_dir(APP))


def cache_dir() -> Path:
    """Where the demo library is built (READER_CACHE_DIR overrides)."""
    return _env_path("READER_CACHE_DIR") or Path(platformdirs.user_cache_dir(APP))


def config_dir() -> Path:
    """Where config.toml (key bindings) and the search history live (READER_CONFIG_DIR overrides)."""
    return _env_path("READER_CONFIG_DIR") or Path(platformdirs.user_config_dir(APP))


def default_library() -> Path:
    """The library used without --library: READER_LIBRARY, else the user data dir."""
    return _env_path("READER_LIBRARY") or data_dir() / "library"


def demo_library() -> Path:
    return cache_dir() / "demo"


def samples_dir() -> Path:
    """The sample articles shipped in the package (the two seed articles)."""
    return Path(__file__).parent / "samples"


def config_file() -> Path:
    return config_dir() / "config.toml"


def history_file() -> Path:
    return config_dir() / "history.txt"
