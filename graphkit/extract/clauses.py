"""A sentence made ready for the frames: a Doc of its own whose entity phrases are single tokens.

Each mention of the sentence (a name, a resolved description, a pronoun or
a possessive) becomes one token standing for it (:class:`~graphkit.extract.tree.Ref`).
A name right after a kind noun (« le conglomérat chinois Fosun », « la
start-up Yooji ») takes the whole phrase, rooted at the kind noun, which the
parser attaches far more reliably than an unknown name; the other words of a
phrase are re-attached to its root first, so that a name split over two arcs
does not pull the phrase elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from graphkit.extract.frames import FrameSet
from graphkit.extract.tree import Clause, Ref
from graphkit.model import Mention
from graphkit.normalize import fold

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["MentionIndex", "clause_of", "sentence_doc"]

ARRAY_KEY = "graphkit_sentence_array"


class MentionIndex:
    """Mentions sorted by start, so that finding a sentence's costs the number of its mentions."""

    def __init__(self, mentions: Sequence[Mention]) -> None:
        self.mentions = mentions
        self.order = sorted(range(len(mentions)), key=lambda i: (mentions[i].start, i))
        self.starts = [mentions[i].start for i in self.order]

    def within(self, start: int, end: int) -> list[int]:
        """Indices, in order, of the mentions between character offsets ``start`` and ``end``."""
        from bisect import bisect_left, bisect_right

        found = self.order[bisect_left(self.starts, start) : bisect_right(self.starts, end)]
        return sorted(i for i in found if self.mentions[i].end <= end)


def sentence_doc(sent: Span) -> Doc:
    """The sentence as a Doc of its own, as ``Span.as_doc`` makes it, in time linear in the sentence.

    The Doc's attribute array and entity bounds are read once per Doc;
    ``Span.as_doc`` reads all of the Doc's entities for each sentence, which
    made a long piece cost the square of its length.
    """
    from bisect import bisect_left

    from spacy.attrs import ENT_IOB, intify_attr
    from spacy.tokens import Doc
    from spacy.tokens.doc import DOCBIN_ALL_ATTRS

    whole = sent.doc
    cached = whole.user_data.get(ARRAY_KEY)
    if cached is None:
        attrs = [intify_attr(name) for name in DOCBIN_ALL_ATTRS]
        bounds = [(e.start, e.end) for e in whole.ents]
        cached = (attrs, whole.to_array(attrs), bounds, [start for start, _end in bounds])
        whole.user_data[ARRAY_KEY] = cached
    attrs, array, bounds, starts = cached
    tokens = whole[sent.start : sent.end]
    doc = Doc(whole.vocab, words=[t.text for t in tokens], spaces=[bool(t.whitespace_) for t in tokens])
    part = array[sent.start : sent.end].copy()
    iob = attrs.index(intify_attr(ENT_IOB))
    if len(part) and part[0][iob] == 1:  # an entity begun before the sentence: begin it here
        part[0][iob] = 3
    doc.from_array(attrs, part)  # type: ignore[arg-type]
    inside = set()
    for start, end in bounds[bisect_left(starts, sent.start) :]:
        if end > sent.end:
            break
        inside.add((start - sent.start, end - sent.start))
    ents = doc.ents
    if ents and (ents[0].start, ents[0].end) not in inside:  # a partial entity at either end is left out
        doc.set_ents([], missing=[ents[0]], default="unmodified")
    if ents and (ents[-1].start, ents[-1].end) not in inside:
        doc.set_ents([], missing=[ents[-1]], default="unmodified")
    return doc


def _kind_start(doc: Doc, start: int, kinds: frozenset[str], genitive: frozenset[str]) -> int:
    """Start of the description a name at ``start`` stands after, that the name takes in: « le
    conglomérat chinois Fosun », « le fabricant de batteries Verkor », « le japonais Suntory », or
    « le club de Valence » (a kind that names its complement); else ``start``."""
    j = start - 1
    if j >= 1 and doc[j].lower_ in ("de", "d'") and fold(doc[j - 1].lemma_) in genitive:
        j -= 1
        kind = j
        if kind > 0 and doc[kind - 1].lower_ in ARTICLES:
            kind -= 1
        return kind
    lowercase_word = doc[j].text.islower() and doc[j].pos_ in ("NOUN", "ADJ", "PROPN")
    if j >= 1 and lowercase_word and doc[j - 1].lower_ in ARTICLES:
        return j - 1  # « le japonais Suntory », « l'équipementier Kappa »: one word before the name
    while j >= 0 and start - j <= 6:
        if doc[j].pos_ == "ADJ" and doc[j].text.islower():
            j -= 1
        elif doc[j].pos_ == "NOUN" and doc[j].text.islower() and j >= 1 and doc[j - 1].lower_ in ("de", "d'"):
            j -= 2  # « le fabricant de batteries Verkor », « l'éditeur britannique de logiciels Aveva »
        else:
            break
    if (
        j < 0
        or doc[j].pos_ not in ("NOUN", "PROPN")
        or not (fold(doc[j].text) in kinds or fold(doc[j].lemma_) in kinds)
    ):
        return start
    kind = j
    if kind > 0 and doc[kind - 1].lower_ in ARTICLES:
        kind -= 1
    return kind


ARTICLES = frozenset({"le", "la", "l'", "les", "un", "une", "ce", "cet", "cette"})
"""Determiners a name takes in with its description; « du », « au » are prepositions too, and stay out."""


def _root_first(span: Span, root: Token) -> None:
    """Make ``root`` the only word of ``span`` that depends on a word outside it, so that the merged
    token sits where ``root`` does. Nothing changes when that would break the tree (a cycle, or a
    span that holds the sentence's root elsewhere)."""
    doc = span.doc
    inside = range(span.start, span.end)
    if any(t.head.i == t.i for t in span) and root.head.i != root.i:
        return  # the span holds the root of the sentence: leave the parse alone
    if root.head.i in inside and root.head.i != root.i:
        outer = next((t for t in span if t.head.i not in inside), None)
        if outer is None:
            return
        new_head, new_dep = outer.head.i, outer.dep_
    else:
        new_head, new_dep = root.head.i, root.dep_
    heads = {t.i: root.i for t in span if t.i != root.i}
    heads[root.i] = new_head
    node, seen = new_head, 0
    while node not in inside and doc[node].head.i != node and seen < len(doc):
        node = heads.get(node, doc[node].head.i)
        seen += 1
    if node in inside:
        return  # re-attaching would make a cycle
    for token in span:
        if token.i != root.i and token.head.i != root.i:
            token.head = root
    if root.head.i != new_head:
        root.head = doc[new_head]
        root.dep_ = new_dep


def clause_of(
    sent: Span,
    index: int,
    mentions: Sequence[Mention],
    *,
    within: Sequence[int],
    offset: int,
    frames: FrameSet,
    kinds: frozenset[str],
    genitive: frozenset[str] = frozenset(),
    main: int | None,
) -> Clause | None:
    """The :class:`Clause` of sentence ``sent`` (number ``index`` of its piece), or None when
    no frame can fire in it (no trigger word, or no mention). ``within`` are the indices, in
    order, of the mentions inside the sentence (:meth:`MentionIndex.within`)."""
    from spacy.tokens import Span
    from spacy.util import filter_spans

    words = frames.index
    if not any(t.lower_ in words or t.lemma_.lower() in words for t in sent):
        return None
    start_char = sent.start_char
    members = [(i, mentions[i]) for i in within if mentions[i].reason != "dropped"]
    if not members:
        return None
    doc = sentence_doc(sent)
    units: list[tuple[Span, int, Token]] = []
    for i, mention in members:
        span = doc.char_span(
            mention.start - offset - start_char, mention.end - offset - start_char, alignment_mode="expand"
        )
        if span is None or not len(span):
            continue
        root = next(
            (t for t in span if t.head.i not in range(span.start, span.end) or t.head.i == t.i), span.root
        )
        start = span.start
        if mention.antecedent is None or mention.reason == "acronym":
            start = _kind_start(doc, span.start, kinds, genitive)
            if start < span.start:
                root = next((t for t in doc[start : span.start] if t.pos_ in ("NOUN", "PROPN")), span.root)
        kind = fold(root.lemma_) if start < span.start else ""
        units.append((Span(doc, start, span.end, label=mention.label, kb_id=kind), i, root))
    kept = filter_spans([u[0] for u in units])
    keep = {(s.start, s.end) for s in kept}
    units = [u for u in units if (u[0].start, u[0].end) in keep]
    units.sort(key=lambda u: u[0].start)
    for span, _i, root in units:
        _root_first(span, root)
    doc.ents = [Span(doc, span.start, span.end, label=span.label_) for span, _i, _r in units]
    with doc.retokenize() as retokenizer:
        for span, _i, root in units:
            if len(span) > 1:
                retokenizer.merge(
                    span,
                    attrs={
                        "LEMMA": root.lemma_ if root.pos_ == "NOUN" else span.text,
                        "POS": "PROPN" if root.pos_ != "PRON" and root.pos_ != "DET" else root.pos_,
                    },
                )
    refs: dict[int, Ref] = {}
    kind_of: dict[int, str] = {}
    shift = 0
    for span, i, _root in units:
        if span.kb_id_:
            kind_of[span.start - shift] = span.kb_id_
        mention = mentions[i]
        step = ""
        if mention.antecedent is not None and mention.reason != "acronym":
            target = mention.antecedent
            while mentions[target].antecedent is not None and mentions[target].reason != "acronym":
                target = mentions[target].antecedent  # type: ignore[assignment]
            step = f"coreference: {mention.text} → {mentions[target].text}"
            i = target
        refs[span.start - shift] = Ref(i, step)
        shift += len(span) - 1
    return Clause(doc, refs, frames.grammar, main, kind_of, kinds)
