"""Entity mentions of a parsed document: spaCy entities minus the noise French news is full of.

:func:`extract_mentions` turns a ``Doc`` into :class:`~graphkit.model.Mention`
records with character offsets and sentence indices. :func:`is_noise` drops
entities that are not names: elided articles, words without a capital,
pronoun- or verb-led phrases (« Je m'inscris », « Votre adresse »), and a lone
capitalised common word or verb at the start of a line or sentence
(« Difficile de … », « Publier »), unless the same word is capitalised
elsewhere in the text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphkit.model import ENTITY_TYPES, Mention

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

__all__ = [
    "sentence_spans",
    "extract_mentions",
    "is_noise",
    "common_words",
    "retype_mentions",
    "names_after_kinds",
]

_TIME_WORDS = frozenset(
    [
        "lundi",
        "mardi",
        "mercredi",
        "jeudi",
        "vendredi",
        "samedi",
        "dimanche",
        "hier",
        "demain",
        "aujourd'hui",
        "soir",
        "matin",
    ]
)
_LEADING_POS = frozenset({"PRON", "VERB", "AUX", "ADP", "CCONJ", "SCONJ", "ADV", "INTJ"})


class Lexicon(frozenset[str]):
    """Lowercase common words known to the lemmatizer; ``verbs`` are the verb lemmas among them."""

    verbs: frozenset[str] = frozenset()


def common_words(nlp: Language) -> Lexicon:
    """Lowercase common words (nouns, verbs, adjectives, adverbs) known to the lemmatizer."""
    words: set[str] = set()
    verbs: set[str] = set()
    if "lemmatizer" in nlp.pipe_names:
        lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
        if lookups is not None and lookups.has_table("lemma_index"):
            table = lookups.get_table("lemma_index")
            for key in table:
                words.update(table[key])
            verbs.update(table.get("verb", []))
        if lookups is not None and lookups.has_table("lemma_exc"):
            irregular = lookups.get_table("lemma_exc").get("verb", {})
            verbs.update(lemma for lemmas in irregular.values() for lemma in lemmas)
            words.update(verbs)
    lexicon = Lexicon(words)
    lexicon.verbs = frozenset(verbs)
    return lexicon


def sentence_spans(doc: Doc) -> list[tuple[int, int]]:
    """Character ``(start, end)`` of each sentence, surrounding whitespace excluded."""
    spans = []
    text = doc.text
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        spans.append((start, end))
    return spans


def _starts_line_or_sentence(token: Token) -> bool:
    if token.is_sent_start:
        return True
    previous = token.doc[token.i - 1]
    return (
        "\n" in previous.text
        or "\n" in previous.whitespace_
        or previous.is_punct
        and (previous.is_sent_start or "\n" in token.doc[max(0, previous.i - 1)].text)
    )


def is_noise(span: Span, *, lexicon: frozenset[str], capitalised_elsewhere: frozenset[str]) -> bool:
    """True when an entity span is not a name.

    Parameters
    ----------
    span : Span
        An entity of the document.
    lexicon : frozenset of str
        Lowercase common French words (see :func:`common_words`).
    capitalised_elsewhere : frozenset of str
        Words seen capitalised inside a sentence (not at its start) in the document.
    """
    text = span.text.strip()
    if span.ent_id_:
        return False
    if not any(c.isalpha() for c in text) or not any(c.isupper() or c.isdigit() for c in text):
        return True
    if text.endswith("'") or len(text) < 2:
        return True
    if len(span) == 1 and text.isupper() and span[0].is_stop:
        return True  # « UN », « LE »: a word in capitals, not an acronym
    first = span[0]
    common = first.is_stop or first.lower_ in lexicon
    if common and (first.pos_ in _LEADING_POS or "Poss=Yes" in str(first.morph)):
        return True
    verbs: frozenset[str] = getattr(lexicon, "verbs", frozenset())
    return (
        len(span) == 1
        and (first.pos_ != "PROPN" or text.lower() in verbs)
        and not text.isupper()
        and text.lower() in lexicon
        and _starts_line_or_sentence(first)
        and text not in capitalised_elsewhere
    )


def _capitalised_inside(doc: Doc) -> frozenset[str]:
    return frozenset(
        t.text
        for t in doc
        if t.text[:1].isupper() and not t.is_sent_start and not _starts_line_or_sentence(t)
    )


def _acronym_after(text: str, end: int) -> tuple[int, int] | None:
    """Character span of « (ACRONYM) » right after position ``end`` of ``text``, or None."""
    at = end
    while at < len(text) and text[at] == " ":
        at += 1
    if at >= len(text) or text[at] != "(":
        return None
    close = text.find(")", at, at + 12)
    word = text[at + 1 : close] if close != -1 else ""
    if 2 <= len(word) <= 10 and word.isupper() and word.replace("-", "").isalnum():
        return at + 1, close
    return None


def _trimmed(span: Span) -> Span:
    """The span without leading lowercase words (« laboratoire Ipsen » -> « Ipsen ») or trailing days.

    The NER sometimes takes the kind noun before a name into the entity;
    the kind noun then stays outside, where it tells the entity's type.
    """
    start, end = span.start, span.end
    while start < end - 1 and span.doc[start].text[:1].islower():
        start += 1
    while end > start + 1 and span.doc[end - 1].lower_ in _TIME_WORDS:
        end -= 1  # « Bayern Munich mardi »
    if (start, end) == (span.start, span.end) or not any(t.text[:1].isupper() for t in span.doc[start:end]):
        return span
    return span.doc[start:end]


def extract_mentions(
    doc: Doc, sentences: list[tuple[int, int]], *, lexicon: frozenset[str], offset: int = 0
) -> list[Mention]:
    """Named-entity mentions of ``doc``, noise removed, in text order.

    An all-caps word in parentheses right after a mention (« Autorité des
    marchés financiers (AMF) ») becomes a mention linked to it with reason
    ``"acronym"``. ``offset`` is added to every character offset (for pieces
    of a long document).
    """
    starts = [s for s, _ in sentences]
    text = doc.text  # built from the tokens on each access
    capitalised = _capitalised_inside(doc)
    mentions: list[Mention] = []
    acronym_spans: dict[tuple[int, int], int] = {}
    entity_starts = {ent.start_char for ent in doc.ents}
    sent_index = 0
    for found in doc.ents:
        if found.label_ not in ENTITY_TYPES:
            continue
        ent = found if found.ent_id_ else _trimmed(found)
        ent.label_ = found.label_
        while sent_index + 1 < len(starts) and starts[sent_index + 1] <= ent.start_char + offset:
            sent_index += 1
        antecedent = acronym_spans.pop((ent.start_char, ent.end_char), None)
        if antecedent is None and is_noise(ent, lexicon=lexicon, capitalised_elsewhere=capitalised):
            continue
        if antecedent is not None and not ent.ent_id_:
            mentions.append(
                Mention(
                    ent.text,
                    mentions[antecedent].label,
                    ent.start_char + offset,
                    ent.end_char + offset,
                    sent_index,
                    None,
                    antecedent,
                    "acronym",
                )
            )
            continue
        mentions.append(
            Mention(
                text=ent.text,
                label=ent.label_,
                start=ent.start_char + offset,
                end=ent.end_char + offset,
                sent=sent_index,
                key=ent.ent_id_ or None,
                reason="alias" if ent.ent_id_ else "ner",
            )
        )
        acronym = _acronym_after(text, ent.end_char)
        if acronym is None:
            continue
        if acronym[0] in entity_starts:
            acronym_spans[acronym] = len(mentions) - 1
        else:  # the acronym is no entity of its own: add it as a mention
            start, end = acronym
            mentions.append(
                Mention(
                    text[start:end],
                    ent.label_,
                    start + offset,
                    end + offset,
                    sent_index,
                    None,
                    len(mentions) - 1,
                    "acronym",
                )
            )
    return mentions


def _kind_before(span: Span, kind_types: dict[str, frozenset[str]]) -> str | None:
    """The type a kind noun right before the name gives it (« le groupe Danone » -> ORG)."""
    from graphkit.normalize import fold

    doc = span.doc
    j = span.start - 1
    while j >= 0 and doc[j].pos_ == "ADJ" and span.start - j <= 3:
        j -= 1
    candidates = []
    if j >= 0 and doc[j].pos_ in ("NOUN", "PROPN"):
        candidates.append(doc[j])
        if j >= 2 and doc[j - 1].lower_ in ("de", "d'") and doc[j - 2].pos_ == "NOUN":
            candidates.append(doc[j - 2])
    for token in candidates:
        forms = [fold(token.text), fold(token.lemma_)]
        if token.i + 1 < span.start:
            forms.insert(0, f"{fold(token.text)} {fold(doc[token.i + 1].text)}")
        for form in forms:
            types = kind_types.get(form)
            if types is not None and len(types) == 1:
                return next(iter(types))
    return None


def retype_mentions(
    doc: Doc, mentions: list[Mention], *, kind_types: dict[str, frozenset[str]], offset: int = 0
) -> list[Mention]:
    """Mentions with types made right and consistent within the document.

    The small models often call a company LOC or PER. A kind noun right
    before the name decides (« la start-up Kinéis », « la ville de Lyon »);
    then every mention of one name takes the type most of them have.
    Alias-table mentions keep the table's type.
    """
    from collections import Counter
    from dataclasses import replace

    from graphkit.normalize import normalize_key

    fixed = []
    for mention in mentions:
        if mention.key is None and mention.antecedent is None:
            span = doc.char_span(mention.start - offset, mention.end - offset, alignment_mode="expand")
            label = _kind_before(span, kind_types) if span is not None else None
            if label is not None and label != mention.label:
                mention = replace(mention, label=label)
        fixed.append(mention)
    votes: dict[str, Counter[str]] = {}
    for mention in fixed:
        if mention.key is None and mention.antecedent is None:
            votes.setdefault(normalize_key(mention.text), Counter())[mention.label] += 1
    result = []
    for mention in fixed:
        counter = votes.get(normalize_key(mention.text))
        if counter and mention.key is None and mention.antecedent is None:
            (best, count), *rest = counter.most_common()
            if not rest or rest[0][1] < count:
                mention = replace(mention, label=best)
        result.append(mention)
    return result


def names_after_kinds(
    doc: Doc,
    mentions: list[Mention],
    sentences: list[tuple[int, int]],
    *,
    kind_types: dict[str, frozenset[str]],
    offset: int = 0,
) -> list[Mention]:
    """Names the NER missed right after a kind noun: « la start-up Kinéis », « le fonds Eurazeo ».

    A noun that fixes one entity type, optionally followed by adjectives,
    then capitalised words (« de », « & » allowed inside): that run is a name
    of that type. Returns only the new mentions (reason ``"kind"``).
    """
    import bisect

    from graphkit.normalize import fold

    taken: set[int] = set()
    for mention in mentions:
        span = doc.char_span(mention.start - offset, mention.end - offset, alignment_mode="expand")
        if span is not None:
            taken.update(range(span.start, span.end))
    starts = [s for s, _ in sentences]
    found = []
    for token in doc:
        if token.pos_ != "NOUN" or token.i in taken:
            continue
        types = kind_types.get(fold(token.text)) or kind_types.get(fold(token.lemma_))
        if types is None or len(types) != 1:
            continue
        i = token.i + 1
        while i < len(doc) and doc[i].pos_ == "ADJ" and doc[i].text[:1].islower() and i - token.i <= 2:
            i += 1
        end = i
        while (
            end < len(doc)
            and end not in taken
            and (
                doc[end].text[:1].isupper()
                and doc[end].is_alpha
                or end > i
                and doc[end].lower_ in ("de", "&", "-")
                and end + 1 < len(doc)
                and doc[end + 1].text[:1].isupper()
            )
        ):
            end += 1
        if end == i or doc[i].is_stop:
            continue
        span = doc[i:end]
        start_char = span.start_char + offset
        sent = bisect.bisect_right(starts, start_char) - 1
        found.append(
            Mention(
                span.text, next(iter(types)), start_char, span.end_char + offset, sent, None, None, "kind"
            )
        )
        taken.update(range(i, end))
    return found
