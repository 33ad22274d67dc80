"""Provides reader: a terminal reader for people who prepare briefings from news."""

__version__ = "0.1.0"
