"""Writers, one module per format; each writes one graph to one path and does nothing else.

``FORMATS`` maps a format name to the file name suffix it writes under the
output stem (``out/graph``) and its writer ``write(graph, path, **options)``.
Writers import only ``graph``, ``style``, ``layout`` and ``atomic``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

__all__ = ["FORMATS", "DEFAULT_FORMATS", "write", "output_paths"]

# format -> (suffix, module, function)
FORMATS: dict[str, tuple[str, str, str]] = {
    "json": (".json", "graphkit.export.nodelink", "write_json"),
    "graphml": (".graphml", "graphkit.export.graphml", "write_graphml"),
    "gexf": (".gexf", "graphkit.export.gexf", "write_gexf"),
    "html": (".html", "graphkit.export.webpage", "write_html"),
    "csv": (".csv", "graphkit.export.table", "write_csv"),
}
DEFAULT_FORMATS = ("json", "graphml", "gexf", "html")


def writer(fmt: str) -> Callable[..., None]:
    """The write function of a format (imported on first use)."""
    _suffix, module, name = FORMATS[fmt]
    return getattr(importlib.import_module(module), name)


def output_paths(stem: Path, fmt: str) -> list[Path]:
    """The files a format writes for an output stem such as ``out/graph``."""
    if fmt == "csv":
        return [stem.with_name(stem.name + ".nodes.csv"), stem.with_name(stem.name + ".edges.csv")]
    return [stem.with_name(stem.name + FORMATS[fmt][0])]


def write(graph: nx.MultiDiGraph, fmt: str, path: str | Path, **options: Any) -> None:
    """Write ``graph`` in format ``fmt`` to ``path`` (atomically)."""
    writer(fmt)(graph, path, **options)
