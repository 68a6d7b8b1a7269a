"""graphkit: a folder of French news articles becomes a graph of who is connected to whom, and why.

>>> import graphkit
>>> graph = graphkit.build(["seeds"])  # doctest: +SKIP
>>> graph.neighbors("commission fédérale des communications")  # doctest: +SKIP

``import graphkit`` stays light: spaCy is imported by :func:`build` only.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from graphkit.explore import Graph, build, load

try:
    __version__ = version("graphkit")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = ["build", "load", "Graph", "__version__"]
