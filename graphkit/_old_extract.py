"""The per-document step: a parsed ``Doc`` becomes a small :class:`~graphkit.model.DocResult`.

Order of work on one document (or one piece of a long one): sentences ->
entity mentions -> coreference -> mentions merged into single tokens ->
relation rules -> coordination, suppression, modality and attribution ->
plain records. The ``Doc`` is consumed here and never leaves this module.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from graphkit.aliases import AliasTable
from graphkit.coref import load_coref_rules, resolve_coreferences
from graphkit.mentions import extract_mentions, names_after_kinds, retype_mentions, sentence_spans
from graphkit.model import DocResult, Document, Mention, RawRelation, Sentence
from graphkit.relations import LABELS, MENTION_ATTR, Match, RelationFinder, merge_mentions

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["Extractor", "combine_pieces", "PieceResult"]

_COORD_WORDS = frozenset({"et", "ou", ","})
_COORD_PREPS = frozenset({"en", "au", "aux", "à", "dans", "de", "du", "d'", "avec", "chez"})


@dataclass(frozen=True)
class PieceResult:
    """Extraction of one piece of a document, indices local to the piece."""

    sentences: list[tuple[int, int]]
    mentions: list[Mention]
    relations: list[RawRelation]


def _mention_of(token: Token) -> int:
    return int(token._.get(MENTION_ATTR))


def _compatible(a: str, b: str) -> bool:
    """Coordinated names: a person goes with persons; companies, products and places mix,
    since the small models often mistake one for another."""
    return (a == "PER") == (b == "PER")


def _coordinated(token: Token, exclude: frozenset[int] = frozenset()) -> list[Token]:
    """The entity tokens coordinated with ``token``, itself included, in text order.

    Uses the parse (``conj``) and, since small models often miss it, the
    surface: « A, B et C », « au Royaume-Uni et en Europe ». A bare comma
    chain counts only when an « et »/« ou » closes it. Tokens in ``exclude``
    (the source of an attribution, « d'après Reuters, A et B ») never join.
    """
    label = token.ent_type_
    group = {token.i: token}
    root = token
    while root.dep_ == "conj" and _mention_of(root.head) >= 0 and root.head.i != root.i:
        root = root.head
    if _mention_of(root) >= 0 and _compatible(root.ent_type_, label):
        group[root.i] = root
    for child in root.subtree:
        conjunct = child.dep_ == "conj" and child.head.i in group
        if conjunct and _mention_of(child) >= 0 and _compatible(child.ent_type_, label):
            group[child.i] = child
    doc = token.doc
    pending: list[Token] = []
    i = token.i + 1
    while i < len(doc):
        link = doc[i]
        if link.lower_ not in _COORD_WORDS:
            break
        j = i + 1
        while (
            j < len(doc)
            and (doc[j].lower_ in _COORD_PREPS or doc[j].pos_ == "DET")
            and _mention_of(doc[j]) < 0
        ):
            j += 1
        if j >= len(doc) or _mention_of(doc[j]) < 0 or not _compatible(doc[j].ent_type_, label):
            break
        pending.append(doc[j])
        if link.lower_ in ("et", "ou"):
            for item in pending:
                group[item.i] = item
            pending = []
        i = j + 1
    return [group[k] for k in sorted(group) if k not in exclude or k == token.i]


def _anchor(doc: Doc, match: Match) -> Token:
    """The word that states a match: its trigger, else its subject."""
    return doc[match.trigger if match.trigger is not None else match.subject]


class Extractor:
    """Everything needed to turn parsed documents into :class:`DocResult` records.

    Built once per pipeline: the compiled rules, the alias table and the
    lexicon of common words used by the noise filter.
    """

    def __init__(self, finder: RelationFinder, aliases: AliasTable, lexicon: frozenset[str]) -> None:
        self.finder = finder
        self.aliases = aliases
        self.lexicon = lexicon
        self.suppresses = {k: frozenset(v) for k, v in finder.ruleset.suppresses.items()}
        self.kind_types = {noun: kind.types for noun, kind in load_coref_rules().kinds.items()}
        self.kind_nouns = frozenset(self.kind_types)

    def piece(self, doc: Doc, *, offset: int = 0) -> PieceResult:
        """Extract one parsed piece whose text starts at ``offset`` in its document."""
        sentences = [(s + offset, e + offset) for s, e in sentence_spans(doc)]
        mentions = extract_mentions(doc, sentences, lexicon=self.lexicon, offset=offset)
        mentions += names_after_kinds(doc, mentions, sentences, kind_types=self.kind_types, offset=offset)
        mentions = retype_mentions(doc, mentions, kind_types=self.kind_types, offset=offset)
        mentions = resolve_coreferences(doc, mentions, aliases=self.aliases, offset=offset)
        merge_mentions(doc, mentions, offset=offset, kinds=self.kind_nouns)
        relations = self._relations(doc, mentions, sentences, offset)
        return PieceResult(sentences, mentions, relations)

    def _relations(
        self, doc: Doc, mentions: list[Mention], sentences: list[tuple[int, int]], offset: int
    ) -> list[RawRelation]:
        starts = [s for s, _ in sentences]
        matches = list(self.finder.matches(doc))
        stated_in = {sent.start: sent for sent in (_anchor(doc, match).sent for match in matches)}
        sources = self.finder.attribution_source(stated_in[start] for start in sorted(stated_in))
        found: dict[tuple[int, str, int, int], RawRelation] = {}
        for match in matches:
            for relation in self._expand(doc, match, starts, offset, sources):
                key = (relation.source, relation.label, relation.target, relation.sent)
                if key not in found or relation.rule < found[key].rule:
                    found[key] = relation
        kept = []
        for (source, label, target, sent), relation in sorted(found.items()):
            hidden_by = [
                other
                for other, hidden in self.suppresses.items()
                if label in hidden
                and any(
                    (s, o) in ((source, target), (target, source)) and lab == other and se == sent
                    for s, lab, o, se in found
                )
            ]
            if not hidden_by:
                kept.append(relation)
        return kept

    def _expand(
        self, doc: Doc, match: Match, starts: list[int], offset: int, sources: dict[int, int]
    ) -> list[RawRelation]:
        subject, obj = doc[match.subject], doc[match.object]
        trigger = doc[match.trigger] if match.trigger is not None else None
        anchor = _anchor(doc, match)
        sent = bisect.bisect_right(starts, anchor.idx + offset) - 1
        modality = self.finder.modality(trigger, local=match.local)
        source = sources.get(anchor.sent.start)
        excluded = frozenset(t.i for t in anchor.sent if source is not None and _mention_of(t) == source)
        relations = []
        for s_token in _coordinated(subject, excluded):
            for o_token in _coordinated(obj, excluded):
                s, o = _mention_of(s_token), _mention_of(o_token)
                if s < 0 or o < 0 or s == o:
                    continue
                if LABELS[match.label] and s_token.i == o_token.i:
                    continue
                attributed = source if source is not None and source not in (s, o) else None
                relations.append(RawRelation(s, match.label, o, sent, match.rule, modality, attributed))
        return relations

    def document(self, document: Document, pieces: Sequence[tuple[int, Doc]]) -> DocResult:
        """Extract a whole document from its parsed pieces ``(offset, doc)``."""
        return combine_pieces(document, [self.piece(doc, offset=offset) for offset, doc in pieces])


def combine_pieces(document: Document, pieces: Sequence[PieceResult]) -> DocResult:
    """One :class:`DocResult` from the results of a document's pieces, indices shifted."""
    sentences: list[tuple[int, int]] = []
    mentions: list[Mention] = []
    relations: list[RawRelation] = []
    for piece in pieces:
        m_base, s_base = len(mentions), len(sentences)
        sentences.extend(piece.sentences)
        for mention in piece.mentions:
            mentions.append(
                replace(
                    mention,
                    sent=mention.sent + s_base,
                    antecedent=None if mention.antecedent is None else mention.antecedent + m_base,
                )
            )
        for relation in piece.relations:
            relations.append(
                replace(
                    relation,
                    source=relation.source + m_base,
                    target=relation.target + m_base,
                    sent=relation.sent + s_base,
                    attributed_to=None if relation.attributed_to is None else relation.attributed_to + m_base,
                )
            )
    named: dict[int, int] = {}
    for mention in mentions:
        if mention.reason != "dropped":
            named[mention.sent] = named.get(mention.sent, 0) + 1
    records = tuple(
        Sentence(start, end, document.text[start:end] if named.get(i, 0) >= 2 else "")
        for i, (start, end) in enumerate(sentences)
    )
    return DocResult(document.name, document.meta, records, tuple(mentions), tuple(relations))
