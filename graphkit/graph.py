"""The graph contract: canonical entities and evidence-backed edges as a networkx MultiDiGraph.

Nodes carry ``label``, ``type``, ``aliases``, ``mentions``, ``docs``,
``merges`` (each joined form with the reason it was joined),
``doc_mentions`` (``{doc: mentions}``) and ``alias_docs`` (``{alias: [doc, ...]}``);
a reviewed node or edge also carries ``review``, and a reviewed graph its
decisions in ``G.graph["review_decisions"]`` (see :mod:`graphkit.review`);
edges carry ``relation``, ``weight`` and ``evidence`` (a list of
``{"doc", "sentence", "start", "end", ...}``, where ``start``/``end`` are the
sentence's character offsets in the document as read; ``date`` and ``outlet``
when the document has them). Nodes and edges whose documents are dated also
carry ``first_seen`` and ``last_seen`` (ISO dates, from all their evidence and
its wire copies, not only the sentences kept), and ``outlets``, the number of
distinct outlets, when any is known. The edge key is the
relation label: two entities have at most one edge per label, holding every
sentence that states it. Symmetric labels (and ``co_occurs``) are stored once,
from the smaller id to the larger. ``out/graph.json`` is
``nx.node_link_data(G, edges="edges")`` of this graph.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from graphkit.errors import InputError
from graphkit.model import CO_OCCURS, SYMMETRIC_RELATIONS, Entity

__all__ = [
    "CO_OCCURS",
    "EdgeRecord",
    "build_graph",
    "evidence_order",
    "graph_to_data",
    "graph_from_data",
    "read_graph",
    "is_asserted",
    "seen_attributes",
]

NOT_ASSERTED = frozenset({"negated", "hypothetical"})


@dataclass(slots=True)
class EdgeRecord:
    """An edge before it enters the graph: ends, label, weight and evidence items.

    ``dates`` and ``outlets`` are those of all its evidence, kept or not, and of the wire copies.
    """

    source: str
    target: str
    relation: str
    weight: int = 0
    evidence: list[dict[str, Any]] = field(default_factory=list)
    dates: AbstractSet[str] = frozenset()
    outlets: AbstractSet[str] = frozenset()


def seen_attributes(dates: AbstractSet[str], outlets: AbstractSet[str]) -> dict[str, Any]:
    """``first_seen``, ``last_seen`` and ``outlets`` of a node or edge; nothing for what is unknown.

    >>> seen_attributes({"2024-10-11", "2024-09"}, {"AFP"}), seen_attributes(set(), set())
    ({'first_seen': '2024-09', 'last_seen': '2024-10-11', 'outlets': 1}, {})
    """
    seen: dict[str, Any] = {"first_seen": min(dates), "last_seen": max(dates)} if dates else {}
    if outlets:
        seen["outlets"] = len(outlets)
    return seen


def evidence_order(item: dict[str, Any]) -> tuple[Any, ...]:
    return (item["doc"], item["start"], item["end"], item.get("rule", ""), item.get("modality", ""))


def build_graph(
    entities: Iterable[Entity],
    edges: Iterable[EdgeRecord],
    *,
    documents: int = 0,
) -> nx.MultiDiGraph:
    """Assemble the contract graph, nodes and edges in sorted order.

    Parameters
    ----------
    entities : iterable of Entity
        Canonical entities; each becomes a node whose id is ``entity.id``.
    edges : iterable of EdgeRecord
        Edges between entity ids; symmetric labels are turned to run from the
        smaller id to the larger.
    documents : int
        Number of documents read, stored in ``G.graph``.

    Returns
    -------
    nx.MultiDiGraph

    Examples
    --------
    >>> a, b = Entity("A", "ORG", {"A"}, 1, {"d"}), Entity("B", "ORG", {"B"}, 1, {"d"})
    >>> ev = {"doc": "d", "sentence": "A B", "start": 0, "end": 3}
    >>> G = build_graph([b, a], [EdgeRecord("B", "A", "partner_of", 1, [ev])])
    >>> list(G.edges(keys=True))
    [('A', 'B', 'partner_of')]
    """
    graph = nx.MultiDiGraph(name="graphkit", documents=documents)
    for entity in sorted(entities, key=lambda e: e.id):
        graph.add_node(
            entity.id,
            label=entity.id,
            type=entity.type,
            aliases=sorted(entity.aliases),
            mentions=entity.mentions,
            docs=sorted(entity.docs),
            merges=[{"form": form, "reason": reason} for form, reason in sorted(entity.merges)],
            doc_mentions=dict(sorted(entity.doc_mentions.items())),
            alias_docs={alias: sorted(docs) for alias, docs in sorted(entity.alias_docs.items())},
            **seen_attributes(entity.dates, entity.outlets),
        )
    merged: dict[tuple[str, str, str], EdgeRecord] = {}
    for edge in edges:
        source, target = edge.source, edge.target
        if edge.relation in SYMMETRIC_RELATIONS and target < source:
            source, target = target, source
        key = (source, target, edge.relation)
        known = merged.get(key)
        if known is None:
            merged[key] = edge  # read, never changed: the records are the caller's
        else:
            merged[key] = EdgeRecord(
                *key,
                known.weight + edge.weight,
                known.evidence + edge.evidence,
                known.dates | edge.dates,
                known.outlets | edge.outlets,
            )
    for (source, target, relation), edge in sorted(merged.items()):
        graph.add_edge(
            source,
            target,
            key=relation,
            relation=relation,
            weight=edge.weight,
            evidence=sorted(edge.evidence, key=evidence_order),
            **seen_attributes(edge.dates, edge.outlets),
        )
    return graph


def is_asserted(evidence: list[dict[str, Any]]) -> bool:
    """True when some evidence item states the relation as a plain fact.

    >>> is_asserted([{"modality": "negated"}]), is_asserted([{}, {"modality": "negated"}])
    (False, True)
    """
    return not evidence or any(item.get("modality") not in NOT_ASSERTED for item in evidence)


def graph_to_data(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """Node-link data of the graph (``edges="edges"``), nodes and edges sorted."""
    data = nx.node_link_data(graph, edges="edges")
    data["nodes"] = sorted(data["nodes"], key=lambda n: n["id"])
    data["edges"] = sorted(data["edges"], key=lambda e: (e["source"], e["target"], e["key"]))
    return data


def graph_from_data(data: dict[str, Any]) -> nx.MultiDiGraph:
    """Inverse of :func:`graph_to_data`."""
    graph = nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    return graph


def read_graph(path: str | Path) -> nx.MultiDiGraph:
    """Read a ``graph.json`` written by graphkit.

    Raises
    ------
    InputError
        If the file is missing or is not graphkit node-link data.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"graph file not found: {path}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(f"cannot read graph file {path}: {err}") from None
    if not isinstance(data, dict) or "nodes" not in data or "edges" not in data:
        raise InputError(f"{path} is not a graphkit graph.json (node-link data with 'edges')")
    problem = contract_problem(data)
    if problem is not None:
        raise InputError(f"{path} is not a valid graphkit graph.json: {problem}")
    try:
        return graph_from_data(data)
    except (KeyError, TypeError, ValueError, AttributeError, nx.NetworkXError) as err:
        raise InputError(f"{path} is not valid node-link data: {err}") from None


_NUMBER = (int, float)
_NODE_FIELDS: dict[str, Any] = {
    "id": str, "label": str, "type": str, "aliases": list, "mentions": int, "docs": list,
    "merges": list, "x": _NUMBER, "y": _NUMBER,
}  # fmt: skip
_EDGE_FIELDS: dict[str, Any] = {
    "source": str, "target": str, "key": (str, int), "relation": str, "weight": int, "evidence": list,
}  # fmt: skip
_EVIDENCE_FIELDS: dict[str, Any] = {
    "doc": str, "sentence": str, "start": int, "end": int, "rule": str, "modality": str,
    "attributed_to": str, "title": str, "date": str, "url": str,
}  # fmt: skip
_EVIDENCE_REQUIRED = ("doc", "sentence", "start", "end")


def _field_problem(item: Any, fields: dict[str, Any], what: str, required: tuple[str, ...]) -> str | None:
    if not isinstance(item, dict):
        return f"{what} is not an object"
    for name in required:
        if name not in item:
            return f"{what} has no {name!r}"
    for name, kind in fields.items():
        value = item.get(name)
        if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
            return f"{what} has a {name!r} of the wrong type"
    return None


def contract_problem(data: dict[str, Any]) -> str | None:
    """What keeps node-link ``data`` from being a graph of the contract (see the README), or None.

    >>> contract_problem({"nodes": [{"id": "A"}], "edges": [{"source": "A", "target": "B"}]})
    "edge 1 has a target that is not a node: 'B'"
    """
    nodes, edges = data.get("nodes"), data.get("edges")
    if not isinstance(nodes, list) or not isinstance(edges, list):
        return "'nodes' and 'edges' must be lists"
    ids: set[str] = set()
    for n, node in enumerate(nodes, start=1):
        problem = _field_problem(node, _NODE_FIELDS, f"node {n}", ("id",))
        if problem is None and not all(isinstance(a, str) for a in node.get("aliases") or ()):
            problem = f"node {n} has an alias that is not text"
        if problem is not None:
            return problem
        ids.add(node["id"])
    for n, edge in enumerate(edges, start=1):
        problem = _field_problem(edge, _EDGE_FIELDS, f"edge {n}", ("source", "target"))
        if problem is not None:
            return problem
        for end in ("source", "target"):
            if edge[end] not in ids:
                return f"edge {n} has a {end} that is not a node: {edge[end]!r}"
        for item in edge.get("evidence") or ():
            problem = _field_problem(item, _EVIDENCE_FIELDS, f"evidence of edge {n}", _EVIDENCE_REQUIRED)
            if problem is not None:
                return problem
    return None
