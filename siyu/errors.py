"""Every error siyu raises on purpose derives from SiyuError and says how to fix the input."""

from __future__ import annotations


class SiyuError(Exception):
    """Base class: the message is meant for the person using siyu, not for a developer."""


class ConfigError(SiyuError):
    """A setting (environment variable or flag) has a value siyu cannot use."""


class DatabaseBusyError(SiyuError):
    """Another process holds the DuckDB file's lock for longer than we are willing to wait."""


class DatabaseOpenError(SiyuError):
    """The database file cannot be opened or created (path, permissions, not a DuckDB file)."""


class SchemaError(SiyuError):
    """The database file was written by a newer siyu, or is not a siyu database."""


class QueryError(SiyuError):
    """A named query failed; the message names the query and the database error."""


class IngestError(SiyuError):
    """An import file was refused; nothing was written."""


class MetricError(SiyuError):
    """A metric was asked for with parameters it cannot use, or the data cannot support it."""
