"""graphkit: a folder of French news articles becomes a graph of who is connected to whom, and why.

>>> import graphkit
>>> graph = graphkit.build(["seeds"])  # doctest: +SKIP
>>> graph.neighbors("commission fédérale des communications")  # doctest: +SKIP

``import graphkit`` stays light: spaCy is imported by :func:`build` only.
"""

from __future__ import annotations

from graphkit.explore import Graph, build, load
from graphkit.version import __version__

__all__ = ["build", "load", "Graph", "__version__"]
