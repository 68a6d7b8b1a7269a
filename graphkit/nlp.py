"""Load the spaCy pipeline and stream documents through it.

The pipeline is the installed French model (``fr_core_news_md`` by default)
plus a component after the NER that matches the alias table's names, so that
well-known names get their canonical identity and type. Every component of
the French models is used by the extraction (tokens, POS and morphology,
lemmas, dependency parse, entities); ``senter`` is off, as in the shipped
config, since the parser sets sentence boundaries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar

import numpy as np
from spacy.language import Language

from graphkit.aliases import AliasTable
from graphkit.errors import ModelError
from graphkit.model import DEFAULT_MODEL

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

__all__ = [
    "DEFAULT_MODEL",
    "BATCH_SIZE",
    "load_pipeline",
    "annotate",
    "set_sentence_starts",
    "MAX_SENTENCE_CHARS",
]

BATCH_SIZE = 32
T = TypeVar("T")
SENTENCE_ENDS = frozenset({".", "!", "?", "…", "...", "?!", "!?", "!!", "??"})
CLOSING = frozenset({"»", '"', "”", ")", "]", "'", "’"})
CLAUSE_ENDS = frozenset({",", ";", ":", "—", "–", "-"})
MAX_SENTENCE_CHARS = 500
"""Longest sentence, in characters, unless one word is longer; a longer one is cut at a clause mark."""


CLITICS = frozenset(
    [
        "il",
        "elle",
        "ils",
        "elles",
        "on",
        "t",
        "je",
        "tu",
        "nous",
        "vous",
        "le",
        "la",
        "les",
        "moi",
        "toi",
        "lui",
        "leur",
        "y",
        "en",
        "là",
        "ci",
        "ce",
    ]
)


@Language.component("graphkit_compounds", assigns=["token.text"])
def join_compounds(doc: Doc) -> Doc:
    """Re-join hyphenated compounds the tokenizer split (« start-up », « joint-venture »).

    ``word - word`` with no space around the hyphen becomes one token, unless
    the second part is a clitic (« a-t-il », « est-ce »). Offsets do not move.
    """
    spans = []
    i = 0
    while i + 2 < len(doc):
        left, hyphen, right = doc[i], doc[i + 1], doc[i + 2]
        if (
            hyphen.text == "-"
            and not left.whitespace_
            and not hyphen.whitespace_
            and left.text.isalpha()
            and right.text.isalpha()
            and right.lower_ not in CLITICS
        ):
            end = i + 3
            while (
                end + 1 < len(doc)
                and doc[end].text == "-"
                and not doc[end - 1].whitespace_
                and not doc[end].whitespace_
                and doc[end + 1].text.isalpha()
                and doc[end + 1].lower_ not in CLITICS
            ):
                end += 2
            spans.append(doc[i:end])
            i = end
        else:
            i += 1
    if spans:
        with doc.retokenize() as retokenizer:
            for span in spans:
                retokenizer.merge(span)
    return doc


_VERB_ENDINGS = (
    ("èrent", "er"),
    ("eraient", "er"),
    ("erions", "er"),
    ("eriez", "er"),
    ("erons", "er"),
    ("eront", "er"),
    ("erais", "er"),
    ("erait", "er"),
    ("aient", "er"),
    ("assent", "er"),
    ("era", "er"),
    ("ions", "er"),
    ("iez", "er"),
    ("ons", "er"),
    ("ent", "er"),
    ("ais", "er"),
    ("ait", "er"),
    ("ant", "er"),
    ("ées", "er"),
    ("és", "er"),
    ("ée", "er"),
    ("ez", "er"),
    ("es", "er"),
    ("é", "er"),
    ("e", "er"),
    ("issent", "ir"),
    ("issait", "ir"),
    ("issant", "ir"),
    ("issons", "ir"),
    ("it", "ir"),
    ("is", "ir"),
    ("ie", "ir"),
    ("ies", "ir"),
    ("i", "ir"),
)


def _verb_lemma(word: str, verbs: frozenset[str]) -> str | None:
    """A known verb lemma for an inflected form, by ending (« préside » -> « présider »)."""
    for ending, infinitive in _VERB_ENDINGS:
        if word.endswith(ending):
            candidate = word[: len(word) - len(ending)] + infinitive
            if candidate in verbs:
                return candidate
            if ending in ("èrent",) or "è" in word:  # « achète » -> « acheter »
                candidate = candidate.replace("è", "e")
                if candidate in verbs:
                    return candidate
    return None


@Language.factory("graphkit_lemmas", assigns=["token.lemma"])
def make_lemma_repair(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """Repair verb lemmas the lemmatizer got wrong (« préside » -> « préside », « implante » -> « impler »).

    A verb whose lemma is its own form, or no verb the lemmatizer's index
    knows, gets the infinitive its regular French ending points to, kept
    only when the index knows that verb.
    """
    verbs: frozenset[str] = frozenset()
    if "lemmatizer" in nlp.pipe_names:
        lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
        if lookups is not None and lookups.has_table("lemma_index"):
            verbs = frozenset(lookups.get_table("lemma_index").get("verb", []))
        if lookups is not None and lookups.has_table("lemma_exc"):
            irregular = lookups.get_table("lemma_exc").get("verb", {})
            verbs |= {lemma for lemmas in irregular.values() for lemma in lemmas}

    def repair(doc: Doc) -> Doc:
        for token in doc:
            if token.pos_ in ("VERB", "AUX", "ADJ") and (
                token.lemma_ == token.lower_ or (token.pos_ == "VERB" and token.lemma_ not in verbs)
            ):
                lemma = _verb_lemma(token.lower_, verbs)
                if lemma is not None:
                    token.lemma_ = lemma
        return doc

    return repair


class AliasEntities:
    """Make the alias table's names entities, unless the NER found a longer name around them.

    « Commission fédérale des communications » becomes the FCC whatever the
    NER said, but « France » inside « Banque de France » or « Air France »
    stays part of that name. A match as long as or longer than the NER
    entities it overlaps replaces them. Names are found by two
    ``PhraseMatcher`` (exact case for acronyms, lower case for the rest),
    whose cost does not grow with the size of the table.
    """

    def __init__(self, vocab: Vocab) -> None:
        from spacy.matcher import PhraseMatcher

        self.vocab = vocab
        self.matchers = {True: PhraseMatcher(vocab, attr="ORTH"), False: PhraseMatcher(vocab, attr="LOWER")}
        self.targets: dict[int, tuple[str, str]] = {}  # match key -> (type, canonical)

    def add(self, canonical: str, label: str, words: Sequence[str], case_sensitive: bool) -> None:
        """Match ``words`` (whole tokens) as the entity ``canonical`` of type ``label``."""
        from spacy.tokens import Doc

        key = f"{label} {canonical}"
        self.targets[self.vocab.strings.add(key)] = (label, canonical)
        phrase = list(words) if case_sensitive else [w.lower() for w in words]
        self.matchers[case_sensitive].add(key, [Doc(self.vocab, words=phrase)])

    def _matches(self, doc: Doc) -> list[tuple[int, int, str, str]]:
        """Distinct ``(start, end, type, canonical)`` matches in span order."""
        strings = self.vocab.strings
        found = {
            (start, end, *self.targets[key])
            for matcher in self.matchers.values()
            for key, start, end in matcher(doc)
        }
        return sorted(found, key=lambda m: (m[0], m[1], strings[m[2]], strings[m[3]]))

    def __call__(self, doc: Doc) -> Doc:
        from spacy.tokens import Span

        matches = self._matches(doc)
        if not matches:
            return doc
        ents = list(doc.ents)
        kept: list[tuple[int, int, str, str]] = []
        for match in sorted(matches, key=lambda m: (-(m[1] - m[0]), m[0])):
            start, end = match[0], match[1]
            inside_longer = any(
                e.start <= start and end <= e.end and e.end - e.start > end - start for e in ents
            )
            clashes = any(k[0] < end and start < k[1] for k in kept)
            if not inside_longer and not clashes:
                kept.append(match)
        ents = [e for e in ents if not any(k[0] < e.end and e.start < k[1] for k in kept)]
        ents += [Span(doc, start, end, label=label, span_id=name) for start, end, label, name in kept]
        doc.ents = sorted(ents, key=lambda e: e.start)
        return doc


@Language.factory("graphkit_alias_entities", assigns=["doc.ents"])
def make_alias_entities(nlp: Language, name: str) -> AliasEntities:
    """The alias component, empty; :func:`load_pipeline` adds the table's names."""
    return AliasEntities(nlp.vocab)


@Language.component("graphkit_sentences", assigns=["token.is_sent_start"])
def set_sentence_starts(doc: Doc) -> Doc:
    """Set every sentence boundary before the parser runs, which then keeps to them.

    A sentence ends after « . », « ! », « ? » or « … » (and any closing quote
    or bracket that follows), and at every line break: headlines, captions
    and list items carry no final full stop. A sentence longer than
    :data:`MAX_SENTENCE_CHARS` is cut (:func:`_bound_sentences`). The small French models'
    parser otherwise cuts short news sentences in odd places.
    """
    from spacy.attrs import IDX, IS_SPACE, ORTH, SENT_START

    strings = doc.vocab.strings
    clause_ends = {strings.add(word) for word in CLAUSE_ENDS}
    table = doc.to_array([ORTH, IS_SPACE]).tolist()
    ends = {strings.add(word) for word in SENTENCE_ENDS}
    closing = {strings.add(word) for word in CLOSING}
    line_breaks = {orth for orth, space in table if space and "\n" in strings[orth]}
    starts = []
    after_end = True
    for orth, space in table:
        if space:
            after_end = after_end or orth in line_breaks
            starts.append(-1)
        elif after_end and orth not in closing:
            starts.append(1)
            after_end = orth in ends
        else:
            starts.append(-1)
            after_end = after_end or orth in ends
    if starts:
        starts[0] = 1
        _bound_sentences(starts, doc.to_array([IDX]).tolist(), [len(t) for t in doc], table, clause_ends)
        # spaCy reads every column as uint64: -1 ("not a start") goes in as its two's complement.
        doc.from_array([SENT_START], np.array(starts, dtype="int64").astype("uint64").reshape(-1, 1))  # type: ignore[arg-type]
    return doc


def _bound_sentences(
    starts: list[int], idx: list[int], lengths: list[int], table: list[list[int]], clause_ends: set[int]
) -> None:
    """Cut sentences longer than :data:`MAX_SENTENCE_CHARS` in ``starts``, in place.

    The cut falls after the last clause mark (« , », « ; », « : », a dash) that
    keeps the sentence under the bound, else before the word that passes it.
    Text with no full stop (a transcript, a list run into one line) then
    gives sentences of bounded size: co-occurrence links entities named near
    each other, not every pair of a long text, and evidence stays short.
    """
    first = 0  # the current sentence's first token
    after_clause = None  # the first word after the current sentence's last clause mark
    pending = False
    for i, (orth, space) in enumerate(table):
        if starts[i] == 1:
            first, after_clause, pending = i, None, False
        elif space:
            continue
        elif idx[i] + lengths[i] - idx[first] > MAX_SENTENCE_CHARS and i > first:
            first = after_clause if after_clause is not None else i
            starts[first] = 1
            after_clause, pending = None, False
        elif pending:
            after_clause, pending = i, False
        pending = pending or orth in clause_ends


GLUED_SENTENCE_END = r"(?<=[A-Za-zÀ-ÿ0-9]{2})\.(?=[A-ZÀ-Ý][a-zà-ÿ])"
"""A full stop with no space after it, between a word and a capitalised word (« 100 MW.Matthieu »)."""


def _split_glued_sentences(nlp: Language) -> None:
    """Let the tokenizer split « partenaires.Miguel » at the full stop, so that a sentence ends there."""
    from spacy.util import compile_infix_regex

    infixes = [*(nlp.Defaults.infixes or ()), GLUED_SENTENCE_END]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer  # type: ignore[union-attr]


def _install_hint(name: str) -> str:
    return f"pip install {name.replace('_', '-')}"


def load_pipeline(name: str = DEFAULT_MODEL, *, aliases: AliasTable | None = None) -> Language:
    """Load a spaCy pipeline by package name or path and add the alias ruler.

    Raises
    ------
    ModelError
        If the pipeline is not installed, with the command that installs it.
    """
    import spacy

    try:
        nlp = spacy.load(name, exclude=["senter"])
    except OSError:
        raise ModelError(
            f"spaCy pipeline '{name}' is not installed; install it with: {_install_hint(name)}"
        ) from None
    missing = {"parser", "ner"} - set(nlp.pipe_names)
    if missing:
        raise ModelError(
            f"spaCy pipeline '{name}' has no {', '.join(sorted(missing))}; graphkit needs a "
            "pipeline with a parser and an entity recognizer"
        )
    _split_glued_sentences(nlp)
    nlp.add_pipe("graphkit_compounds", first=True)
    nlp.add_pipe("graphkit_sentences", before="parser")
    if "lemmatizer" in nlp.pipe_names:
        nlp.add_pipe("graphkit_lemmas", after="lemmatizer")
    if aliases is not None and aliases.entries:
        component = nlp.add_pipe("graphkit_alias_entities", after="ner")
        for canonical, label, words, case_sensitive in aliases.phrases():
            component.add(canonical, label, words, case_sensitive)  # type: ignore[attr-defined]
    return nlp


def annotate(
    nlp: Language,
    items: Iterable[tuple[str, T]],
    *,
    batch_size: int = BATCH_SIZE,
) -> Iterator[tuple[Doc, T]]:
    """Stream ``(text, context)`` pairs through ``nlp.pipe``; yields ``(doc, context)``."""
    yield from nlp.pipe(items, as_tuples=True, batch_size=batch_size)
