"""Review: what a person decided about the graph, kept as data and replayed on every build.

A review file (``review.json``) holds decisions::

    {"graphkit_review": 1, "decisions": [
      {"action": "merge", "entities": ["B", "C"], "into": "A",
       "reason": "...", "by": "...", "at": "2026-12-06"},
      {"action": "split", "entity": "X", "by": "document"},            # or "by": "alias"
      {"action": "rename", "entity": "X", "name": "Y"},
      {"action": "retype", "entity": "X", "type": "ORG"},
      {"action": "delete", "entity": "X"},
      {"action": "reject", "source": "A", "label": "owns", "target": "B"},   # "doc" (+ "start"): one sentence
      {"action": "relabel", "source": "A", "label": "owns", "target": "B", "new_label": "invests_in"},
      {"action": "add", "source": "A", "label": "owns", "target": "B",
       "doc": "d.txt", "start": 10, "end": 80, "sentence": "..."},
      {"action": "confirm", "entity": "X"},
      {"action": "confirm", "source": "A", "label": "owns", "target": "B"}]}

``reason``, ``by`` (who) and ``at`` (when) are optional; for ``split``,
``by`` is the way to split. Names are kept as written and resolved on
replay as :meth:`graphkit.explore.Graph.resolve` does (id, label, then
aliases; case, accents and a leading article ignored).

The file is written with sorted keys, one decision a line, decisions in
:func:`sort_key` order: replay order of their action (:data:`ACTIONS`),
then their targets. Recording a decision replaces an earlier one with the
same targets (:func:`subject`), so the last word on an entity or edge wins.

:func:`apply_review` replays the decisions on the contract graph, action by
action in :data:`ACTIONS` order. A decision whose target is gone
(unknown or ambiguous name, missing edge) is *stale*: reported, not an error.
Reviewed nodes and edges carry ``review``, a sorted list of marks
(:data:`MARKS`); deleted entities and rejected edges go to the report with
their evidence.
"""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from graphkit.errors import ReviewError
from graphkit.export.atomic import write_atomic
from graphkit.graph import evidence_order, seen_attributes
from graphkit.merge import DEFAULT_MAX_EVIDENCE
from graphkit.model import CO_OCCURS, ENTITY_TYPES, RELATION_LABELS, SYMMETRIC_RELATIONS
from graphkit.names import best, node_keys
from graphkit.normalize import normalize_key

__all__ = [
    "VERSION",
    "ACTIONS",
    "MARKS",
    "SPLIT_BY",
    "REVIEW_FILE",
    "REPORT_FILE",
    "Decision",
    "Review",
    "ReviewReport",
    "check_decision",
    "subject",
    "sort_key",
    "describe",
    "apply_review",
    "status_against",
    "load_review",
    "dumps_review",
]

Decision = dict[str, Any]

VERSION = 1
ACTIONS = ("rename", "merge", "split", "retype", "delete", "reject", "relabel", "add", "confirm")
"""Every action, in replay order: entities (names, merges, splits, types, deletions), then edges."""
MARKS = {
    "rename": "renamed",
    "merge": "merged",
    "split": "split",
    "retype": "retyped",
    "relabel": "relabelled",
    "add": "added",
    "confirm": "confirmed",
}
"""The ``review`` mark each action leaves on the nodes or edges it changes."""
SPLIT_BY = ("document", "alias")
REVIEW_FILE = "review.json"
"""The review a build of an output folder takes when no ``--review`` is given."""
REPORT_FILE = "review.report.json"
REVIEWED = "review_decisions"
"""Graph attribute of a reviewed graph: the decisions it was built with, in replay order (the page
offers them again with its own in the review file it downloads)."""
REVIEW_RULE = "review"
"""The ``rule`` of an evidence sentence added by a person."""

_EDGE = ("source", "label", "target")
# action -> (required fields, optional fields) besides action, reason, by, at
_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "merge": (("entities", "into"), ()),
    "split": (("entity", "by"), ()),
    "rename": (("entity", "name"), ()),
    "retype": (("entity", "type"), ()),
    "delete": (("entity",), ()),
    "reject": (_EDGE, ("doc", "start")),
    "relabel": ((*_EDGE, "new_label"), ()),
    "add": ((*_EDGE, "doc", "start", "end", "sentence"), ()),
    "confirm": ((), ("entity", *_EDGE)),
}
_NOTES = ("reason", "by", "at")
_SUBJECT: dict[str, tuple[str, ...]] = {
    "merge": ("into", "entities"),
    "split": ("entity",),
    "rename": ("entity",),
    "retype": ("entity",),
    "delete": ("entity",),
    "reject": (*_EDGE, "doc", "start"),
    "relabel": _EDGE,
    "add": (*_EDGE, "doc", "start"),
    "confirm": ("entity", *_EDGE),
}


# -- the decisions ------------------------------------------------------------------------


def _check_field(name: str, value: Any, action: str) -> str | None:
    """What is wrong with one field of a decision, or None."""
    if name in ("start", "end"):
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        return None if ok else f"{name!r} must be a whole number, 0 or more"
    if name == "entities":
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(v, str) and v.strip() for v in value)
        ):
            return "'entities' must be a list of names"
        return None
    if not isinstance(value, str) or not value.strip():
        return f"{name!r} must be a non-empty string"
    if name == "type" and value not in ENTITY_TYPES:
        return f"unknown type {value!r} (expected one of {', '.join(ENTITY_TYPES)})"
    if name == "by" and action == "split" and value not in SPLIT_BY:
        return f"a split is by {' or '.join(SPLIT_BY)}, not {value!r}"
    typed_only = name == "new_label" or (name == "label" and action == "add")
    labels = RELATION_LABELS if typed_only else (*RELATION_LABELS, CO_OCCURS)
    if name in ("label", "new_label") and value not in labels:
        return f"unknown relation {value!r} (expected one of {', '.join(labels)})"
    return None


def check_decision(decision: Any) -> str | None:
    """What is wrong with a decision, in a few words, or None when it is valid.

    >>> check_decision({"action": "delete", "entity": "Le Monde", "reason": "dans le monde"})
    >>> check_decision({"action": "retype", "entity": "X", "type": "ORGA"})
    "unknown type 'ORGA' (expected one of PER, ORG, LOC, MISC)"
    >>> check_decision({"action": "confirm", "entity": "X", "source": "A"})
    'confirm names an entity, or source, label and target'
    """
    if not isinstance(decision, dict):
        return "a decision is an object with an 'action'"
    action = decision.get("action")
    if action not in _FIELDS:
        return f"unknown action {action!r} (expected one of {', '.join(sorted(ACTIONS))})"
    required, optional = _FIELDS[action]
    missing = [name for name in required if name not in decision]
    if missing:
        return f"{action} needs {', '.join(repr(m) for m in missing)}"
    unknown = sorted(set(decision) - {"action", *required, *optional, *_NOTES})
    if unknown:
        return f"unknown field {unknown[0]!r} for {action}"
    if action == "confirm" and sorted(set(decision) & {"entity", *_EDGE}) not in (["entity"], sorted(_EDGE)):
        return "confirm names an entity, or source, label and target"
    if action == "reject" and "start" in decision and "doc" not in decision:
        return "reject gives 'start' with its 'doc'"
    if action == "add" and isinstance(decision["end"], int) and decision["end"] <= decision["start"]:
        return "'end' must come after 'start'"
    for name, value in decision.items():
        if name != "action":
            problem = _check_field(name, value, action)
            if problem:
                return problem
    return None


def subject(decision: Decision) -> str:
    """What a decision is about, as text: two decisions on the same subject cannot both stand.

    >>> subject({"action": "rename", "entity": "X", "name": "Y", "at": "2026-12-06"})
    '["rename", "X"]'
    """
    action = decision["action"]
    values: list[Any] = [action]
    for name in _SUBJECT[action]:
        values.append(sorted(decision[name]) if name == "entities" else decision.get(name))
    while values and values[-1] is None:
        values.pop()
    return json.dumps(values, ensure_ascii=False)


def sort_key(decision: Decision) -> tuple[int, str, str]:
    """Order of decisions in the file and on replay: action (:data:`ACTIONS`), subject, then the rest."""
    whole = json.dumps(decision, ensure_ascii=False, sort_keys=True)
    return ACTIONS.index(decision["action"]), subject(decision), whole


def describe(decision: Decision) -> str:
    """A decision in a few words.

    >>> describe({"action": "merge", "entities": ["B", "C"], "into": "A"})
    'merge B, C into A'
    >>> describe({"action": "reject", "source": "A", "label": "owns", "target": "B", "doc": "d.txt"})
    'reject A owns B (d.txt)'
    """
    action = decision["action"]
    edge = " ".join(str(decision.get(name)) for name in _EDGE)
    if action == "merge":
        return f"merge {', '.join(decision['entities'])} into {decision['into']}"
    if action == "split":
        return f"split {decision['entity']} by {decision['by']}"
    if action == "rename":
        return f"rename {decision['entity']} to {decision['name']}"
    if action == "retype":
        return f"retype {decision['entity']} as {decision['type']}"
    if action == "relabel":
        return f"relabel {edge} as {decision['new_label']}"
    if action in ("delete", "confirm") and "entity" in decision:
        return f"{action} {decision['entity']}"
    where = [str(decision[name]) for name in ("doc", "start") if name in decision]
    return f"{action} {edge}" + (f" ({', '.join(where)})" if where else "")


def _today() -> str:
    return datetime.date.today().isoformat()


@dataclass
class Review:
    """Decisions about a graph, recorded one at a time and kept sorted (see :func:`sort_key`).

    Each recording method validates its decision (:class:`ReviewError` if
    invalid) and returns it; ``reason`` and ``by`` (who) are optional and
    ``at`` defaults to today's date.

    Examples
    --------
    >>> review = Review()
    >>> _ = review.delete("Le Monde", reason="« dans le monde »", at="2026-12-06")
    >>> _ = review.rename("Renault SA", "Renault", at="2026-12-06")
    >>> [describe(d) for d in review.decisions]
    ['rename Renault SA to Renault', 'delete Le Monde']
    """

    decisions: list[Decision] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.decisions)

    def __iter__(self) -> Iterator[Decision]:
        return iter(self.decisions)

    def record(self, decision: Decision) -> Decision:
        """Add a decision, replacing any earlier one on the same subject."""
        problem = check_decision(decision)
        if problem:
            raise ReviewError(f"invalid decision ({problem}): {json.dumps(decision, ensure_ascii=False)}")
        about = subject(decision)
        kept = [d for d in self.decisions if subject(d) != about]
        self.decisions = sorted([*kept, decision], key=sort_key)
        return decision

    def _record(self, action: str, fields: dict[str, Any], notes: dict[str, str | None]) -> Decision:
        decision = {"action": action, **{k: v for k, v in fields.items() if v is not None}}
        at = notes.get("at") or _today()
        decision.update({k: v for k, v in {**notes, "at": at}.items() if v})
        return self.record(decision)

    def merge(
        self, *names: str, into: str, reason: str | None = None, by: str | None = None, at: str | None = None
    ) -> Decision:
        """Merge the entities ``names`` into ``into`` (an entity, or the name of the merged one)."""
        return self._record(
            "merge", {"entities": list(names), "into": into}, {"reason": reason, "by": by, "at": at}
        )

    def split(
        self, name: str, by: str = "document", reason: str | None = None, at: str | None = None
    ) -> Decision:
        """Split an entity into one per document (``by="document"``) or per alias (``by="alias"``)."""
        return self._record("split", {"entity": name, "by": by}, {"reason": reason, "at": at})

    def rename(
        self,
        name: str,
        new_name: str,
        reason: str | None = None,
        by: str | None = None,
        at: str | None = None,
    ) -> Decision:
        """Give an entity another name (its old name stays an alias)."""
        return self._record(
            "rename", {"entity": name, "name": new_name}, {"reason": reason, "by": by, "at": at}
        )

    def retype(
        self, name: str, type: str, reason: str | None = None, by: str | None = None, at: str | None = None
    ) -> Decision:
        """Give an entity another type: PER, ORG, LOC or MISC."""
        return self._record("retype", {"entity": name, "type": type}, {"reason": reason, "by": by, "at": at})

    def delete(
        self, name: str, reason: str | None = None, by: str | None = None, at: str | None = None
    ) -> Decision:
        """Leave an entity and its edges out of the graph (they go to the report)."""
        return self._record("delete", {"entity": name}, {"reason": reason, "by": by, "at": at})

    def reject(
        self,
        source: str,
        label: str,
        target: str,
        *,
        doc: str | None = None,
        start: int | None = None,
        reason: str | None = None,
        by: str | None = None,
        at: str | None = None,
    ) -> Decision:
        """Leave an edge out of the graph; with ``doc`` (and ``start``), only that document's sentence(s)."""
        fields = {"source": source, "label": label, "target": target, "doc": doc, "start": start}
        return self._record("reject", fields, {"reason": reason, "by": by, "at": at})

    def relabel(
        self,
        source: str,
        label: str,
        target: str,
        new_label: str,
        reason: str | None = None,
        by: str | None = None,
        at: str | None = None,
    ) -> Decision:
        """Give an edge another relation."""
        fields = {"source": source, "label": label, "target": target, "new_label": new_label}
        return self._record("relabel", fields, {"reason": reason, "by": by, "at": at})

    def add(
        self,
        source: str,
        label: str,
        target: str,
        *,
        doc: str,
        start: int,
        end: int,
        sentence: str,
        reason: str | None = None,
        by: str | None = None,
        at: str | None = None,
    ) -> Decision:
        """Add an edge, with the sentence ``doc[start:end]`` (``sentence``) as its evidence."""
        fields = {
            "source": source,
            "label": label,
            "target": target,
            "doc": doc,
            "start": start,
            "end": end,
            "sentence": sentence,
        }
        return self._record("add", fields, {"reason": reason, "by": by, "at": at})

    def confirm(
        self, *names: str, reason: str | None = None, by: str | None = None, at: str | None = None
    ) -> Decision:
        """Mark an entity (one name) or an edge (source, label, target) as checked by a person."""
        if len(names) not in (1, 3):
            raise ReviewError(f"confirm takes an entity, or source, label and target, not {len(names)} names")
        fields = {"entity": names[0]} if len(names) == 1 else dict(zip(_EDGE, names, strict=True))
        return self._record("confirm", fields, {"reason": reason, "by": by, "at": at})

    def dumps(self) -> str:
        """The review file's text (see :func:`dumps_review`)."""
        return dumps_review(self.decisions)

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the review file atomically; returns ``path``."""
        write_atomic(path, self.dumps())
        return Path(path)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Review:
        """Read a review file (see :func:`load_review`)."""
        return load_review(path)


def dumps_review(decisions: Iterable[Decision]) -> str:
    """The review file's text: sorted keys, one decision a line, decisions in :func:`sort_key` order.

    >>> decisions = [{"action": "delete", "entity": "X"}, {"action": "rename", "entity": "Y", "name": "Z"}]
    >>> print(dumps_review(decisions))
    {
      "decisions": [
        {"action": "rename", "entity": "Y", "name": "Z"},
        {"action": "delete", "entity": "X"}
      ],
      "graphkit_review": 1
    }
    <BLANKLINE>
    """
    lines = [json.dumps(d, ensure_ascii=False, sort_keys=True) for d in sorted(decisions, key=sort_key)]
    body = "[\n" + ",\n".join(f"    {line}" for line in lines) + "\n  ]" if lines else "[]"
    return f'{{\n  "decisions": {body},\n  "graphkit_review": {VERSION}\n}}\n'


def load_review(path: str | os.PathLike[str], *, missing_ok: bool = False) -> Review:
    """Read and validate a review file; with ``missing_ok``, a missing file is an empty review.

    Raises
    ------
    ReviewError
        If the file cannot be read, is not a review file of this version,
        or holds an invalid decision (the message names the file and the decision).
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        if missing_ok:
            return Review()
        raise ReviewError(f"review file not found: {path}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ReviewError(f"cannot read review file {path}: {err}") from None
    if not isinstance(data, dict) or not isinstance(data.get("decisions"), list):
        raise ReviewError(
            f'{path}: not a review file (expected {{"graphkit_review": 1, "decisions": [...]}})'
        )
    if data.get("graphkit_review") != VERSION:
        raise ReviewError(f"{path}: review file version {data.get('graphkit_review')!r}, expected {VERSION}")
    review = Review()
    for number, decision in enumerate(data["decisions"], start=1):
        problem = check_decision(decision)
        if problem:
            raise ReviewError(
                f"{path}: decision {number}: {problem}: {json.dumps(decision, ensure_ascii=False)}"
            )
        review.record(decision)
    return review


# -- the replay ---------------------------------------------------------------------------


@dataclass
class ReviewReport:
    """What a replay did: decisions applied, stale ones and why, entities and edges left out."""

    applied: list[Decision] = field(default_factory=list)
    stale: list[tuple[Decision, str]] = field(default_factory=list)
    removed_entities: list[dict[str, Any]] = field(default_factory=list)
    removed_edges: list[dict[str, Any]] = field(default_factory=list)

    def stale_lines(self) -> list[str]:
        """One line per stale decision."""
        return [f"stale: {describe(decision)}: {why}" for decision, why in self.stale]

    def to_data(self) -> dict[str, Any]:
        """The report as written to ``review.report.json``."""
        return {
            "graphkit_review_report": VERSION,
            "applied": self.applied,
            "stale": [{"decision": decision, "why": why} for decision, why in self.stale],
            "removed_entities": self.removed_entities,
            "removed_edges": self.removed_edges,
        }

    def dumps(self) -> str:
        return json.dumps(self.to_data(), ensure_ascii=False, sort_keys=True, indent=1) + "\n"


class _Stale(Exception):
    """A decision whose target is not in the graph (any more): why, in a few words."""


class _Replay:
    """The graph being reviewed, with the bookkeeping of one replay."""

    def __init__(self, graph: nx.MultiDiGraph, max_evidence: int) -> None:
        self.graph = graph
        self.max_evidence = max_evidence
        self.report = ReviewReport()
        self.renamed: dict[str, str] = {}
        self._index: dict[str, set[tuple[int, str]]] | None = None  # built on the first name not an id
        self._keys: dict[str, list[tuple[str, int]]] = {}

    # -- names ------------------------------------------------------------------------

    def _add_names(self, index: dict[str, set[tuple[int, str]]], node: str) -> None:
        self._keys[node] = node_keys(node, self.graph.nodes[node])
        for key, rank in self._keys[node]:
            index.setdefault(key, set()).add((rank, node))

    def reindex(self, node: str) -> None:
        """Follow a node's names after it was added, changed or removed."""
        if self._index is None:
            return
        for key, rank in self._keys.pop(node, []):
            self._index[key].discard((rank, node))
        if node in self.graph:
            self._add_names(self._index, node)

    def candidates(self, name: str) -> list[str]:
        """The entities ``name`` designates, as :func:`graphkit.names.matches` finds them."""
        if name in self.graph:
            return [name]
        if self._index is None:
            self._index = {}
            for node in self.graph:
                self._add_names(self._index, node)
        return best(self._index.get(normalize_key(name), ()))

    def entity(self, name: str) -> str:
        """The one entity ``name`` designates."""
        found = self.candidates(name)
        if not found:
            raise _Stale(f"no entity named {name!r}")
        if len(found) > 1:
            raise _Stale(f"{name!r} names several entities: {', '.join(found)}")
        return found[0]

    def edge(self, decision: Decision, label: str | None = None) -> tuple[str, str, str]:
        """``(source, target, label)`` of the edge a decision names, oriented as the graph stores it."""
        source, target = self.entity(decision["source"]), self.entity(decision["target"])
        label = label or decision["label"]
        if source == target:
            raise _Stale(f"{decision['source']!r} and {decision['target']!r} are one entity")
        if label in SYMMETRIC_RELATIONS and target < source:
            source, target = target, source
        return source, target, label

    def existing_edge(self, decision: Decision) -> tuple[str, str, str]:
        source, target, label = self.edge(decision)
        if not self.graph.has_edge(source, target, label):
            raise _Stale(f"no edge {source} {label} {target}")
        return source, target, label

    # -- edges ------------------------------------------------------------------------

    def put_edge(self, source: str, target: str, label: str, data: dict[str, Any]) -> None:
        """Add an edge, combined with any already there (weights add, evidence joined, sorted, capped)."""
        if label in SYMMETRIC_RELATIONS and target < source:
            source, target = target, source
        evidence = list(data.get("evidence", []))
        if self.graph.has_edge(source, target, label):
            old = self.graph.edges[source, target, label]
            evidence = sorted([*old.get("evidence", []), *evidence], key=evidence_order)[: self.max_evidence]
            data = {
                **old,
                "weight": int(old.get("weight", 0)) + int(data.get("weight", 0)),
                **_marks(old.get("review", []) + data.get("review", [])),
            }
        self.graph.add_edge(source, target, key=label, **{**data, "relation": label, "evidence": evidence})

    def remove_edge(self, source: str, target: str, label: str, decision: Decision, why: str) -> None:
        data = self.graph.edges[source, target, label]
        self.report.removed_edges.append(
            {"decision": decision, "why": why, "edge": _edge_record(source, target, label, data)}
        )
        self.graph.remove_edge(source, target, label)

    def move_edges(self, node: str, part_of: dict[str, str], decision: Decision) -> None:
        """Move the edges of ``node`` to the nodes ``part_of`` gives for each document of their evidence."""
        edges = list(self.graph.in_edges(node, keys=True, data=True)) + list(
            self.graph.out_edges(node, keys=True, data=True)
        )
        for source, target, label, data in sorted(edges, key=lambda e: e[:3]):
            self.graph.remove_edge(source, target, label)
            parts = _partition(data, part_of)
            for part, (weight, evidence) in sorted(parts.items()):
                ends = (part if source == node else source, part if target == node else target)
                if ends[0] == ends[1]:
                    loop = {**data, "weight": weight, "evidence": evidence}
                    self.report.removed_edges.append(
                        {
                            "decision": decision,
                            "why": "its two entities became one",
                            "edge": _edge_record(source, target, label, loop),
                        }
                    )
                    continue
                self.put_edge(ends[0], ends[1], label, {**data, "weight": weight, "evidence": evidence})

    # -- nodes ------------------------------------------------------------------------

    def replace_node(
        self, node: str, parts: dict[str, dict[str, Any]], part_of: dict[str, str], decision: Decision
    ) -> None:
        """Put ``parts`` (id -> attributes) in place of ``node``, its edges following ``part_of``."""
        for part, data in parts.items():
            if part != node:
                self.graph.add_node(part, **data)
        self.move_edges(node, part_of, decision)
        if node in parts:
            self.graph.nodes[node].clear()
            self.graph.nodes[node].update(parts[node])
        else:
            self.graph.remove_node(node)
        for changed in {node, *parts}:
            self.reindex(changed)

    def mark_node(self, node: str, action: str) -> None:
        data = self.graph.nodes[node]
        data.update(_marks([*data.get("review", []), MARKS[action]]))

    def mark_edge(self, edge: tuple[str, str, str], action: str) -> None:
        data = self.graph.edges[edge]
        data.update(_marks([*data.get("review", []), MARKS[action]]))


def _marks(marks: Iterable[str]) -> dict[str, list[str]]:
    """``{"review": sorted distinct marks}``, or nothing when there are none."""
    distinct = sorted(set(marks))
    return {"review": distinct} if distinct else {}


def _edge_record(source: str, target: str, label: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"source": source, "target": target, "key": label, **data}


def _partition(data: dict[str, Any], part_of: dict[str, str]) -> dict[str, tuple[int, list[dict[str, Any]]]]:
    """An edge's weight and evidence shared among parts, by the document of each evidence sentence.

    Each part's weight counts its sentences; the sentences the weight counts
    beyond those kept (``--max-evidence``) are shared in proportion, largest
    remainders first, so that the parts' weights add up to the edge's.
    ``part_of[""]`` takes sentences of documents it does not list.

    >>> ev = [{"doc": "a"}, {"doc": "a"}, {"doc": "b"}]
    >>> parts = {"a": "A", "b": "B", "": "A"}
    >>> _partition({"weight": 3, "evidence": ev}, parts)
    {'A': (2, [{'doc': 'a'}, {'doc': 'a'}]), 'B': (1, [{'doc': 'b'}])}
    >>> {p: w for p, (w, _) in _partition({"weight": 7, "evidence": ev}, parts).items()}
    {'A': 5, 'B': 2}
    """
    evidence = list(data.get("evidence", []))
    parts: dict[str, list[dict[str, Any]]] = {}
    for item in evidence:
        parts.setdefault(part_of.get(str(item.get("doc")), part_of[""]), []).append(item)
    if not parts:
        return {part_of[""]: (int(data.get("weight", 0)), [])}
    extra = max(0, int(data.get("weight", 0)) - len(evidence))
    shares = {part: extra * len(items) // len(evidence) for part, items in parts.items()}
    left = extra - sum(shares.values())
    by_remainder = sorted(parts, key=lambda p: (-(extra * len(parts[p]) % len(evidence)), p))
    for part in by_remainder[:left]:
        shares[part] += 1
    return {part: (len(items) + shares[part], items) for part, items in sorted(parts.items())}


def _node_record(node: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"id": node, **{k: v for k, v in data.items() if k not in ("x", "y")}}


def _merged_data(
    datas: list[dict[str, Any]], kept_type: str, name: str, note: dict[str, str]
) -> dict[str, Any]:
    """Attributes of one entity made of several: counts added, lists joined, ``note`` added to its merges."""
    aliases: set[str] = set()
    docs: set[str] = set()
    merges: set[tuple[str, str]] = set()
    doc_mentions: dict[str, int] = {}
    alias_docs: dict[str, set[str]] = {}
    marks: list[str] = []
    for data in datas:
        aliases.update(data.get("aliases", []))
        docs.update(data.get("docs", []))
        merges.update((m["form"], m["reason"]) for m in data.get("merges", []))
        for doc, count in data.get("doc_mentions", {}).items():
            doc_mentions[doc] = doc_mentions.get(doc, 0) + count
        for alias, alias_in in data.get("alias_docs", {}).items():
            alias_docs.setdefault(alias, set()).update(alias_in)
        marks.extend(data.get("review", []))
    merges.add((note["form"], note["reason"]))
    return {
        "label": name,
        "type": kept_type,
        "aliases": sorted(aliases),
        "mentions": sum(int(data.get("mentions", 0)) for data in datas),
        "docs": sorted(docs),
        "merges": [{"form": form, "reason": reason} for form, reason in sorted(merges)],
        "doc_mentions": dict(sorted(doc_mentions.items())),
        "alias_docs": {alias: sorted(alias_in) for alias, alias_in in sorted(alias_docs.items())},
        **_marks(marks),
    }


def _reason(decision: Decision, what: str) -> str:
    """The ``reason`` written in a node's merges for a reviewed change: ``review: what[: reason]``."""
    return f"review: {what}" + (f": {decision['reason']}" if decision.get("reason") else "")


def _rename(replay: _Replay, decision: Decision) -> None:
    node, name = replay.entity(decision["entity"]), decision["name"]
    if name == node:
        raise _Stale(f"{node!r} already has that name")
    if name in replay.graph:
        raise _Stale(f"an entity named {name!r} exists: merge them instead")
    data = dict(replay.graph.nodes[node])
    data["label"] = name
    data["aliases"] = sorted({*data.get("aliases", []), node})
    replay.replace_node(node, {name: data}, {"": name}, decision)
    replay.renamed[node] = name
    replay.mark_node(name, "rename")


def _merge(replay: _Replay, decision: Decision) -> None:
    resolved = (replay.candidates(name) for name in decision["entities"])
    found = [nodes[0] for nodes in resolved if len(nodes) == 1]
    into = decision["into"]
    targets = replay.candidates(into)
    if len(targets) > 1:
        replay.entity(into)  # stale: several entities
    if targets:
        kept = name = targets[0]
    elif found:
        kept = min(found, key=lambda n: (-int(replay.graph.nodes[n].get("mentions", 0)), n))
        name = into
    else:
        raise _Stale(f"no entity named {', '.join(repr(n) for n in [*decision['entities'], into])}")
    group = sorted({kept, *found})
    if len(group) < 2:
        raise _Stale(
            f"nothing to merge: {', '.join(decision['entities'])} and {into} name one entity or none"
        )
    if name != kept and name in replay.graph:
        raise _Stale(f"an entity named {name!r} exists")
    datas = [replay.graph.nodes[n] for n in [kept, *(n for n in group if n != kept)]]
    note = {"form": ", ".join(n for n in group if n != name), "reason": _reason(decision, "merged")}
    data = _merged_data(datas, str(datas[0].get("type", "MISC")), name, note)
    data["aliases"] = sorted({*data["aliases"], *(n for n in group if n != name)})
    for node in group:
        if node != kept:
            replay.replace_node(node, {}, {"": kept}, decision)
            replay.renamed[node] = name
    replay.replace_node(kept, {name: data}, {"": name}, decision)
    if name != kept:
        replay.renamed[kept] = name
    replay.mark_node(name, "merge")


def _alias_groups(data: dict[str, Any]) -> dict[str, set[str]]:
    """Documents of each alias, aliases alike but for case and accents counted as one (named by the
    one in most documents)."""
    groups: dict[str, dict[str, set[str]]] = {}
    for alias, docs in data.get("alias_docs", {}).items():
        groups.setdefault(normalize_key(alias) or alias, {})[alias] = set(docs)
    named: dict[str, set[str]] = {}
    for forms in groups.values():
        name = min(forms, key=lambda form: (-len(forms[form]), form))
        named[name] = set().union(*forms.values())
    return named


def _split(replay: _Replay, decision: Decision) -> None:
    node = replay.entity(decision["entity"])
    data = replay.graph.nodes[node]
    if "doc_mentions" not in data:
        raise _Stale(f"{node!r} has no per-document counts (a graph from an older graphkit: rebuild it)")
    evidence_docs = {
        str(item["doc"])
        for _u, _v, edge in replay.graph.edges(node, data=True)
        for item in edge.get("evidence", [])
    } | {
        str(item["doc"])
        for _u, _v, edge in replay.graph.in_edges(node, data=True)
        for item in edge.get("evidence", [])
    }
    docs = sorted({*data.get("docs", []), *evidence_docs})
    if decision["by"] == "document":
        part_of = {doc: f"{node} ({doc})" for doc in docs}
        what = "split by document"
        if len(part_of) < 2:
            raise _Stale(f"{node!r} is named in one document only")
        part_of[""] = part_of[docs[0]]
    else:
        groups = _alias_groups(data)
        if len(groups) < 2:
            raise _Stale(f"{node!r} has one alias only")
        ranked = sorted(groups, key=lambda alias: (-len(groups[alias]), alias))
        ids = {
            alias: alias if alias == node or alias not in replay.graph else f"{alias} ({node})"
            for alias in ranked
        }
        part_of = {"": ids[ranked[0]]}
        for doc in docs:
            holders = [alias for alias in ranked if doc in groups[alias]]
            part_of[doc] = ids[holders[0] if holders else ranked[0]]
        what = "split by alias"
        if len(set(part_of.values())) < 2:
            raise _Stale(f"every document of {node!r} names it by its main alias")
    clash = sorted(p for p in set(part_of.values()) if p != node and p in replay.graph)
    if clash:
        raise _Stale(f"an entity named {clash[0]!r} exists")
    note = {"form": node, "reason": _reason(decision, what)}
    parts = {
        part: _part_data(data, part, [d for d in docs if part_of[d] == part], note)
        for part in sorted(set(part_of.values()))
    }
    replay.replace_node(node, parts, part_of, decision)
    for part in parts:
        replay.mark_node(part, "split")


def _part_data(data: dict[str, Any], name: str, docs: list[str], note: dict[str, str]) -> dict[str, Any]:
    """Attributes of the part of an entity named in ``docs``."""
    counts = data.get("doc_mentions", {})
    alias_docs = {
        alias: sorted(set(alias_in) & set(docs))
        for alias, alias_in in data.get("alias_docs", {}).items()
        if set(alias_in) & set(docs)
    }
    merges = {(m["form"], m["reason"]) for m in data.get("merges", [])} | {(note["form"], note["reason"])}
    return {
        "label": name,
        "type": data.get("type", "MISC"),
        "aliases": sorted(alias_docs),
        "mentions": sum(int(counts.get(doc, 0)) for doc in docs),
        "docs": sorted(set(docs) & set(data.get("docs", []))),
        "merges": [{"form": form, "reason": reason} for form, reason in sorted(merges)],
        "doc_mentions": {doc: counts[doc] for doc in sorted(docs) if doc in counts},
        "alias_docs": dict(sorted(alias_docs.items())),
        **_marks(data.get("review", [])),
    }


def _retype(replay: _Replay, decision: Decision) -> None:
    node = replay.entity(decision["entity"])
    replay.graph.nodes[node]["type"] = decision["type"]
    replay.mark_node(node, "retype")


def _delete(replay: _Replay, decision: Decision) -> None:
    node = replay.entity(decision["entity"])
    edges = sorted(
        {
            (u, v, k)
            for u, v, k in [*replay.graph.in_edges(node, keys=True), *replay.graph.out_edges(node, keys=True)]
        }
    )
    for edge in edges:
        replay.remove_edge(*edge, decision, "its entity was deleted")
    replay.report.removed_entities.append(
        {"decision": decision, "entity": _node_record(node, replay.graph.nodes[node])}
    )
    replay.graph.remove_node(node)
    replay.reindex(node)


def _reject(replay: _Replay, decision: Decision) -> None:
    edge = replay.existing_edge(decision)
    if "doc" not in decision:
        replay.remove_edge(*edge, decision, "rejected")
        return
    data = replay.graph.edges[edge]
    evidence = data.get("evidence", [])

    def chosen(item: dict[str, Any]) -> bool:
        return item.get("doc") == decision["doc"] and decision.get("start", item.get("start")) == item.get(
            "start"
        )

    rejected = [item for item in evidence if chosen(item)]
    if not rejected:
        raise _Stale(f"the edge cites no such sentence of {decision['doc']}")
    kept = [item for item in evidence if not chosen(item)]
    removed = {**data, "weight": len(rejected), "evidence": rejected}
    replay.report.removed_edges.append(
        {"decision": decision, "why": "sentence rejected", "edge": _edge_record(*edge, removed)}
    )
    if kept:
        data.update(weight=max(len(kept), int(data.get("weight", 0)) - len(rejected)), evidence=kept)
    else:
        replay.graph.remove_edge(*edge)


def _relabel(replay: _Replay, decision: Decision) -> None:
    edge = replay.existing_edge(decision)
    new = replay.edge(decision, decision["new_label"])
    if new == edge:
        raise _Stale(f"the edge is already {decision['new_label']}")
    data = dict(replay.graph.edges[edge])
    replay.graph.remove_edge(*edge)
    replay.put_edge(*new, data)
    replay.mark_edge(new, "relabel")


def _add(replay: _Replay, decision: Decision) -> None:
    edge = replay.edge(decision)
    item = {
        "doc": decision["doc"],
        "sentence": decision["sentence"],
        "start": decision["start"],
        "end": decision["end"],
        "rule": REVIEW_RULE,
    }
    if replay.graph.has_edge(*edge):
        cited = replay.graph.edges[edge].get("evidence", [])
        if any((c.get("doc"), c.get("start")) == (item["doc"], item["start"]) for c in cited):
            replay.mark_edge(edge, "add")
            return
    replay.put_edge(*edge, {"weight": 1, "evidence": [item]})
    replay.mark_edge(edge, "add")


def _confirm(replay: _Replay, decision: Decision) -> None:
    if "entity" in decision:
        replay.mark_node(replay.entity(decision["entity"]), "confirm")
    else:
        replay.mark_edge(replay.existing_edge(decision), "confirm")


_APPLY = {
    "rename": _rename,
    "merge": _merge,
    "split": _split,
    "retype": _retype,
    "delete": _delete,
    "reject": _reject,
    "relabel": _relabel,
    "add": _add,
    "confirm": _confirm,
}


def _follow_attributions(graph: nx.MultiDiGraph, renamed: dict[str, str]) -> None:
    """Point ``attributed_to`` at the new name of a renamed or merged entity."""

    def final(name: str) -> str:
        seen = {name}
        while name in renamed and renamed[name] not in seen:
            name = renamed[name]
            seen.add(name)
        return name

    for _u, _v, data in graph.edges(data=True):
        evidence = data.get("evidence", [])
        if any(item.get("attributed_to") in renamed for item in evidence):
            data["evidence"] = [
                {**item, "attributed_to": final(item["attributed_to"])}
                if item.get("attributed_to") in renamed
                else item
                for item in evidence
            ]


def _fresh_copy(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attribute dicts are the copy's own (their lists are replaced, never changed in place)."""
    copy = nx.MultiDiGraph()
    copy.graph.update(graph.graph)
    copy.add_nodes_from((node, dict(data)) for node, data in graph.nodes(data=True))
    copy.add_edges_from((u, v, k, dict(data)) for u, v, k, data in graph.edges(keys=True, data=True))
    return copy


def _sorted_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The graph with nodes and edges in sorted order, as :func:`graphkit.graph.build_graph` adds them."""
    ordered = nx.MultiDiGraph()
    ordered.graph.update(graph.graph)
    ordered.add_nodes_from((node, graph.nodes[node]) for node in sorted(graph.nodes))
    ordered.add_edges_from(sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3]))
    return ordered


def apply_review(
    graph: nx.MultiDiGraph,
    decisions: Review | Sequence[Decision],
    *,
    max_evidence: int = DEFAULT_MAX_EVIDENCE,
) -> tuple[nx.MultiDiGraph, ReviewReport]:
    """Replay decisions on a contract graph; the graph given is left as it is.

    Parameters
    ----------
    graph : nx.MultiDiGraph
        A graph following :mod:`graphkit.graph`.
    decisions : Review or sequence of dict
        Valid decisions (:func:`check_decision`); replayed in :func:`sort_key` order.
    max_evidence : int
        Evidence sentences kept per edge when merges combine edges.

    Returns
    -------
    graph : nx.MultiDiGraph
        The reviewed graph, nodes and edges in sorted order, with the
        decisions in ``graph.graph["review_decisions"]``; nodes that did not
        move keep their positions, new ones have none.
    report : ReviewReport
        Decisions applied and stale, entities and edges left out.

    Examples
    --------
    >>> from graphkit.graph import EdgeRecord, build_graph
    >>> from graphkit.model import Entity
    >>> ev = {"doc": "d", "sentence": "A possède B.", "start": 0, "end": 12}
    >>> G = build_graph([Entity("A", "ORG"), Entity("B", "ORG")], [EdgeRecord("A", "B", "owns", 1, [ev])])
    >>> reject = {"action": "reject", "source": "a", "label": "owns", "target": "B"}
    >>> reviewed, report = apply_review(G, [reject, {"action": "delete", "entity": "C"}])
    >>> reviewed.number_of_edges(), len(report.applied), report.stale_lines()
    (0, 1, ["stale: delete C: no entity named 'C'"])
    """
    replay = _Replay(_fresh_copy(graph), max_evidence)
    for decision in sorted(decisions, key=sort_key):
        try:
            _APPLY[decision["action"]](replay, decision)
        except _Stale as why:
            replay.report.stale.append((decision, str(why)))
        else:
            replay.report.applied.append(decision)
    _refresh_seen(replay.graph, _documents_seen(graph))
    _follow_attributions(replay.graph, replay.renamed)
    replay.graph.graph[REVIEWED] = [dict(decision) for decision in sorted(decisions, key=sort_key)]
    return _sorted_graph(replay.graph), replay.report


def _documents_seen(graph: nx.MultiDiGraph) -> dict[str, tuple[set[str], set[str]]]:
    """Each document's dates and outlets as the graph's evidence gives them, wire copies included."""
    seen: dict[str, tuple[set[str], set[str]]] = {}
    for _u, _v, items in graph.edges(data="evidence", default=[]):
        for item in items:
            dates, outlets = seen.setdefault(str(item["doc"]), (set(), set()))
            for source in [item, *item.get("copies", [])]:
                if source.get("date"):
                    dates.add(str(source["date"]))
                if source.get("outlet"):
                    outlets.add(str(source["outlet"]))
    return seen


def _refresh_seen(graph: nx.MultiDiGraph, seen: dict[str, tuple[set[str], set[str]]]) -> None:
    """``first_seen``, ``last_seen`` and ``outlets`` of merged and split entities and of their edges,
    made again from the dates and outlets of their documents (those the evidence tells)."""

    def refresh(data: dict[str, Any], docs: Iterable[str]) -> None:
        known = [seen.get(doc, (set(), set())) for doc in docs]
        for key in ("first_seen", "last_seen", "outlets"):
            data.pop(key, None)
        data.update(seen_attributes(set().union(*(d for d, _ in known)), set().union(*(o for _, o in known))))

    changed = {
        node for node, marks in graph.nodes(data="review", default=[]) if {"merged", "split"} & set(marks)
    }
    for node in changed:
        refresh(graph.nodes[node], graph.nodes[node].get("docs", []))
    for u, v, data in graph.edges(data=True):
        if u in changed or v in changed:
            refresh(data, {str(item["doc"]) for item in data.get("evidence", [])})


def _same(first: Decision, second: Decision) -> bool:
    return json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


def status_against(review: Review, graph: nx.MultiDiGraph, report: dict[str, Any] | None) -> list[str | None]:
    """For each decision of ``review``, why it does not apply to ``graph``, or None when it does.

    A graph built without a review is replayed here. A reviewed graph
    (:data:`REVIEWED`) already holds its decisions: a decision it does not
    list was recorded after that build, and ``report`` (the data of its
    ``review.report.json``) says which of the others were stale.

    Raises
    ------
    ReviewError
        If ``graph`` is reviewed and ``report`` is None.
    """
    if REVIEWED not in graph.graph:
        _graph, replayed = apply_review(graph, review)
        why = {json.dumps(d, sort_keys=True): f"stale: {reason}" for d, reason in replayed.stale}
        return [why.get(json.dumps(d, sort_keys=True)) for d in review]
    if report is None:
        raise ReviewError(f"this graph was built with a review, and its {REPORT_FILE} is missing")
    stale = [(entry["decision"], entry["why"]) for entry in report.get("stale", [])]
    statuses: list[str | None] = []
    for decision in review:
        reason = next((why for known, why in stale if _same(known, decision)), None)
        if not any(_same(known, decision) for known in graph.graph[REVIEWED]):
            statuses.append("recorded after this build")
        elif reason is not None:
            statuses.append(f"stale: {reason}")
        else:
            statuses.append(None)
    return statuses
