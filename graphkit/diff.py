"""What is new between two builds: entities, typed relations, evidence, and what is gone.

:func:`compare` takes two contract graphs (an older and a newer build) and
lists:

- ``entities.new`` / ``entities.gone``: ids in one graph only;
- ``relations.new``: typed relations (co-occurrences are left out) that
  only the newer graph holds, with their evidence;
- ``relations.more_evidence``: typed relations in both, with the sentences
  only the newer one cites (a sentence is its document and offsets);
- ``relations.gone``: typed relations of the older graph that the newer one
  no longer holds: their evidence is gone, shown as the older graph had it.

Each evidence item shown keeps ``doc``, ``sentence``, ``date`` and
``outlet`` (``""`` when unknown). Lists are sorted, so the same two graphs
give the same report. :func:`to_text` and :func:`to_json` render it;
:mod:`graphkit.diffpage` makes an HTML page of it.

A build that writes ``graph.json`` into a folder holding one first keeps
the older one as ``graph.previous.json`` (:func:`keep_previous`), so that
``graphkit diff`` with no argument shows what the last build added.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx

from graphkit.errors import InputError
from graphkit.export.atomic import write_atomic
from graphkit.model import CO_OCCURS

__all__ = ["PREVIOUS", "compare", "to_text", "to_json", "is_empty", "keep_previous", "previous_pair"]

PREVIOUS = "graph.previous.json"
"""The name under which a build keeps the ``graph.json`` it replaces."""

Report = dict[str, Any]


def _sentence_key(item: dict[str, Any]) -> tuple[str, int, int]:
    return str(item.get("doc", "")), int(item.get("start", 0)), int(item.get("end", 0))


def _shown(item: dict[str, Any]) -> dict[str, str]:
    """The part of an evidence item a report shows."""
    return {key: str(item.get(key) or "") for key in ("doc", "sentence", "date", "outlet")}


def _typed(graph: nx.MultiDiGraph) -> dict[tuple[str, str, str], dict[str, Any]]:
    return {(u, str(k), v): d for u, v, k, d in graph.edges(keys=True, data=True) if k != CO_OCCURS}


def _relation(key: tuple[str, str, str], data: dict[str, Any], items: list[dict[str, Any]]) -> dict[str, Any]:
    source, relation, target = key
    ordered = sorted(items, key=lambda item: (str(item.get("date") or ""), _sentence_key(item)))
    return {
        "source": source,
        "relation": relation,
        "target": target,
        "weight": int(data.get("weight", 0)),
        "evidence": [_shown(item) for item in ordered],
    }


def _entity(node: str, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": node,
        "type": str(data.get("type", "")),
        "mentions": int(data.get("mentions", 0)),
        "first_seen": str(data.get("first_seen") or ""),
    }


def compare(old: nx.MultiDiGraph, new: nx.MultiDiGraph) -> Report:
    """What changed from ``old`` to ``new`` (see the module).

    Examples
    --------
    >>> old, new = nx.MultiDiGraph(), nx.MultiDiGraph()
    >>> ev = {"doc": "a", "sentence": "A rachète B.", "start": 0, "end": 12, "date": "2024-10-11"}
    >>> old.add_nodes_from(["A", "B"]); new.add_nodes_from(["A", "B", "C"])
    >>> _ = new.add_edge("A", "B", key="acquires", weight=1, evidence=[ev])
    >>> report = compare(old, new)
    >>> [e["id"] for e in report["entities"]["new"]], report["relations"]["new"][0]["evidence"][0]["date"]
    (['C'], '2024-10-11')
    """
    old_edges, new_edges = _typed(old), _typed(new)
    more = []
    for key in sorted(new_edges.keys() & old_edges.keys()):
        known = {_sentence_key(item) for item in old_edges[key].get("evidence", ())}
        added = [item for item in new_edges[key].get("evidence", ()) if _sentence_key(item) not in known]
        if added:
            more.append(_relation(key, new_edges[key], added))
    return {
        "entities": {
            "new": [_entity(n, new.nodes[n]) for n in sorted(set(new.nodes) - set(old.nodes))],
            "gone": [_entity(n, old.nodes[n]) for n in sorted(set(old.nodes) - set(new.nodes))],
        },
        "relations": {
            "new": [
                _relation(key, new_edges[key], list(new_edges[key].get("evidence", ())))
                for key in sorted(new_edges.keys() - old_edges.keys())
            ],
            "more_evidence": more,
            "gone": [
                _relation(key, old_edges[key], list(old_edges[key].get("evidence", ())))
                for key in sorted(old_edges.keys() - new_edges.keys())
            ],
        },
    }


def is_empty(report: Report) -> bool:
    """True when nothing changed.

    >>> is_empty(compare(nx.MultiDiGraph(), nx.MultiDiGraph()))
    True
    """
    return not any(items for part in report.values() for items in part.values())


def to_json(report: Report) -> str:
    """The report as indented JSON (UTF-8 text, keys in a fixed order)."""
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _evidence_lines(items: list[dict[str, str]]) -> list[str]:
    lines = []
    for item in items:
        where = ", ".join(part for part in (item["date"], item["outlet"], item["doc"]) if part)
        lines.append(f"    {where}: « {_one_line(item['sentence'])} »")
    return lines


def _relation_lines(title: str, relations: list[dict[str, Any]]) -> list[str]:
    if not relations:
        return []
    lines = [f"{title} ({len(relations)}):"]
    for rel in relations:
        lines.append(f"  {rel['source']} {rel['relation']} {rel['target']} (weight {rel['weight']})")
        lines += _evidence_lines(rel["evidence"])
    return lines


def _entity_lines(title: str, entities: list[dict[str, Any]]) -> list[str]:
    if not entities:
        return []
    shown = []
    for entity in entities:
        detail = ", ".join(part for part in (entity["type"], entity["first_seen"]) if part)
        shown.append(f"{entity['id']} ({detail})" if detail else entity["id"])
    return [f"{title} ({len(entities)}): " + "; ".join(shown)]


def to_text(report: Report) -> str:
    """The report as lines for a terminal; « Nothing new. » when nothing changed.

    >>> print(to_text(compare(nx.MultiDiGraph(), nx.MultiDiGraph([("A", "B", "owns")]))), end="")
    New entities (2): A; B
    New relations (1):
      A owns B (weight 0)
    """
    if is_empty(report):
        return "Nothing new.\n"
    entities, relations = report["entities"], report["relations"]
    lines = [
        *_entity_lines("New entities", entities["new"]),
        *_relation_lines("New relations", relations["new"]),
        *_relation_lines("Relations with new evidence", relations["more_evidence"]),
        *_relation_lines("Relations no longer found (their evidence is gone)", relations["gone"]),
        *_entity_lines("Entities no longer found", entities["gone"]),
    ]
    return "\n".join(lines) + "\n"


def keep_previous(folder: Path, staging: Path) -> list[Path]:
    """Copy ``folder/graph.json``, if there is one, to ``staging/graph.previous.json``.

    Call it while a build stages its outputs (:class:`graphkit.outdir.OutputFolder`);
    returns the file written, to be put in place with the others, or nothing.
    """
    try:
        data = (folder / "graph.json").read_bytes()
    except FileNotFoundError:
        return []
    write_atomic(staging / PREVIOUS, data)
    return [staging / PREVIOUS]


def previous_pair(folder: Path) -> tuple[Path, Path]:
    """``folder/graph.previous.json`` and ``folder/graph.json``, both checked to exist.

    Raises
    ------
    InputError
        If either is missing.
    """
    old, new = folder / PREVIOUS, folder / "graph.json"
    if not new.is_file():
        raise InputError(f"no graph in {folder}: {new} not found (build first, or name two graph.json files)")
    if not old.is_file():
        raise InputError(f"no previous build in {folder}: {old} is kept when a build writes into it again")
    return old, new
