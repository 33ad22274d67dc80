"""Provides the named exceptions that index/ raises; callers catch these, never library internals."""


class ReaderError(Exception):
    """Base class: every error index/ raises on purpose. Its message is one readable line."""


class BadInput(ReaderError):
    """A file could not be imported; the message names the reason (the caller adds the path)."""


class QueryError(ReaderError):
    """A search query could not be understood."""


class NotFound(ReaderError):
    """No article or entity by that id or name."""


class LibraryBusy(ReaderError):
    """Another process holds the library's write lock longer than we are willing to wait."""


class LibraryError(ReaderError):
    """The library cannot be opened or written (read-only, corrupt, disk full, ...)."""


class LibraryDamaged(LibraryError):
    """The library's database file is damaged; the message says how to salvage or restore it."""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C stopped an import; the message says what was saved (one line)."""


class ModelMissing(ReaderError):
    """The spaCy English model is not installed."""
