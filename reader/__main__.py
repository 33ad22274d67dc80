"""Provides ``python -m reader``: the same command as ``reader``."""

from reader.cli import main

main()
