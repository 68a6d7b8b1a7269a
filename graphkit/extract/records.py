"""Records out of the extraction: the only place that turns what was found into plain data.

:func:`relation_records` makes :class:`~graphkit.model.RawRelation` records
of one sentence's relations; :func:`combine_pieces` joins the results of a
long document's pieces into one :class:`~graphkit.model.DocResult`, indices
shifted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from graphkit.extract.relations import Found
from graphkit.model import DocResult, Document, Mention, RawRelation, Sentence

__all__ = ["PieceResult", "relation_records", "combine_pieces"]


@dataclass(frozen=True)
class PieceResult:
    """Extraction of one piece of a document, indices local to the piece."""

    sentences: list[tuple[int, int]]
    mentions: list[Mention]
    relations: list[RawRelation]


def relation_records(found: Iterable[Found], sent: int) -> list[RawRelation]:
    """Records of the relations found in sentence number ``sent``."""
    return [
        RawRelation(
            f.source, f.label, f.target, sent, f.frame, f.modality, f.attributed_to, "; ".join(f.steps)
        )
        for f in found
    ]


def combine_pieces(document: Document, pieces: Sequence[PieceResult]) -> DocResult:
    """One :class:`DocResult` from the results of a document's pieces, indices shifted.

    Offsets are in the file's text (a section's pieces start at its
    ``offset``). Sentences that name fewer than two entities keep only their
    offsets: no edge can cite them, so their text is not carried along.
    """
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
    for relation in relations:  # a relation to the article's main entity may name one entity only
        named[relation.sent] = max(named.get(relation.sent, 0), 2)
    base = document.offset
    records = tuple(
        Sentence(start, end, document.text[start - base : end - base] if named.get(i, 0) >= 2 else "")
        for i, (start, end) in enumerate(sentences)
    )
    return DocResult(
        document.name, document.meta, records, tuple(mentions), tuple(relations), document.section
    )
