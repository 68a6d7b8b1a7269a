"""Cross-document merge: mentions become canonical entities, relations and co-occurrences become edges.

Work is split in two so that a corpus of any size streams through:

* :func:`mention_keys` (pure, per document) gives each mention an entity
  *key*: the alias table's canonical name, else the normalised surface form
  (case, accents, leading article); a lone surname takes the key of the one
  full name it ends in the same document (« Lagarde » -> « Christine Lagarde »); a
  coreferent phrase takes its antecedent's key; an acronym is linked to its
  expansion.
* :class:`Accumulator` folds documents into per-key counts and per-edge
  evidence (at most ``max_evidence`` sentences an edge, the first ones in
  document order, while the weight counts them all), then
  :meth:`Accumulator.finalize` unites linked keys (acronyms in parentheses,
  or the initials of exactly one multi-word name), picks each entity's
  canonical name and type, and returns entities and edges.

Each entity and edge also keeps the dates and outlets of all the documents
behind it (an edge's are counted before its evidence is capped), wire copies
included, for ``first_seen``, ``last_seen`` and ``outlets``.

Every join of two surface forms is recorded with its reason. A wire copy
(:meth:`Accumulator.add_copy`) is not merged again: its name and metadata are
kept as ``copies`` on each evidence item of the document it copies.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from graphkit.aliases import AliasTable
from graphkit.cooccur import sentence_pairs
from graphkit.graph import EdgeRecord
from graphkit.model import CO_OCCURS, ENTITY_TYPES, SYMMETRIC_RELATIONS, DocResult, Entity
from graphkit.normalize import normalize_key, strip_article

__all__ = ["DEFAULT_MAX_EVIDENCE", "EVIDENCE_META", "mention_keys", "Accumulator"]

DEFAULT_MAX_EVIDENCE = 20
_EMPTY: frozenset[str] = frozenset()
EVIDENCE_META = ("title", "date", "url", "outlet")
"""The document metadata each evidence item carries."""
_INITIALS_SKIP = frozenset(
    {
        "de",
        "des",
        "du",
        "la",
        "le",
        "les",
        "l",
        "d",
        "et",
        "pour",
        "en",
        "a",
        "au",
        "aux",
        "of",
        "the",
        "and",
        "sur",
    }
)
_TYPE_ORDER = {t: i for i, t in enumerate(("ORG", "PER", "LOC", "MISC"))}


WEB_SUFFIXES = (".com", ".fr", ".net", ".org", ".eu", ".co.uk", ".de", ".es", ".it")


def _site_owner(key: str) -> str:
    """The name a web address stands for (« amazon.com » -> « amazon »), or "" for other keys."""
    for suffix in WEB_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix) + 1 and " " not in key:
            return key[: -len(suffix)]
    return ""


def _shorten_after_full_name(mentions, keys: list[str | None], reasons: list[str]) -> None:
    """« BNP Paribas … BNP », « Canal+ … Canal »: an organisation's one-word name that the article
    uses after its full name, which starts with it, and less often, is that name. Named first or
    more often, it is another entity (« Orange … Orange Bank », « Ineos Grenadiers … Ineos »)."""
    first_seen: dict[str, int] = {}
    counts: Counter[str] = Counter()
    for i, key in enumerate(keys):
        if key is not None:
            first_seen.setdefault(key, mentions[i].start)
            counts[key] += 1
    by_first_word: dict[str, list[str]] = {}
    for other in first_seen:
        words = other.split()
        if words:
            by_first_word.setdefault(words[0].rstrip("+"), []).append(other)
    for i, m in enumerate(mentions):
        key = keys[i]
        if key is None or m.label == "PER" or " " in key or m.antecedent is not None:
            continue
        longer = {
            other
            for other in by_first_word.get(key, ())
            if other != key and first_seen[other] < first_seen[key] and counts[other] > counts[key]
        }
        if len(longer) == 1:
            keys[i] = next(iter(longer))
            reasons[i] = "short name"


def _initials(name: str, *, spell_capitals: bool = False) -> str:
    """Lowercase initials of a name of two words or more; with ``spell_capitals``, a word in capitals
    gives all its letters (« AS Monaco » -> « asm », « EDP Renewables » -> « edpr »)."""
    words = [w for w in name.replace("'", " ").replace("-", " ").split() if w.lower() not in _INITIALS_SKIP]
    if len(words) < 2:
        return ""
    return "".join(w if spell_capitals and w.isupper() and len(w) <= 4 else w[0] for w in words).lower()


def mention_keys(
    result: DocResult, aliases: AliasTable
) -> tuple[list[str | None], list[str], list[tuple[str, str]]]:
    """Entity key of every mention of a document, with the reasons of the joins.

    Returns
    -------
    keys : list of (str or None)
        ``keys[i]`` for mention ``i``; None for a dropped mention.
    reasons : list of str
        Why mention ``i`` joined its key (``"ner"``, ``"alias table"``,
        ``"short name"``, ``"acronym"``, ``"coreference (demonstrative)"``…).
    links : list of (str, str)
        Pairs of keys to unite across the corpus (acronym and expansion).
    """
    mentions = result.mentions
    keys: list[str | None] = [None] * len(mentions)
    reasons = ["" for _ in mentions]
    links: list[tuple[str, str]] = []
    for i, m in enumerate(mentions):
        if m.reason == "dropped" or (m.antecedent is not None and m.reason != "acronym"):
            continue
        canonical = m.key or aliases.canonical(m.text)
        keys[i] = normalize_key(canonical or m.text)
        reasons[i] = "alias table" if canonical else "ner"
    full_names: dict[str, set[str]] = {}
    for i, m in enumerate(mentions):
        key = keys[i]
        if key and m.label == "PER" and len(key.split()) > 1:
            full_names.setdefault(key.split()[-1], set()).add(key)
    for i, m in enumerate(mentions):
        key = keys[i]
        if key and m.label == "PER" and len(key.split()) == 1 and len(full_names.get(key, ())) == 1:
            keys[i] = next(iter(full_names[key]))
            reasons[i] = "short name"
    _shorten_after_full_name(mentions, keys, reasons)
    for i, m in enumerate(mentions):
        if m.reason == "acronym" and m.antecedent is not None:
            long_key, short_key = keys[m.antecedent], keys[i]
            if long_key and short_key and long_key != short_key:
                links.append((long_key, short_key))
                reasons[i] = "acronym"
    for i, m in enumerate(mentions):
        if m.reason == "dropped" or m.antecedent is None or m.reason == "acronym":
            continue
        root = m.antecedent
        while mentions[root].antecedent is not None and mentions[root].reason != "acronym":
            root = mentions[root].antecedent  # type: ignore[assignment]
        keys[i] = keys[root]
        reasons[i] = f"coreference ({m.reason})"
    return keys, reasons, links


class _Evidence(NamedTuple):
    """A sentence behind an edge, as the accumulator keeps it: a tuple, a third of a dict's size.

    :meth:`Accumulator.finalize` turns the kept ones into the exported dicts.
    """

    doc: str
    start: int
    end: int
    modality: str  # "" when the sentence asserts the relation
    rule: str | None  # None for a co-occurrence
    sentence: str
    attributed_to: str | None = None  # an entity key


def _evidence_key(item: _Evidence) -> tuple[str, int, int, str, str]:
    return (item.doc, item.start, item.end, item.modality, item.rule or "")


def _evidence(
    result: DocResult, sent: int, modality: str = "", rule: str | None = None, source: str | None = None
) -> _Evidence:
    sentence = result.sentences[sent]
    return _Evidence(result.doc, sentence.start, sentence.end, modality, rule, sentence.text, source)


@dataclass(slots=True)
class _EdgeAcc:
    weight: int = 0
    evidence: list[_Evidence] = field(default_factory=list)  # the first ``cap`` in evidence order
    docs: set[str] | frozenset[str] = frozenset()  # of all the evidence, kept or not

    def add(self, items: list[_Evidence], cap: int, document: frozenset[str]) -> None:
        """Count ``items``, all from the one document in ``document``; keep them if they are among
        the first ``cap`` in evidence order."""
        self.weight += len(items)
        if not self.docs:
            self.docs = document  # one set shared by the edges of that document: most have no other
        elif not document <= self.docs:
            if isinstance(self.docs, frozenset):
                self.docs = set(self.docs)
            self.docs |= document
        for item in items:
            full = self.evidence and len(self.evidence) >= cap
            if full and _evidence_key(item) >= _evidence_key(self.evidence[-1]):
                continue
            bisect.insort(self.evidence, item, key=_evidence_key)
            del self.evidence[cap:]

    def capped(self, cap: int) -> list[_Evidence]:
        return sorted(self.evidence, key=_evidence_key)[:cap]


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


class Accumulator:
    """Folds :class:`DocResult` records into entities and edges, in any order.

    The result does not depend on the order documents are added in.
    """

    def __init__(self, aliases: AliasTable, *, max_evidence: int = DEFAULT_MAX_EVIDENCE) -> None:
        self.aliases = aliases
        self.max_evidence = max_evidence
        self.documents = 0
        self.sentences = 0
        self.forms: dict[str, Counter[str]] = {}
        self.labels: dict[str, Counter[str]] = {}
        self.mentions: Counter[str] = Counter()
        self.doc_mentions: dict[str, Counter[str]] = {}
        self.form_docs: dict[str, dict[str, set[str]]] = {}
        self.merges: dict[str, set[tuple[str, str]]] = {}
        self.links: set[tuple[str, str]] = set()
        self.edges: dict[tuple[str, str, str], _EdgeAcc] = {}
        self.copies: dict[str, list[dict[str, str]]] = {}
        self.doc_meta: dict[str, dict[str, str]] = {}  # doc -> its EVIDENCE_META values, if any

    def add_copy(self, original: str, name: str, meta: tuple[tuple[str, str], ...]) -> None:
        """Record a wire copy of document ``original``: its name and its title, date, url and outlet."""
        kept = {key: value for key, value in meta if key in EVIDENCE_META}
        self.copies.setdefault(original, []).append({"doc": name, **kept})

    def add(self, result: DocResult) -> None:
        """Fold one document in (a section of a long file counts as a document with its first)."""
        if not result.section:
            self.documents += 1
        self.sentences += len(result.sentences)
        keys, reasons, links = mention_keys(result, self.aliases)
        self.links.update(links)
        for mention, key, reason in zip(result.mentions, keys, reasons, strict=True):
            if key is None:
                continue
            self.mentions[key] += 1
            self.doc_mentions.setdefault(key, Counter())[result.doc] += 1
            if reason.startswith("coreference"):
                self.merges.setdefault(key, set()).add((mention.text, reason))
                continue
            form = strip_article(" ".join(mention.text.split()))
            self.forms.setdefault(key, Counter())[form] += 1
            self.form_docs.setdefault(key, {}).setdefault(form, set()).add(result.doc)
            self.labels.setdefault(key, Counter())[mention.label] += 1
            if reason != "ner":
                self.merges.setdefault(key, set()).add((form, reason))
        meta = {k: v for k, v in result.meta if k in EVIDENCE_META}
        if meta:
            self.doc_meta[result.doc] = meta
        local: dict[tuple[str, str, str], dict[int, _Evidence]] = {}
        for a, b, sent in sentence_pairs(result, keys):
            local.setdefault((a, b, CO_OCCURS), {})[sent] = _evidence(result, sent)
        for rel in result.relations:
            source, target = keys[rel.source], keys[rel.target]
            if source is None or target is None or source == target:
                continue
            if rel.label in SYMMETRIC_RELATIONS and target < source:
                source, target = target, source
            source_key = keys[rel.attributed_to] if rel.attributed_to is not None else None
            item = _evidence(result, rel.sent, rel.modality or "", rel.rule, source_key or None)
            per_sentence = local.setdefault((source, target, rel.label), {})
            previous = per_sentence.get(rel.sent)
            if previous is None or (previous.modality and not item.modality):
                per_sentence[rel.sent] = item
        document = frozenset({result.doc})
        for edge_key, items in local.items():
            acc = self.edges.setdefault(edge_key, _EdgeAcc())
            acc.add([items[s] for s in sorted(items)], self.max_evidence, document)

    def _exported(self, item: _Evidence, entity_of: dict[str, str]) -> dict[str, Any]:
        """An evidence item as exported: with its document's metadata, its source by canonical id and
        the wire copies of its document."""
        exported: dict[str, Any] = {
            "doc": item.doc,
            "sentence": item.sentence,
            "start": item.start,
            "end": item.end,
            **self.doc_meta.get(item.doc, {}),
        }
        if item.rule is not None:
            exported["rule"] = item.rule
        if item.modality:
            exported["modality"] = item.modality
        if item.attributed_to is not None:
            exported["attributed_to"] = entity_of.get(item.attributed_to, item.attributed_to)
        if item.doc in self.copies:
            exported["copies"] = sorted(self.copies[item.doc], key=lambda c: c["doc"])
        return exported

    def _seen(self, docs: AbstractSet[str]) -> tuple[set[str], set[str]]:
        """The dates and outlets of ``docs`` and of their wire copies."""
        dates: set[str] = set()
        outlets: set[str] = set()
        for doc in docs:
            meta = self.doc_meta.get(doc, {})
            date, outlet = meta.get("date", ""), meta.get("outlet", "")
            copies = self.copies.get(doc, ())
            dates.update(d for d in (date, *(copy.get("date", "") for copy in copies)) if d)
            outlets.update(o for o in (outlet, *(copy.get("outlet", "") for copy in copies)) if o)
        return dates, outlets

    def _groups(self) -> _UnionFind:
        groups = _UnionFind()
        for key in sorted(self.mentions):
            groups.find(key)
        for a, b in sorted(self.links):
            groups.union(a, b)
        for key in sorted(self.mentions):
            base = _site_owner(key)
            if base in self.mentions and groups.find(key) != groups.find(base):
                written = self.forms.get(key) or Counter({key: 1})
                shown = max(written, key=lambda f: (written[f], f))
                self.merges.setdefault(key, set()).add((shown, "web address"))
                groups.union(base, key)  # « Amazon.com » is Amazon
        by_initials: dict[str, set[str]] = {}
        for key in self.mentions:
            forms = self.forms.get(key, ())
            spelled = {_initials(key), *(_initials(form, spell_capitals=True) for form in forms)}
            for initials in spelled - {""}:
                by_initials.setdefault(initials, set()).add(groups.find(key))
        for key in sorted(self.mentions):
            form = self.forms.get(key)
            if form and any(f.isupper() and 2 <= len(f) <= 8 for f in form):
                owners = by_initials.get(key.replace(" ", ""), set())
                if len(owners) == 1:
                    owner = next(iter(owners))
                    if groups.find(key) != owner:
                        self.merges.setdefault(key, set()).add(
                            (max(form, key=lambda f: (form[f], f)), "acronym")
                        )
                    groups.union(key, owner)
        return groups

    def _canonical(self, keys: list[str]) -> tuple[str, str]:
        """Canonical name and type of a group of keys."""
        for key in sorted(keys):
            name = self.aliases.canonical(key)
            entry = self.aliases.entry(name) if name else None
            if entry is not None:
                return entry.canonical, entry.type
        best = []
        for key in keys:
            forms = self.forms.get(key)
            if forms:
                form, count = max(forms.items(), key=lambda fc: (fc[1], fc[0]))
                site = bool(_site_owner(key))  # « Amazon » names the group, not « Amazon.com »
                best.append((not site, not form.isupper(), len(form.split()), sum(forms.values()), form))
        name = max(best)[-1] if best else sorted(keys)[0]
        votes: Counter[str] = Counter()
        for key in keys:
            votes.update(self.labels.get(key, Counter()))
        kind = min(ENTITY_TYPES, key=lambda t: (-votes[t], _TYPE_ORDER[t]))
        return name, kind

    def finalize(self, *, min_mentions: int = 1) -> tuple[list[Entity], list[EdgeRecord]]:
        """Entities and edges with canonical ids; entities under ``min_mentions`` left out.

        Call it once, when every document is in: the accumulator hands its
        edges over as they are merged, so that a large graph is not held twice.
        """
        groups = self._groups()
        members: dict[str, list[str]] = {}
        for key in sorted(self.mentions):
            members.setdefault(groups.find(key), []).append(key)
        entity_of: dict[str, str] = {}
        entities: dict[str, Entity] = {}
        for root in sorted(members):
            keys = members[root]
            name, kind = self._canonical(keys)
            if name in entities:  # two groups choosing one name: keep them apart
                name = f"{name} ({root})"
            entity = Entity(name, kind)
            for key in keys:
                entity.mentions += self.mentions[key]
                counts = self.doc_mentions.get(key, Counter())
                entity.docs.update(counts)
                for doc, count in counts.items():
                    entity.doc_mentions[doc] = entity.doc_mentions.get(doc, 0) + count
                entity.aliases.update(self.forms.get(key, {}))
                for form, docs in self.form_docs.get(key, {}).items():
                    entity.alias_docs.setdefault(form, set()).update(docs)
                entity.merges.extend(sorted(self.merges.get(key, ())))
                entity_of[key] = name
            entity.merges = sorted(set(entity.merges))
            entity.dates, entity.outlets = self._seen(entity.docs)
            if entity.mentions >= min_mentions:
                entities[name] = entity
        merged: dict[tuple[str, str, str], _EdgeAcc] = {}
        for edge_key in sorted(self.edges):
            acc = self.edges.pop(edge_key)  # handed over, so that no edge is held twice
            a, b, label = edge_key
            source, target = entity_of[a], entity_of[b]
            if source == target or source not in entities or target not in entities:
                continue
            if label in SYMMETRIC_RELATIONS and target < source:
                source, target = target, source
            known = merged.setdefault((source, target, label), acc)
            if known is not acc:
                known.weight += acc.weight
                known.evidence.extend(acc.evidence)
                known.docs |= acc.docs
        edges = []
        for edge_key in sorted(merged):
            acc = merged.pop(edge_key)
            evidence = [self._exported(item, entity_of) for item in acc.capped(self.max_evidence)]
            dates, outlets = self._seen(acc.docs)  # most often none: shared empty sets, not two a record
            edges.append(EdgeRecord(*edge_key, acc.weight, evidence, dates or _EMPTY, outlets or _EMPTY))
        return list(entities.values()), edges
