"""Errors raised by graphkit.

The library raises :class:`GraphkitError` subclasses with one-line messages
that say what was given and what is allowed; ``cli.py`` turns them into
``Error: <message>`` and exit code 2.
"""

from __future__ import annotations

__all__ = [
    "GraphkitError",
    "InputError",
    "RulesError",
    "AliasError",
    "ReviewError",
    "ModelError",
    "OutputError",
    "ClusterError",
    "DateWarning",
    "CacheWarning",
]


class GraphkitError(Exception):
    """Base class of every error graphkit reports to its users."""


class InputError(GraphkitError):
    """An input path that does not exist, cannot be read or holds no document."""


class RulesError(GraphkitError):
    """A relation rules file that cannot be loaded or validated."""


class AliasError(GraphkitError):
    """An alias table that cannot be loaded or validated."""


class ReviewError(GraphkitError):
    """A review file, or a decision recorded in one, that cannot be loaded or validated."""


class ModelError(GraphkitError):
    """A spaCy pipeline that is not installed or cannot be used."""


class OutputError(GraphkitError):
    """An output path that cannot be written."""


class ClusterError(GraphkitError):
    """A Dask scheduler that cannot be reached, or workers that cannot run the extraction."""


class CacheWarning(UserWarning):
    """The results cache could not be used as it was (damaged, unwritable); the build went on."""


class DateWarning(UserWarning):
    """A date of a ``--dates`` file that could not be read; its row gives no date."""
