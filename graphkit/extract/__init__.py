"""The per-document step: a parsed ``Doc`` becomes a small :class:`~graphkit.model.DocResult`.

Find first, then write records (spaCy's way): entity mentions of the whole
Doc, cleaned and typed (:mod:`graphkit.extract.entities`), coreference
(:mod:`graphkit.extract.coref`), then,
sentence by sentence, a :class:`~graphkit.extract.tree.Clause` whose entity
phrases are single tokens, and the frames' relations in it
(:mod:`graphkit.extract.relations`). Records are made once, at the end
(:mod:`graphkit.extract.records`). The ``Doc`` never leaves this package.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from graphkit.aliases import AliasTable
from graphkit.extract.clauses import MentionIndex, clause_of
from graphkit.extract.coref import main_entity, resolve_coreferences
from graphkit.extract.entities import (
    Lexicon,
    after_place_word,
    find_mentions,
    load_entity_rules,
    possible_types,
    sentence_spans,
    type_by_roles,
    type_mentions,
)
from graphkit.extract.frames import FrameSet
from graphkit.extract.records import PieceResult, combine_pieces, relation_records
from graphkit.extract.relations import find_relations
from graphkit.model import DocResult, Document
from graphkit.normalize import fold

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["Extractor", "PieceResult", "combine_pieces"]


class Extractor:
    """Everything needed to turn parsed documents into :class:`DocResult` records.

    Built once per pipeline: the frames, the alias table and the lexicon of
    common words used by the noise filter.
    """

    def __init__(self, frames: FrameSet, aliases: AliasTable, lexicon: Lexicon) -> None:
        self.frames = frames
        self.aliases = aliases
        self.lexicon = lexicon
        self.rules = load_entity_rules()
        self.places = aliases.keys_of_type("LOC")
        self.kind_nouns = frozenset(self.rules.kinds)
        self.relation_nouns = frozenset(
            fold(p[0]) for f in frames.frames if "NOUN" in f.pos for p in f.phrases if p[0].isalpha()
        )

    def piece(self, doc: Doc, *, offset: int = 0) -> PieceResult:
        """Extract one parsed piece whose text starts at ``offset`` in its document."""
        sentences = [(s + offset, e + offset) for s, e in sentence_spans(doc)]
        mentions = find_mentions(doc, sentences, lexicon=self.lexicon, rules=self.rules, offset=offset)
        mentions = type_mentions(doc, mentions, rules=self.rules, places=self.places, offset=offset)
        placed = [after_place_word(doc, m, offset) for m in mentions]
        types = [possible_types(m, self.places, placed=at) for m, at in zip(mentions, placed, strict=True)]
        mentions = resolve_coreferences(
            doc,
            mentions,
            aliases=self.aliases,
            types=types,
            relation_nouns=self.relation_nouns,
            offset=offset,
            placed=frozenset(i for i, at in enumerate(placed) if at),
        )
        types += [
            types[m.antecedent] if m.antecedent is not None else frozenset({m.label})
            for m in mentions[len(types) :]
        ]
        main = main_entity(mentions, types)
        relations = []
        by_start = MentionIndex(mentions)
        for index, sent in enumerate(doc.sents):
            clause = clause_of(
                sent,
                index,
                mentions,
                within=by_start.within(sent.start_char + offset, sent.end_char + offset),
                offset=offset,
                frames=self.frames,
                kinds=self.kind_nouns,
                genitive=self.rules.genitive_kinds,
                main=main,
            )
            if clause is None:
                continue
            relations.extend(
                relation_records(find_relations(clause, self.frames, dict(enumerate(types))), index)
            )
        mentions = type_by_roles(mentions, types, relations, self.rules)
        return PieceResult(sentences, mentions, relations)

    def document(self, document: Document, pieces: Sequence[tuple[int, Doc]]) -> DocResult:
        """Extract a whole document from its parsed pieces ``(offset, doc)``."""
        return combine_pieces(document, [self.piece(doc, offset=offset) for offset, doc in pieces])
