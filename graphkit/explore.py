""":mod:`graphkit.explore`: the entity graph as a Python object, for notebooks and scripts.

:func:`build` runs the pipeline on articles and :func:`load` reads a saved
``graph.json``; both return a :class:`Graph`, which wraps the contract graph
(see :mod:`graphkit.graph`) and answers the questions a reader asks of it:
which entities and relations it holds, who is linked to an entity and why,
how two entities are connected, which entities matter most, which groups they
form. Tables are pandas DataFrames. In Jupyter a :class:`Graph` displays as
the interactive page of ``graph.html``, inline; :meth:`Graph.show` opens it
in a web browser elsewhere. ``len(graph)`` is the number of entities,
``name in graph`` says whether a name resolves, and iterating over a graph
gives its entity ids.

Names resolve through entity ids, labels and aliases, ignoring case, accents
and a leading article: ``"renault"`` finds ``Renault`` and « Commission
fédérale des communications » finds ``FCC``.

Time: :meth:`Graph.between` keeps the evidence published in a date range
(what counts is said in :mod:`graphkit.period`), :meth:`Graph.timeline`
counts an entity's mentions, relations and outlets per day, week or month,
and :meth:`Graph.neighbors`, :meth:`Graph.relations` and :meth:`Graph.top`
take ``since=`` and ``until=``.
"""

from __future__ import annotations

import difflib
import html
import os
from collections.abc import Iterable, Iterator, Sequence
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from graphkit.errors import GraphkitError
from graphkit.graph import CO_OCCURS, read_graph
from graphkit.merge import DEFAULT_MAX_EVIDENCE
from graphkit.model import DEFAULT_MODEL, ENTITY_TYPES, RELATION_LABELS, SYMMETRIC_RELATIONS
from graphkit.names import matches, name_index, suggest
from graphkit.normalize import normalize_key
from graphkit.period import When, restrict, timeline_rows

if TYPE_CHECKING:
    from typing import TypeAlias

    import pandas as pd

    from graphkit.review import Review, ReviewReport

    Table: TypeAlias = pd.DataFrame

__all__ = [
    "Graph",
    "build",
    "load",
    "UnknownEntityError",
    "NoPathError",
    "RANKINGS",
    "INLINE_MAX_NODES",
    "INLINE_HEIGHT",
]

RANKINGS = ("mentions", "degree", "pagerank", "betweenness")
"""What :meth:`Graph.top` can rank entities by."""
INLINE_MAX_NODES = 1000
"""Entities drawn at most by the inline page (a notebook stores the page in its output)."""
INLINE_HEIGHT = 600
"""Height of the inline page, in pixels."""
SEED = 42
"""Seed of the community detection."""
EDGE_COLUMNS = ("weight", "sentences", "docs", "modality", "attributed_to")
EVIDENCE_COLUMNS = (
    "source",
    "relation",
    "target",
    "doc",
    "sentence",
    "modality",
    "attributed_to",
    "title",
    "date",
    "url",
    "outlet",
    "copies",
)
ASSERTED = "asserted"
"""The ``modality`` of a sentence that states a relation as a fact."""


class UnknownEntityError(GraphkitError, KeyError):
    """A name that matches no entity of the graph, or several.

    ``suggestions`` holds the closest entity names (or, for an ambiguous
    name, every entity it matches).
    """

    def __init__(self, name: str, suggestions: Sequence[str] = (), *, ambiguous: bool = False) -> None:
        self.name = name
        self.suggestions = list(suggestions)
        names = ", ".join(self.suggestions)
        if ambiguous:
            message = f"{name!r} names several entities: {names}; pass one of these names"
        elif suggestions:
            message = f"no entity named {name!r}; did you mean: {names}?"
        else:
            message = f"no entity named {name!r} (see Graph.entities() for the names)"
        super().__init__(message)

    def __str__(self) -> str:  # KeyError would show the message in quotes
        return str(self.args[0])


class NoPathError(GraphkitError):
    """Two entities that no chain of typed relations connects."""


# -- small pure helpers ---------------------------------------------------------


def _plural(count: int, word: str) -> str:
    """``"1 entity"``, ``"71 edges"``.

    >>> _plural(1, "entity"), _plural(25, "entity"), _plural(0, "edge")
    ('1 entity', '25 entities', '0 edges')
    """
    if count == 1:
        return f"1 {word}"
    return f"{count} {word[:-1] + 'ies' if word.endswith('y') else word + 's'}"


def _table(rows: list[dict[str, Any]], columns: Sequence[str]) -> Table:
    """``rows`` as a DataFrame with ``columns`` (pandas is imported on the first table)."""
    import pandas as pd

    return pd.DataFrame(rows, columns=list(columns))


def _modality(evidence: Sequence[dict[str, Any]]) -> str:
    """One word for an edge: ``asserted`` when a sentence at least states it as a fact, else the
    modality of its sentences (``negated``, ``hypothetical``, or both as ``hypothetical|negated``).

    >>> _modality([{"modality": "negated"}, {}]), _modality([{"modality": "negated"}])
    ('asserted', 'negated')
    """
    found = {str(item.get("modality") or ASSERTED) for item in evidence}
    return ASSERTED if ASSERTED in found or not found else "|".join(sorted(found))


def _evidence_columns(evidence: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Distinct sentences (in evidence order) and documents; modality and attributions in one string each.

    ``attributed_to`` joins the sources named (« selon X ») with ``"; "``, ``""`` when none is.

    >>> _evidence_columns([{"doc": "b", "sentence": "S.", "modality": "negated", "attributed_to": "X"},
    ...                    {"doc": "a", "sentence": "S.", "modality": "negated"}])
    {'sentences': ['S.'], 'docs': ['a', 'b'], 'modality': 'negated', 'attributed_to': 'X'}
    """
    items = list(evidence)
    return {
        "sentences": list(dict.fromkeys(str(item["sentence"]) for item in items)),
        "docs": sorted({str(item["doc"]) for item in items}),
        "modality": _modality(items),
        "attributed_to": "; ".join(
            sorted({str(i["attributed_to"]) for i in items if i.get("attributed_to")})
        ),
    }


def _evidence_row(source: str, relation: str, target: str, item: dict[str, Any]) -> dict[str, Any]:
    """One row of :meth:`Graph.evidence`: an edge's ends and one of its sentences, with plain values.

    >>> _evidence_row("A", "owns", "B", {"doc": "d", "sentence": "S.", "start": 0, "end": 2})["modality"]
    'asserted'
    """
    copies = item.get("copies", [])
    return {
        "source": source,
        "relation": relation,
        "target": target,
        "doc": str(item.get("doc", "")),
        "sentence": str(item.get("sentence", "")),
        "modality": str(item.get("modality") or ASSERTED),
        "attributed_to": str(item.get("attributed_to") or ""),
        **{key: str(item.get(key) or "") for key in ("title", "date", "url", "outlet")},
        "copies": "; ".join(str(copy["doc"]) for copy in copies),
    }


def _edge_columns(data: dict[str, Any]) -> dict[str, Any]:
    """The :data:`EDGE_COLUMNS` of one edge."""
    return {"weight": int(data.get("weight", 0)), **_evidence_columns(data.get("evidence", []))}


def _negated_only(evidence: Sequence[dict[str, Any]]) -> bool:
    """True when every sentence behind an edge denies it.

    >>> _negated_only([{"modality": "negated"}]), _negated_only([{"modality": "hypothetical"}])
    (True, False)
    """
    return bool(evidence) and all(item.get("modality") == "negated" for item in evidence)


def _typed_first(relation: str) -> bool:
    """Sort key that puts typed relations before co-occurrences."""
    return relation == CO_OCCURS


def _number_communities(groups: Iterable[Iterable[str]]) -> list[list[str]]:
    """Communities as sorted member lists, largest first, ties broken by their first name.

    >>> _number_communities([{"c"}, {"b", "a"}, {"d"}])
    [['a', 'b'], ['c'], ['d']]
    """
    return sorted((sorted(group) for group in groups), key=lambda members: (-len(members), members))


def _typed_links(graph: nx.MultiDiGraph) -> nx.Graph:
    """Undirected graph of the typed relations, each pair holding its best supported edge as ``edge``.

    Co-occurrences, self-loops and relations that every sentence denies are left out.

    >>> G = nx.MultiDiGraph([("a", "b", "co_occurs"), ("b", "c", "owns")])
    >>> sorted(_typed_links(G).edges(data="edge"))
    [('b', 'c', ('b', 'c', 'owns'))]
    """
    links = nx.Graph()
    links.add_nodes_from(sorted(graph.nodes))
    for u, v, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3]):
        if key == CO_OCCURS or u == v or _negated_only(data.get("evidence", [])):
            continue
        strength = (-int(data.get("weight", 0)), key, u, v)
        current = links.get_edge_data(u, v)
        if current is None or strength < current["strength"]:
            links.add_edge(u, v, strength=strength, edge=(u, v, key))
    return links


def _undirected(graph: nx.MultiDiGraph) -> nx.Graph:
    """Undirected simple graph, nodes sorted, each pair weighted by its edges' summed weight.

    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", "owns", weight=2); G.add_edge("b", "a", "co_occurs", weight=1)
    'owns'
    'co_occurs'
    >>> list(_undirected(G).edges(data="weight"))
    [('a', 'b', 3.0)]
    """
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes))
    for u, v, weight in sorted(graph.edges(data="weight", default=1)):
        if u != v:
            previous = simple.get_edge_data(u, v, default={"weight": 0.0})["weight"]
            simple.add_edge(u, v, weight=previous + max(1.0, float(weight)))
    return simple


def _scores(graph: nx.MultiDiGraph, by: str) -> dict[str, float]:
    """Score of every node by one of :data:`RANKINGS`: counts as ints, centralities rounded to 6 places."""
    if by == "mentions":
        return {node: int(mentions) for node, mentions in graph.nodes(data="mentions", default=0)}
    if by == "degree":
        return {node: int(degree) for node, degree in graph.degree()}
    if by == "pagerank":
        scores = nx.pagerank(_undirected(graph), weight="weight")
    else:
        scores = nx.betweenness_centrality(_undirected(graph))
    return {node: round(score, 6) for node, score in scores.items()}


def _window(graph: nx.MultiDiGraph, since: When, until: When) -> nx.MultiDiGraph:
    """The graph itself, or the graph of the evidence in range when a bound is given."""
    return graph if since is None and until is None else restrict(graph, since, until)


def _in_notebook() -> bool:
    """True inside a Jupyter kernel (where a page displays inline), False in a terminal or a script."""
    import sys

    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


# -- the Graph object -----------------------------------------------------------


class Graph:
    """An entity graph, with tables, lookups, paths and an inline page.

    Parameters
    ----------
    graph : nx.MultiDiGraph
        A graph following the contract of :mod:`graphkit.graph`.
    copy : bool
        Wrap a copy of ``graph`` (the default), so that nothing this object
        does, such as :meth:`communities` storing ``community`` on nodes,
        changes the caller's graph. ``False`` wraps ``graph`` itself.

    Examples
    --------
    >>> from graphkit.graph import EdgeRecord, build_graph
    >>> from graphkit.model import Entity
    >>> ev = [{"doc": "a.txt", "sentence": "Nissan possède Renault.", "start": 0, "end": 23}]
    >>> G = build_graph([Entity("Nissan", "ORG", mentions=1), Entity("Renault", "ORG", mentions=2)],
    ...                 [EdgeRecord("Nissan", "Renault", "owns", 1, ev)], documents=1)
    >>> g = Graph(G)
    >>> g
    <graphkit.Graph: 2 entities, 1 edge (1 typed), 1 document>
    >>> g.nx is G
    False
    """

    def __init__(self, graph: nx.MultiDiGraph, *, copy: bool = True) -> None:
        if not isinstance(graph, nx.MultiDiGraph):
            raise TypeError(f"expected a networkx MultiDiGraph, got {type(graph).__name__}")
        self._graph: nx.MultiDiGraph = graph.copy() if copy else graph
        self._index: tuple[int, dict[str, list[tuple[int, str]]]] | None = None
        self._review: Review | None = None
        self.review_report: ReviewReport | None = None
        """What :meth:`apply` did to make this graph (None for a graph not made by it)."""

    @property
    def nx(self) -> nx.MultiDiGraph:
        """The networkx graph this object wraps (its own, not the caller's, unless ``copy=False``).

        Examples
        --------
        >>> g = Graph(nx.MultiDiGraph([("a", "b", "owns")]))
        >>> sorted(g.nx.nodes)
        ['a', 'b']
        """
        return self._graph

    def __len__(self) -> int:
        """The number of entities.

        >>> len(Graph(nx.MultiDiGraph([("a", "b", "owns")])))
        2
        """
        return int(self._graph.number_of_nodes())

    def __contains__(self, name: object) -> bool:
        """Whether ``name`` resolves to one entity (see :meth:`resolve`).

        >>> g = Graph(nx.MultiDiGraph([("Renault", "Nissan", "owns")]))
        >>> "renault" in g, "Peugeot" in g
        (True, False)
        """
        if not isinstance(name, str):
            return False
        try:
            self.resolve(name)
        except UnknownEntityError:
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        """The entity ids, in the graph's order.

        >>> list(Graph(nx.MultiDiGraph([("a", "b", "owns")])))
        ['a', 'b']
        """
        return iter(list(self._graph.nodes))

    def __repr__(self) -> str:
        edges = self._graph.number_of_edges()
        typed = sum(1 for _u, _v, key in self._graph.edges(keys=True) if key != CO_OCCURS)
        documents = int(self._graph.graph.get("documents", 0))
        return (
            f"<graphkit.Graph: {_plural(self._graph.number_of_nodes(), 'entity')}, "
            f"{_plural(edges, 'edge')} ({typed} typed), {_plural(documents, 'document')}>"
        )

    # -- names ----------------------------------------------------------------

    def resolve(self, name: str) -> str:
        """The id of the entity called ``name``.

        An exact id wins; otherwise ids, labels and then aliases are compared
        without case, accents or a leading article.

        Parameters
        ----------
        name : str
            An entity id, label or alias, in any case, with or without accents.

        Returns
        -------
        str
            The entity's node id.

        Raises
        ------
        UnknownEntityError
            If no entity has that name (the message suggests the closest
            names) or several do.

        Notes
        -----
        The name index is built on the first lookup and rebuilt when the
        number of nodes changes; rebuild it after editing labels or aliases
        through :attr:`nx` by creating a new :class:`Graph`.

        Examples
        --------
        >>> from graphkit.graph import build_graph
        >>> from graphkit.model import Entity
        >>> fcc = Entity("FCC", "ORG", {"Commission fédérale des communications"}, 2)
        >>> g = Graph(build_graph([fcc, Entity("Renault", "ORG", mentions=3)], []))
        >>> g.resolve("renault"), g.resolve("la Commission federale des communications")
        ('Renault', 'FCC')
        >>> g.resolve("Renaud")
        Traceback (most recent call last):
        ...
        graphkit.explore.UnknownEntityError: no entity named 'Renaud'; did you mean: Renault?
        """
        index = self._names()
        nodes = matches(self._graph, index, name)
        if not nodes:
            raise UnknownEntityError(name, suggest(index, normalize_key(name)))
        if len(nodes) > 1:
            raise UnknownEntityError(name, nodes, ambiguous=True)
        return nodes[0]

    def _names(self) -> dict[str, list[tuple[int, str]]]:
        size = self._graph.number_of_nodes()
        if self._index is None or self._index[0] != size:
            self._index = (size, name_index(self._graph))
        return self._index[1]

    def _check_relation(self, label: str) -> None:
        known = {*RELATION_LABELS, CO_OCCURS, *(key for _u, _v, key in self._graph.edges(keys=True))}
        if label not in known:
            close = difflib.get_close_matches(label, sorted(known), n=3)
            hint = f"; did you mean: {', '.join(close)}?" if close else ""
            raise ValueError(f"unknown relation {label!r}{hint} (known: {', '.join(sorted(known))})")

    # -- review ---------------------------------------------------------------

    @property
    def review(self) -> Review:
        """Decisions about this graph, recorded as ``graphkit review`` records them.

        Methods are named like the command's actions (``delete``, ``reject``,
        ``rename``, ``merge``, ``split``, ``retype``, ``relabel``, ``add``,
        ``confirm``); ``save(path)`` writes a review file that ``graphkit build
        --review`` replays, and ``graphkit.review.Review.load(path)`` reads one.

        Examples
        --------
        >>> g = Graph(nx.MultiDiGraph([("a", "b", "owns")]))
        >>> g.review.reject("a", "owns", "b", reason="a request, not a fact", at="2026-12-06")["action"]
        'reject'
        >>> g.apply(g.review)
        <graphkit.Graph: 2 entities, 0 edges (0 typed), 0 documents>
        """
        if self._review is None:
            from graphkit.review import Review

            self._review = Review()
        return self._review

    def apply(self, review: Review) -> Graph:
        """The graph with ``review``'s decisions replayed, as a build with ``--review`` makes it.

        Returns
        -------
        Graph
            A new graph; its ``review_report`` says which decisions were
            applied or stale and what was left out. Entities the review made
            or moved are laid out afresh.
        """
        from graphkit.layout import assign_positions
        from graphkit.review import apply_review

        reviewed, report = apply_review(self._graph, review)
        assign_positions(reviewed)
        result = Graph(reviewed, copy=False)
        result.review_report = report
        return result

    # -- tables ---------------------------------------------------------------

    def entities(self, type: str | None = None) -> Table:
        """The entities, most mentioned first.

        Parameters
        ----------
        type : str, optional
            Keep only this entity type: ``"PER"``, ``"ORG"``, ``"LOC"`` or
            ``"MISC"`` (any case).

        Returns
        -------
        DataFrame
            Columns ``entity``, ``type``, ``mentions``, ``degree`` (edges,
            co-occurrences included), ``docs`` and ``aliases`` (lists), and
            ``community`` once :meth:`communities` has run.

        Raises
        ------
        ValueError
            If ``type`` is not an entity type.

        Examples
        --------
        >>> from graphkit.graph import build_graph
        >>> from graphkit.model import Entity
        >>> places = [Entity("Paris", "LOC", mentions=1), Entity("Renault", "ORG", mentions=3)]
        >>> g = Graph(build_graph(places, []))
        >>> g.entities()[["entity", "type", "mentions"]].values.tolist()
        [['Renault', 'ORG', 3], ['Paris', 'LOC', 1]]
        >>> list(g.entities(type="loc")["entity"])
        ['Paris']
        """
        wanted = None if type is None else type.upper()
        present = {str(t) for _node, t in self._graph.nodes(data="type", default="MISC")}
        if wanted is not None and wanted not in {*ENTITY_TYPES, *present}:
            raise ValueError(f"unknown entity type {type!r}: expected one of {', '.join(ENTITY_TYPES)}")
        with_community = self._graph.number_of_nodes() > 0 and all(
            "community" in data for _node, data in self._graph.nodes(data=True)
        )
        columns = ["entity", "type", "mentions", "degree", "docs", "aliases"]
        columns += ["community"] if with_community else []
        rows = []
        for node, data in self._graph.nodes(data=True):
            if wanted is not None and data.get("type", "MISC") != wanted:
                continue
            row = {
                "entity": node,
                "type": data.get("type", "MISC"),
                "mentions": int(data.get("mentions", 0)),
                "degree": self._graph.degree(node),
                "docs": sorted(data.get("docs", [])),
                "aliases": sorted(data.get("aliases", [])),
            }
            if with_community:
                row["community"] = int(data["community"])
            rows.append(row)
        rows.sort(key=lambda row: (-row["mentions"], row["entity"]))
        return _table(rows, columns)

    def relations(self, label: str | None = None, *, since: When = None, until: When = None) -> Table:
        """The typed relations, with the sentences that state them, best supported first.

        Parameters
        ----------
        label : str, optional
            Keep only this relation (``"owns"``, ``"leads"``, ...). Co-occurrences
            are not relations: ask for them with ``label="co_occurs"``.
        since, until : str or date, optional
            Keep only the evidence published in this range (see :meth:`between`).

        Returns
        -------
        DataFrame
            Columns ``source``, ``relation``, ``target``, ``weight`` (sentences
            counted), the lists ``sentences`` and ``docs``, ``modality``
            (``asserted`` when a sentence at least states it as a fact, else
            ``negated``, ``hypothetical`` or ``hypothetical|negated``) and
            ``attributed_to`` (who said it, ``"; "``-joined, ``""`` when
            nobody is named). One row per sentence: :meth:`evidence`.
            Symmetric relations run from the smaller name to the larger.

        Raises
        ------
        ValueError
            If ``label`` is not a relation label.

        Examples
        --------
        >>> from graphkit.graph import EdgeRecord, build_graph
        >>> from graphkit.model import Entity
        >>> ev = [{"doc": "a.txt", "sentence": "Nissan possède Renault.", "start": 0, "end": 23}]
        >>> G = build_graph([Entity("Nissan", "ORG"), Entity("Renault", "ORG")],
        ...                 [EdgeRecord("Nissan", "Renault", "owns", 1, ev),
        ...                  EdgeRecord("Nissan", "Renault", "co_occurs", 1, ev)])
        >>> table = Graph(G).relations()
        >>> table[["source", "relation", "target", "weight"]].values.tolist()
        [['Nissan', 'owns', 'Renault', 1]]
        >>> table.loc[0, "sentences"]
        ['Nissan possède Renault.']
        """
        if label is not None:
            self._check_relation(label)
        rows = [
            {"source": u, "relation": key, "target": v, **_edge_columns(data)}
            for u, v, key, data in _window(self._graph, since, until).edges(keys=True, data=True)
            if (key == label if label is not None else key != CO_OCCURS)
        ]
        rows.sort(key=lambda row: (-row["weight"], row["source"], row["relation"], row["target"]))
        return _table(rows, ["source", "relation", "target", *EDGE_COLUMNS])

    def evidence(self, label: str | None = None) -> Table:
        """One row per sentence behind the typed relations, each value plain (filter with ``==``).

        Parameters
        ----------
        label : str, optional
            Keep only this relation (``label="co_occurs"`` for co-occurrences).

        Returns
        -------
        DataFrame
            Columns ``source``, ``relation``, ``target``, ``doc``,
            ``sentence``, ``modality`` (``asserted``, ``negated`` or
            ``hypothetical``), ``attributed_to`` (``""`` when nobody is
            named), ``title``, ``date``, ``url``, ``outlet`` (``""`` when the
            document does not give them) and ``copies`` (the documents
            folded into this one as wire copies, ``"; "``-joined). Only the
            sentences kept on each edge (``--max-evidence``) are listed.

        Raises
        ------
        ValueError
            If ``label`` is not a relation label.

        Examples
        --------
        >>> from graphkit.graph import EdgeRecord, build_graph
        >>> from graphkit.model import Entity
        >>> ev = [{"doc": "a.txt", "sentence": "Nissan pourrait acheter Renault.", "start": 0, "end": 32,
        ...        "modality": "hypothetical"}]
        >>> G = build_graph([Entity("Nissan", "ORG"), Entity("Renault", "ORG")],
        ...                 [EdgeRecord("Nissan", "Renault", "acquires", 1, ev)])
        >>> table = Graph(G).evidence()
        >>> table[table.modality == "hypothetical"][["source", "target", "doc"]].values.tolist()
        [['Nissan', 'Renault', 'a.txt']]
        """
        if label is not None:
            self._check_relation(label)
        rows = [
            _evidence_row(u, key, v, item)
            for u, v, key, data in sorted(self._graph.edges(keys=True, data=True), key=lambda e: e[:3])
            if (key == label if label is not None else key != CO_OCCURS)
            for item in data.get("evidence", [])
        ]
        return _table(rows, EVIDENCE_COLUMNS)

    def neighbors(
        self, name: str, relation: str | None = None, *, since: When = None, until: When = None
    ) -> Table:
        """Who is linked to an entity, by which relation, and the sentences that say so.

        Parameters
        ----------
        name : str
            The entity: id, label or alias, in any case, with or without accents.
        relation : str, optional
            Keep only this relation label (``"co_occurs"`` included).
        since, until : str or date, optional
            Keep only the evidence published in this range (see :meth:`between`).

        Returns
        -------
        DataFrame
            One row per edge: ``neighbor``, its ``type``, ``relation``,
            ``direction`` (``"out"``: the entity is the subject, ``"in"``: the
            neighbour is, ``"both"``: a symmetric relation), ``weight``, the
            lists ``sentences`` and ``docs``, and ``modality`` and
            ``attributed_to`` as in :meth:`relations`.
            Typed relations come first, then co-occurrences; heavier first.

        Raises
        ------
        UnknownEntityError
            If ``name`` matches no entity (the message suggests close names).
        ValueError
            If ``relation`` is not a relation label.

        Examples
        --------
        >>> from graphkit.graph import EdgeRecord, build_graph
        >>> from graphkit.model import Entity
        >>> ev = [{"doc": "a.txt", "sentence": "Nissan possède Renault.", "start": 0, "end": 23}]
        >>> G = build_graph([Entity("Nissan", "ORG"), Entity("Renault", "ORG")],
        ...                 [EdgeRecord("Nissan", "Renault", "owns", 1, ev)])
        >>> Graph(G).neighbors("renault")[["neighbor", "relation", "direction"]].values.tolist()
        [['Nissan', 'owns', 'in']]
        """
        node = self.resolve(name)
        if relation is not None:
            self._check_relation(relation)
        graph = _window(self._graph, since, until)
        edges = []
        if node in graph:  # in a window, an entity may have no evidence
            out = graph.out_edges(node, keys=True, data=True)
            edges += [(v, key, "out", data) for _u, v, key, data in out]
            edges += [
                (u, key, "in", data)
                for u, _v, key, data in graph.in_edges(node, keys=True, data=True)
                if u != node
            ]
        rows = [
            {
                "neighbor": other,
                "type": graph.nodes[other].get("type", "MISC"),
                "relation": key,
                "direction": "both" if key in SYMMETRIC_RELATIONS else direction,
                **_edge_columns(data),
            }
            for other, key, direction, data in edges
            if relation is None or key == relation
        ]
        rows.sort(key=lambda r: (_typed_first(r["relation"]), -r["weight"], r["neighbor"], r["relation"]))
        return _table(rows, ["neighbor", "type", "relation", "direction", *EDGE_COLUMNS])

    # -- structure ------------------------------------------------------------

    def path(self, a: str, b: str) -> Table:
        """The shortest chain of typed relations between two entities, with its evidence.

        Co-occurrences are not followed, nor relations that every sentence
        denies. Relations are followed either way, and each hop reports its
        real direction. When two entities share several relations, the hop
        shows the best supported one.

        Parameters
        ----------
        a, b : str
            The two entities: ids, labels or aliases.

        Returns
        -------
        DataFrame
            One row per hop from ``a`` to ``b``: ``step`` (from 1),
            ``source``, ``relation``, ``target`` as the sentences state them,
            ``forward`` (True when the relation runs from ``a``'s side toward
            ``b``; symmetric relations always do), ``weight``, the lists
            ``sentences`` and ``docs``, ``modality`` and ``attributed_to`` as
            in :meth:`relations`. Empty
            when ``a`` and ``b`` are the same entity.

        Raises
        ------
        UnknownEntityError
            If ``a`` or ``b`` matches no entity.
        NoPathError
            If no chain of typed relations connects them.

        Examples
        --------
        >>> from graphkit.graph import EdgeRecord, build_graph
        >>> from graphkit.model import Entity
        >>> ev = [{"doc": "a.txt", "sentence": "…", "start": 0, "end": 1}]
        >>> names = [("Nissan", "ORG"), ("Marie Curie", "PER"), ("Renault", "ORG")]
        >>> people = [Entity(name, kind) for name, kind in names]
        >>> G = build_graph(people, [EdgeRecord("Marie Curie", "Renault", "sells_on", 1, ev),
        ...                          EdgeRecord("Nissan", "Renault", "owns", 1, ev)])
        >>> hops = Graph(G).path("Marie Curie", "nissan")
        >>> hops[["step", "source", "relation", "target", "forward"]].values.tolist()
        [[1, 'Marie Curie', 'sells_on', 'Renault', True], [2, 'Nissan', 'owns', 'Renault', False]]
        """
        start, end = self.resolve(a), self.resolve(b)
        links = _typed_links(self._graph)
        try:
            walk = nx.shortest_path(links, start, end)
        except nx.NetworkXNoPath:
            raise NoPathError(
                f"no chain of typed relations links {start!r} and {end!r} "
                "(co-occurrences are not followed; see neighbors())"
            ) from None
        rows = []
        for step, (here, there) in enumerate(pairwise(walk), start=1):
            u, v, key = links.edges[here, there]["edge"]
            forward = u == here or key in SYMMETRIC_RELATIONS
            source, target = (here, there) if key in SYMMETRIC_RELATIONS else (u, v)
            data = self._graph.edges[u, v, key]
            rows.append(
                {
                    "step": step,
                    "source": source,
                    "relation": key,
                    "target": target,
                    "forward": forward,
                    **_edge_columns(data),
                }
            )
        return _table(rows, ["step", "source", "relation", "target", "forward", *EDGE_COLUMNS])

    def ego(self, name: str, radius: int = 1) -> Graph:
        """The entities within ``radius`` links of an entity, and every edge between them.

        Parameters
        ----------
        name : str
            The centre: id, label or alias.
        radius : int
            Links to follow, any relation and either way (co-occurrences included).

        Returns
        -------
        Graph
            A new graph (a copy). Its ``documents`` count is that of the
            documents its entities come from, and its nodes are laid out
            afresh, so that the page and Gephi show it at its own scale.

        Raises
        ------
        UnknownEntityError
            If ``name`` matches no entity.
        ValueError
            If ``radius`` is negative.

        Examples
        --------
        >>> g = Graph(nx.MultiDiGraph([("a", "b", "owns"), ("b", "c", "owns"), ("c", "d", "owns")]))
        >>> sorted(g.ego("b").nx.nodes), sorted(g.ego("b", radius=2).nx.nodes)
        (['a', 'b', 'c'], ['a', 'b', 'c', 'd'])
        """
        if radius < 0:
            raise ValueError(f"radius must be 0 or more, not {radius}")
        from graphkit.layout import assign_positions

        centre = self.resolve(name)
        undirected = self._graph.to_undirected(as_view=True)
        near = nx.single_source_shortest_path_length(undirected, centre, cutoff=radius)
        sub = nx.MultiDiGraph()
        sub.graph.update(self._graph.graph)
        sub.add_nodes_from((node, dict(self._graph.nodes[node])) for node in sorted(near))
        sub.add_edges_from(
            (u, v, key, dict(data))
            for u, v, key, data in self._graph.edges(sorted(near), keys=True, data=True)
            if v in near
        )
        docs = {doc for _node, names in sub.nodes(data="docs", default=[]) for doc in names}
        sub.graph["documents"] = len(docs)
        for _node, data in sub.nodes(data=True):
            data.pop("x", None)
            data.pop("y", None)
        assign_positions(sub)
        return Graph(sub, copy=False)

    def between(self, since: When = None, until: When = None) -> Graph:
        """The graph of the evidence published from ``since`` to ``until`` (inclusive).

        Parameters
        ----------
        since, until : str or date, optional
            ISO dates (``"2024-10-11"``), months (``"2024-10"``: all its days)
            or years, or :class:`datetime.date` objects; None for no bound.

        Returns
        -------
        Graph
            A new graph. An evidence sentence counts when its article or one
            of its wire copies is dated in the range (an article dated only
            to the month counts when the whole month is; undated ones never
            do); an edge keeps those sentences, its ``weight`` counts them;
            an entity is kept when one of its edges is, its ``mentions``
            are the sentences kept that name it. Positions are kept.

        Raises
        ------
        ValueError
            If a bound is not a date or ``since`` is after ``until``.

        Examples
        --------
        >>> from graphkit.graph import EdgeRecord, build_graph
        >>> from graphkit.model import Entity
        >>> ev = [{"doc": "a.txt", "sentence": "Nissan possède Renault.", "start": 0, "end": 23,
        ...        "date": "2024-10-11"}]
        >>> G = build_graph([Entity("Nissan", "ORG"), Entity("Renault", "ORG")],
        ...                 [EdgeRecord("Nissan", "Renault", "owns", 1, ev)])
        >>> len(Graph(G).between("2024-10", "2024-12")), len(Graph(G).between(since="2024-11"))
        (2, 0)
        """
        return Graph(restrict(self._graph, since, until), copy=False)

    def timeline(self, name: str, by: str = "week") -> Table:
        """When an entity was in the news: its mentions, typed relations and outlets per period.

        Parameters
        ----------
        name : str
            The entity: id, label or alias.
        by : {"day", "week", "month"}
            The period; weeks start on Monday and are named after it.

        Returns
        -------
        DataFrame
            Columns ``period`` (``YYYY-MM-DD``, or ``YYYY-MM`` by month), ``mentions``
            (evidence sentences naming the entity, once per publication: a wire
            copy published on another day counts there too), ``relations``
            (distinct typed relations with such a sentence) and ``outlets``
            (distinct outlets), every period from the first to the last; empty
            when no evidence is dated. A date less precise than the period is
            not counted (an article dated to the month has no week).

        Raises
        ------
        UnknownEntityError
            If ``name`` matches no entity.
        ValueError
            If ``by`` is not day, week or month.

        Examples
        --------
        >>> from graphkit.graph import EdgeRecord, build_graph
        >>> from graphkit.model import Entity
        >>> ev = [{"doc": "a.txt", "sentence": "Nissan possède Renault.", "start": 0, "end": 23,
        ...        "date": "2024-10-11", "outlet": "AFP"}]
        >>> G = build_graph([Entity("Nissan", "ORG"), Entity("Renault", "ORG")],
        ...                 [EdgeRecord("Nissan", "Renault", "owns", 1, ev)])
        >>> Graph(G).timeline("Renault").values.tolist()
        [['2024-10-07', 1, 1, 1]]
        """
        node = self.resolve(name)
        return _table(timeline_rows(self._graph, node, by), ["period", "mentions", "relations", "outlets"])

    def top(self, n: int = 10, by: str = "mentions", *, since: When = None, until: When = None) -> Table:
        """The ``n`` entities that rank highest, ties broken by name.

        Parameters
        ----------
        n : int
            How many entities.
        since, until : str or date, optional
            Rank the graph of the evidence published in this range (see
            :meth:`between`; ``mentions`` are then evidence sentences).
        by : {"mentions", "degree", "pagerank", "betweenness"}
            ``mentions``: times named in the articles; ``degree``: edges
            (co-occurrences included); ``pagerank`` and ``betweenness``:
            computed on the undirected graph of all edges, PageRank weighted
            by edge weight, betweenness on hop counts (exact, so slow past a
            few thousand entities).

        Returns
        -------
        DataFrame
            Columns ``entity``, ``type`` and the score, named after ``by``.

        Raises
        ------
        ValueError
            If ``by`` is not one of :data:`RANKINGS` or ``n`` is negative.

        Examples
        --------
        >>> g = Graph(nx.MultiDiGraph([("hub", "a", "owns"), ("hub", "b", "owns"), ("b", "c", "owns")]))
        >>> g.top(2, by="degree").values.tolist()
        [['b', 'MISC', 2], ['hub', 'MISC', 2]]
        >>> list(g.top(1, by="betweenness")["entity"])
        ['b']
        """
        if by not in RANKINGS:
            raise ValueError(f"cannot rank by {by!r}: expected one of {', '.join(RANKINGS)}")
        if n < 0:
            raise ValueError(f"n must be 0 or more, not {n}")
        graph = _window(self._graph, since, until)
        scores = _scores(graph, by)
        ranked = sorted(graph.nodes, key=lambda node: (-scores[node], node))[:n]
        rows = [
            {"entity": node, "type": graph.nodes[node].get("type", "MISC"), by: scores[node]}
            for node in ranked
        ]
        return _table(rows, ["entity", "type", by])

    def communities(self, *, resolution: float = 1.0, seed: int = SEED) -> Table:
        """Groups of closely linked entities (Louvain), stored on the nodes as ``community``.

        The search runs on the undirected graph of all edges, co-occurrences
        included, weighted by the summed edge weights, with a fixed seed: the
        same graph always gives the same groups. Communities are numbered from
        0, largest first, ties broken by their first name. This method writes
        ``community`` (an int) on every node of this object's graph, where the
        page and the Gephi exports find it.

        Parameters
        ----------
        resolution : float
            Above 1, smaller communities; below 1, larger ones.
        seed : int
            Seed of the Louvain method.

        Returns
        -------
        DataFrame
            Columns ``community``, ``size`` and ``members`` (a list, most
            mentioned first).

        Examples
        --------
        >>> g = Graph(nx.MultiDiGraph([("a", "b", "owns"), ("b", "c", "owns"), ("x", "y", "owns")]))
        >>> g.communities().values.tolist()
        [[0, 3, ['a', 'b', 'c']], [1, 2, ['x', 'y']]]
        >>> g.nx.nodes["x"]["community"]
        1
        """
        found = nx.community.louvain_communities(
            _undirected(self._graph), weight="weight", resolution=resolution, seed=seed
        )
        rows = []
        for number, members in enumerate(_number_communities(found)):
            for node in members:
                self._graph.nodes[node]["community"] = number
            mentions = {node: int(self._graph.nodes[node].get("mentions", 0)) for node in members}
            ordered = sorted(members, key=lambda node: (-mentions[node], node))
            rows.append({"community": number, "size": len(members), "members": ordered})
        return _table(rows, ["community", "size", "members"])

    # -- display and files ----------------------------------------------------

    def _iframe(self, *, title: str, max_nodes: int | None, height: int) -> str:
        """The page in an ``<iframe srcdoc>``: no file, no network, isolated from the notebook's styles."""
        from graphkit.export.webpage import render_html

        page = render_html(self._graph, title=title, max_nodes=max_nodes)
        return (
            f'<div class="graphkit-page"><iframe srcdoc="{html.escape(page, quote=True)}" '
            f'title="{html.escape(title)}" '
            f'style="width: 100%; height: {int(height)}px; border: 1px solid #d0d7de;"></iframe></div>'
        )

    def _repr_html_(self) -> str:
        """The interactive page, inline (Jupyter calls this to display the object)."""
        return self._iframe(title="graphkit", max_nodes=INLINE_MAX_NODES, height=INLINE_HEIGHT)

    def show(
        self,
        *,
        title: str = "graphkit",
        max_nodes: int | None = INLINE_MAX_NODES,
        height: int = INLINE_HEIGHT,
    ) -> Path | None:
        """Show the interactive page of ``graph.html``: inline in Jupyter, else in the web browser.

        Parameters
        ----------
        title : str
            Title shown at the top of the page.
        max_nodes : int or None
            Entities drawn at most (the most connected are kept); ``None``
            draws them all. The notebook stores the page in the cell output.
        height : int
            Height of the page inline, in pixels.

        Returns
        -------
        Path or None
            Outside Jupyter, the page written to the temporary folder and
            opened in the browser (``$BROWSER`` when set); None in Jupyter.

        Raises
        ------
        GraphkitError
            If no web browser can be started (write the page with :meth:`to_html`).

        Examples
        --------
        >>> g = Graph(nx.MultiDiGraph([("a", "b", "owns")], documents=1))
        >>> g.show(title="Demo")  # doctest: +SKIP
        PosixPath('/tmp/graphkit-3f1c….html')
        """
        if _in_notebook():
            from IPython.display import HTML, display

            display(HTML(self._iframe(title=title, max_nodes=max_nodes, height=height)))
            return None
        import tempfile
        import webbrowser

        folder = Path(tempfile.mkdtemp(prefix="graphkit-"))
        page = self.to_html(folder / "graph.html", title=title, max_nodes=max_nodes)
        if not webbrowser.open(page.resolve().as_uri()):
            raise GraphkitError(
                f"no web browser to open {page}; open it by hand, or write it with to_html(path)"
            )
        return page

    def to_csv(self, path: str | os.PathLike[str]) -> tuple[Path, Path]:
        """Write the tables ``graphkit build --format csv`` writes: ``STEM.nodes.csv``, ``STEM.edges.csv``.

        Parameters
        ----------
        path : str or path-like
            ``STEM.csv`` or ``STEM``: the two files are written beside it.

        Returns
        -------
        tuple of Path
            The nodes file and the edges file.

        Examples
        --------
        >>> import tempfile
        >>> g = Graph(nx.MultiDiGraph([("a", "b", "owns")], documents=1))
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     [p.name for p in g.to_csv(Path(folder) / "graph.csv")]
        ['graph.nodes.csv', 'graph.edges.csv']
        """
        from graphkit.export import output_paths

        target = Path(path)
        self._write("csv", target)
        stem = target.with_suffix("") if target.suffix.lower() == ".csv" else target
        nodes, edges = output_paths(stem, "csv")
        return nodes, edges

    def _write(self, fmt: str, path: str | os.PathLike[str], **options: Any) -> Path:
        from graphkit.export import write

        write(self._graph, fmt, Path(path), **options)
        return Path(path)

    def to_json(self, path: str | os.PathLike[str]) -> Path:
        """Write ``graph.json`` (node-link data, read back by :func:`load`).

        Parameters
        ----------
        path : str or path-like
            File to write (atomically).

        Returns
        -------
        Path
            ``path``.

        Examples
        --------
        >>> import tempfile
        >>> g = Graph(nx.MultiDiGraph([("a", "b", "owns")], documents=1))
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     load(g.to_json(Path(folder) / "graph.json"))
        <graphkit.Graph: 2 entities, 1 edge (1 typed), 1 document>
        """
        return self._write("json", path)

    def to_graphml(self, path: str | os.PathLike[str]) -> Path:
        """Write a GraphML file for Gephi (flat attributes, colours, sizes, positions, communities).

        Parameters
        ----------
        path : str or path-like
            File to write (atomically).

        Returns
        -------
        Path
            ``path``.

        Examples
        --------
        >>> import tempfile
        >>> g = Graph(nx.MultiDiGraph([("a", "b", "owns")], documents=1))
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     sorted(nx.read_graphml(g.to_graphml(Path(folder) / "g.graphml")).nodes)
        ['n0', 'n1']
        """
        return self._write("graphml", path)

    def to_gexf(self, path: str | os.PathLike[str]) -> Path:
        """Write a GEXF file for Gephi (flat attributes, colours, sizes, positions, communities).

        Parameters
        ----------
        path : str or path-like
            File to write (atomically).

        Returns
        -------
        Path
            ``path``.

        Examples
        --------
        >>> import tempfile
        >>> g = Graph(nx.MultiDiGraph([("a", "b", "owns")], documents=1))
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     g.to_gexf(Path(folder) / "g.gexf").stat().st_size > 0
        True
        """
        return self._write("gexf", path)

    def to_html(self, path: str | os.PathLike[str], **options: Any) -> Path:
        """Write the interactive page, as ``graphkit build`` writes ``graph.html``.

        Parameters
        ----------
        path : str or path-like
            File to write (atomically).
        **options
            Options of :func:`graphkit.export.webpage.write_html`, such as
            ``title`` and ``max_nodes``; the defaults are those of ``graph.html``.

        Returns
        -------
        Path
            ``path``.

        Examples
        --------
        >>> import tempfile
        >>> g = Graph(nx.MultiDiGraph([("a", "b", "owns")], documents=1))
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     "<title>Demo</title>" in g.to_html(Path(folder) / "g.html", title="Demo").read_text()
        True
        """
        return self._write("html", path, **options)


# -- entry points ---------------------------------------------------------------


def build(
    paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    model: str = DEFAULT_MODEL,
    aliases: Sequence[str | os.PathLike[str]] = (),
    rules: Sequence[str | os.PathLike[str]] = (),
    min_mentions: int = 1,
    max_evidence: int = DEFAULT_MAX_EVIDENCE,
    dates: str | os.PathLike[str] | None = None,
) -> Graph:
    """Build the entity graph of articles, as ``graphkit build`` does.

    Parameters
    ----------
    paths : path or sequence of paths
        Files and folders of articles, in any format ``graphkit build`` reads
        (text, HTML, JSON Lines, PDF, Word, OpenDocument, tables, feeds,
        address lists; fetched pages are not kept).
    model : str
        spaCy pipeline: an installed package name or a path.
    aliases : sequence of paths
        Alias tables (JSON) adding to or overriding the shipped one.
    rules : sequence of paths
        Relation rules files (JSON) added to the shipped rules.
    min_mentions : int
        Leave out entities mentioned fewer times.
    max_evidence : int
        Evidence sentences kept per edge (the weight counts them all).
    dates : path, optional
        A CSV ``file,date[,outlet]`` giving documents their date and outlet
        (``graphkit build --dates``).

    Returns
    -------
    Graph
        The graph ``graphkit build`` writes, with node positions.

    Raises
    ------
    InputError
        If an input does not exist or no document could be read.
    ModelError, AliasError, RulesError
        If the pipeline, an alias file or a rules file cannot be loaded.
    ValueError
        If ``min_mentions`` or ``max_evidence`` is below 1.

    Warns
    -----
    UserWarning
        When documents are skipped, with their count, names and reasons.

    Examples
    --------
    >>> # runs spaCy on the two seed articles: about 10 s
    >>> graph = build(["seeds"])  # doctest: +SKIP
    >>> build(["no/such/folder"])
    Traceback (most recent call last):
    ...
    graphkit.errors.InputError: input not found: no/such/folder
    """
    import warnings

    from graphkit.pipeline import BuildOptions
    from graphkit.pipeline import build as run_build

    if min_mentions < 1 or max_evidence < 1:
        raise ValueError(
            f"min_mentions and max_evidence must be 1 or more, not {min_mentions} and {max_evidence}"
        )
    inputs = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    options = BuildOptions(
        model=model,
        aliases=tuple(os.fspath(p) for p in aliases),
        rules=tuple(os.fspath(p) for p in rules),
        min_mentions=min_mentions,
        max_evidence=max_evidence,
        dates_file=None if dates is None else os.fspath(dates),
    )
    result = run_build([Path(p) for p in inputs], options=options)
    skipped = result.stats.skipped
    if skipped:
        details = "; ".join(f"{name} ({reason})" for name, reason in skipped)
        warnings.warn(f"Skipped {_plural(len(skipped), 'document')}: {details}", stacklevel=2)
    return Graph(result.graph, copy=False)


def load(path: str | os.PathLike[str]) -> Graph:
    """Read a ``graph.json`` written by ``graphkit build`` or :meth:`Graph.to_json`.

    Parameters
    ----------
    path : str or path-like
        The ``graph.json`` file.

    Returns
    -------
    Graph

    Raises
    ------
    InputError
        If the file is missing or is not graphkit node-link data.

    Examples
    --------
    >>> load("no/such/graph.json")
    Traceback (most recent call last):
    ...
    graphkit.errors.InputError: graph file not found: no/such/graph.json
    """
    return Graph(read_graph(Path(path)), copy=False)
