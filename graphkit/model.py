"""Plain records passed between the steps of the pipeline.

These frozen dataclasses hold only strings, numbers and tuples so that they
pickle cheaply (process pools, Dask) and serialise to JSON (cache). This
module imports nothing from spaCy or networkx.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "ENTITY_TYPES",
    "RELATION_LABELS",
    "SYMMETRIC_LABELS",
    "CO_OCCURS",
    "SYMMETRIC_RELATIONS",
    "DEFAULT_MODEL",
    "PAGE_LANGUAGES",
    "Document",
    "Mention",
    "RawRelation",
    "Sentence",
    "DocResult",
    "Entity",
]

ENTITY_TYPES = ("PER", "ORG", "LOC", "MISC")
DEFAULT_MODEL = "fr_core_news_md"  # the spaCy pipeline graphkit uses unless told otherwise
PAGE_LANGUAGES = ("fr", "en")  # languages of graph.html's interface, the default first

RELATION_LABELS: tuple[str, ...] = (
    "owns",
    "acquires",
    "invests_in",
    "partner_of",
    "counterpart_of",
    "competes_with",
    "leads",
    "works_for",
    "founded",
    "located_in",
    "operates_in",
    "urges",
    "targets",
    "sells_on",
)
"""The typed relations of the schema (``spec/relations.md``), in the order exports list them."""

SYMMETRIC_LABELS = frozenset({"partner_of", "counterpart_of", "competes_with"})
"""Typed relations that hold both ways."""

CO_OCCURS = "co_occurs"
"""The relation of two entities named in one sentence."""

SYMMETRIC_RELATIONS = SYMMETRIC_LABELS | {CO_OCCURS}
"""Edge relations that hold both ways: their edges go from the smaller entity name to the larger."""


@dataclass(frozen=True)
class Document:
    """One input document.

    ``text`` is the document as read (decoded, never altered afterwards):
    every evidence offset points into it. ``meta`` holds optional
    ``title``, ``date`` (ISO), ``url`` and ``outlet`` as sorted ``(key, value)`` pairs.

    A text file too long to hold at once is read as consecutive *sections*
    sharing its name and metadata (:data:`graphkit.documents.SECTION_CHARS`):
    ``section`` numbers them from 0 (None for a document read whole) and
    ``offset`` is where ``text`` starts in the file's text, so that evidence
    offsets still point into the whole file.
    """

    name: str
    text: str
    meta: tuple[tuple[str, str], ...] = ()
    offset: int = 0
    section: int | None = None

    @property
    def meta_dict(self) -> dict[str, str]:
        return dict(self.meta)


@dataclass(frozen=True)
class Mention:
    """A named entity (or a phrase resolved to one) found in a document.

    ``start``/``end`` are character offsets of the mention, ``sent`` the index
    of its sentence in :attr:`DocResult.sentences`. ``key`` is the canonical
    name when the alias table knows the surface form. ``antecedent`` is the
    index of the mention a coreferent phrase (« cette Commission ») refers to;
    such mentions never add their surface form to the entity's aliases.
    """

    text: str
    label: str
    start: int
    end: int
    sent: int
    key: str | None = None
    antecedent: int | None = None
    reason: str = "ner"


@dataclass(frozen=True)
class RawRelation:
    """A typed relation between two mentions of one document.

    ``rule`` is the frame that found it, ``steps`` the propagation steps that
    led from the frame's trigger to its arguments (« coordination; relative
    clause »), joined by ``"; "``.
    """

    source: int
    label: str
    target: int
    sent: int
    rule: str
    modality: str | None = None
    attributed_to: int | None = None
    steps: str = ""


@dataclass(frozen=True)
class Sentence:
    """A sentence's character offsets in its document, and its text when it names two entities or more."""

    start: int
    end: int
    text: str = ""


@dataclass(frozen=True)
class DocResult:
    """Everything extracted from one document: small, picklable, cacheable.

    Sentences that name fewer than two entities keep only their offsets: no
    edge can cite them, so their text is not carried along. ``section`` is the
    :attr:`Document.section` the record is of (None for a whole document).
    """

    doc: str
    meta: tuple[tuple[str, str], ...]
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]
    relations: tuple[RawRelation, ...]
    section: int | None = None


@dataclass
class Entity:
    """A canonical entity after the cross-document merge.

    ``doc_mentions`` counts its mentions per document and ``alias_docs``
    lists the documents each alias is written in: what a review needs to
    split the entity by document or by alias.
    ``dates`` and ``outlets`` are those of every document that names it, wire copies included.
    """

    id: str
    type: str
    aliases: set[str] = field(default_factory=set)
    mentions: int = 0
    docs: set[str] = field(default_factory=set)
    merges: list[tuple[str, str]] = field(default_factory=list)
    doc_mentions: dict[str, int] = field(default_factory=dict)
    alias_docs: dict[str, set[str]] = field(default_factory=dict)
    dates: set[str] = field(default_factory=set)
    outlets: set[str] = field(default_factory=set)
