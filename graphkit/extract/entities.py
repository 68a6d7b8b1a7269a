"""Entity mentions of a parsed document: names, cleaned and typed from their context.

:func:`find_mentions` turns a ``Doc`` into :class:`~graphkit.model.Mention`
records with character offsets and sentence indices:

* spaCy's entities (and the alias table's names), their edges mended: a
  lowercase kind noun taken into the name goes back out (« laboratoire
  Ipsen »), capitalised words and a leading alphanumeric cut off are taken
  back in (« 3i Group », « EDF Nouveau Business »), a dateline is cut off
  (« New York - Nike »), a civility is dropped (« M. Parker ») and two names
  the parser split at « et » inside one name are joined (« Maisons et
  Domaines Henriot »);
* names the NER missed right after a kind noun (« la start-up Kinéis »);
* an acronym in parentheses after a name (« … (AMF) »), linked to it;
* never: a word that is not a name (« Publier », « Votre adresse »), a
  nationality (« l'Américain »), a title or generic word (« DG », « BTP »),
  a ministerial portfolio (« ministre de l'Industrie »).

:func:`type_mentions` then gives each name one type in the document, from
what the text says of it (« le groupe X », « X, une start-up », « M. X »,
« X Capital ») before what the NER guessed; the alias table's types win.
"""

from __future__ import annotations

import bisect
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from graphkit.extract.tree import opens_sentence
from graphkit.model import ENTITY_TYPES, Mention, RawRelation
from graphkit.normalize import fold, normalize_key

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

__all__ = [
    "EntityRules",
    "possible_types",
    "after_place_word",
    "Lexicon",
    "common_words",
    "find_mentions",
    "load_entity_rules",
    "sentence_spans",
    "type_by_roles",
    "type_mentions",
]

TIME_WORDS = frozenset(
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
        "soir",
        "matin",
    ]
)
LEADING_POS = frozenset({"PRON", "VERB", "AUX", "ADP", "CCONJ", "SCONJ", "ADV", "INTJ"})
CIVILITIES = frozenset(
    {"m.", "mme", "mme.", "mlle", "me", "me.", "dr", "dr.", "pr", "pr.", "mgr", "mm.", "sir"}
)
STATE_WORDS = frozenset(
    {"etat", "gouvernement", "royaume", "republique", "emirat", "principaute", "grand-duche"}
)
DETERMINERS = frozenset(
    {"le", "la", "les", "l'", "un", "une", "des", "du", "au", "aux", "ce", "cet", "cette"}
)


@dataclass(frozen=True)
class EntityRules:
    """Word lists of the entity step.

    ``kinds`` maps a kind noun (« groupe », « ville ») to the types it gives
    the name it introduces (a product noun, « yaourts », gives MISC);
    ``org_words`` are words that make a name an organisation (« Capital »,
    « Group », « Assurances »); ``not_names`` are words never a name alone
    (« DG », « BTP »); ``person_titles`` are nouns whose complement is a
    portfolio, not an organisation (« ministre »);
    ``org_prefixes`` start names of organisations (« AS Monaco »); the
    subject of a verb is an organisation rather than a place unless the verb
    is one of ``place_verbs`` (« accueillir »);
    ``genitive_kinds`` are kind nouns whose « de » complement names the
    entity itself (« la ville de Lyon », « le club de Valence »);
    ``role_types`` gives, for each relation label, the types its source and
    target may have, in order of preference.
    """

    kinds: dict[str, frozenset[str]]
    org_words: frozenset[str] = frozenset()
    not_names: frozenset[str] = frozenset()
    person_titles: frozenset[str] = frozenset()
    genitive_kinds: frozenset[str] = frozenset()
    org_prefixes: frozenset[str] = frozenset()
    place_verbs: frozenset[str] = frozenset()
    state_words: frozenset[str] = frozenset()
    role_types: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)


@lru_cache(maxsize=1)
def load_entity_rules() -> EntityRules:
    """The entity word lists shipped with graphkit (``rules/entities.fr.json``) and the coreference kinds."""
    from graphkit.extract.coref import load_coref_rules

    raw = json.loads(
        resources.files("graphkit").joinpath("rules/entities.fr.json").read_text(encoding="utf-8")
    )
    return EntityRules(
        kinds={
            **{noun: kind.types for noun, kind in load_coref_rules().kinds.items()},
            **{fold(noun): frozenset({"MISC"}) for noun in raw["product_kinds"]},
        },
        org_words=frozenset(fold(w) for w in raw["org_words"]),
        not_names=frozenset(fold(w) for w in raw["not_names"]),
        person_titles=frozenset(fold(w) for w in raw["person_titles"]),
        genitive_kinds=frozenset(fold(w) for w in raw["genitive_kinds"]),
        org_prefixes=frozenset(fold(w) for w in raw["org_prefixes"]),
        place_verbs=frozenset(raw["place_verbs"]),
        state_words=frozenset(fold(w) for w in raw["state_words"]),
        role_types={
            label: (tuple(source), tuple(target)) for label, (source, target) in raw["role_types"].items()
        },
    )


class Lexicon(frozenset[str]):
    """Lowercase common words known to the lemmatizer; ``verbs`` and ``adjectives`` among them."""

    verbs: frozenset[str] = frozenset()
    adjectives: frozenset[str] = frozenset()
    folded: frozenset[str] = frozenset()


def common_words(nlp: Language) -> Lexicon:
    """Lowercase common words (nouns, verbs, adjectives, adverbs) known to the lemmatizer."""
    words: set[str] = set()
    verbs: set[str] = set()
    adjectives: set[str] = set()
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None) if "lemmatizer" in nlp.pipe_names else None
    if lookups is not None and lookups.has_table("lemma_index"):
        table = lookups.get_table("lemma_index")
        for key in table:
            words.update(table[key])
        verbs.update(table.get("verb", []))
        adjectives.update(table.get("adj", []))
    if lookups is not None and lookups.has_table("lemma_exc"):
        irregular = lookups.get_table("lemma_exc")
        verbs.update(lemma for lemmas in irregular.get("verb", {}).values() for lemma in lemmas)
        adjectives.update(irregular.get("adj", {}))
        words.update(verbs)
    lexicon = Lexicon(words)
    lexicon.verbs = frozenset(verbs)
    lexicon.adjectives = frozenset(adjectives)
    lexicon.folded = frozenset(fold(w) for w in words)
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


# -- is it a name? ------------------------------------------------------------------------------


def _starts_line_or_sentence(token: Token) -> bool:
    if token.is_sent_start or token.i == 0:
        return True
    previous = token.doc[token.i - 1]
    return (
        "\n" in previous.text
        or "\n" in previous.whitespace_
        or previous.is_punct
        and (previous.is_sent_start or "\n" in token.doc[max(0, previous.i - 1)].text)
    )


def _capitalised_inside(doc: Doc) -> frozenset[str]:
    return frozenset(
        t.text
        for t in doc
        if t.text[:1].isupper() and not t.is_sent_start and not _starts_line_or_sentence(t)
    )


def _after_determiner(span: Span) -> bool:
    """Whether a determiner or a number stands right before the span (« les Français », « trois
    Français »)."""
    before = span.doc[span.start - 1] if span.start > 0 else None
    return before is not None and (before.text in DETERMINERS or before.pos_ == "NUM" or before.like_num)


def _is_portfolio(span: Span, rules: EntityRules) -> bool:
    """« le ministre de l'Industrie », « ministre délégué à l'Économie »: a portfolio, not a name."""
    doc = span.doc
    j = span.start - 1
    while j >= 0 and (doc[j].pos_ in ("DET", "ADP") or doc[j].lower_ in ("l'", "d'")) and span.start - j <= 3:
        j -= 1
    while j >= 0 and doc[j].pos_ in ("ADJ", "VERB") and doc[j].text[:1].islower() and span.start - j <= 5:
        j -= 1  # « ministre délégué à »
    return j >= 0 and fold(doc[j].lemma_) in rules.person_titles and span.start - j >= 2


def is_noise(
    span: Span, *, lexicon: Lexicon, capitalised_elsewhere: frozenset[str], rules: EntityRules
) -> bool:
    """True when an entity span is not a name.

    Parameters
    ----------
    span : Span
        An entity of the document.
    lexicon : Lexicon
        Lowercase common French words (see :func:`common_words`).
    capitalised_elsewhere : frozenset of str
        Words seen capitalised inside a sentence (not at its start) in the document.
    rules : EntityRules
        Words never a name alone, and titles whose complement is a portfolio.
    """
    text = span.text.strip()
    if span.ent_id_:
        return False
    if not any(c.isalpha() for c in text) or not any(c.isupper() or c.isdigit() for c in text):
        return True
    if text.endswith("'") or len(text) < 2:
        return True
    if fold(text) in rules.not_names:
        return True
    if len(span) == 1 and text.isupper() and span[0].is_stop:
        return True  # « UN », « LE »: a word in capitals, not an acronym
    first = span[0]
    common = first.is_stop or first.lower_ in lexicon
    if common and (first.pos_ in LEADING_POS or "Poss=Yes" in str(first.morph)):
        return True
    lowered = [t.lower_ for t in span if t.is_alpha]
    lemma = span[0].lemma_.lower()
    if (
        len(span) == 1
        and lowered
        and (lowered[0] in lexicon.adjectives or lemma in lexicon.adjectives)
        and (_after_determiner(span))
    ):
        return True  # « les Français », « l'Américain »: a nationality or a quality
    content = [w for t, w in zip([t for t in span if t.is_alpha], lowered, strict=True) if not t.is_stop]
    if content and all(fold(w) in lexicon.folded for w in content) and _is_portfolio(span, rules):
        return True
    verbs = lexicon.verbs
    participle = _participle_of(text.lower(), verbs)  # « Installée à Palo Alto, … » tagged as a name
    known = (
        text.lower() in lexicon
        or participle
        or first.lemma_.lower() in lexicon
        and first.pos_ in ("VERB", "ADJ", "NOUN")
    )
    return (
        len(span) == 1
        and (first.pos_ != "PROPN" or text.lower() in verbs or participle)
        and not text.isupper()
        and known
        and _starts_line_or_sentence(first)
        and text not in capitalised_elsewhere
    )


PARTICIPLE_ENDINGS = (("ées", "er"), ("és", "er"), ("ée", "er"), ("é", "er"), ("ies", "ir"), ("ie", "ir"))
"""Past participle endings and the infinitive ending they come from (« installée » → « installer »)."""


def _participle_of(word: str, verbs: frozenset[str]) -> bool:
    """Whether ``word`` is the past participle of a known verb (« installée », « basés », « établie »)."""
    return any(
        word.endswith(ending) and word[: -len(ending)] + infinitive in verbs
        for ending, infinitive in PARTICIPLE_ENDINGS
    )


# -- the edges of a name -----------------------------------------------------------------------------


def _trimmed(span: Span) -> tuple[int, int]:
    """Token range of the name without leading lowercase words, a civility or trailing days.

    The NER sometimes takes the kind noun before a name into the entity
    (« laboratoire Ipsen »); the kind noun then stays outside, where it
    tells the entity's type.
    """
    doc = span.doc
    start, end = span.start, span.end
    while end > start + 1 and (doc[end - 1].is_space or doc[end - 1].text in (",", ";", ":")):
        end -= 1
    while start < end - 1 and (
        doc[start].is_space
        or doc[start].text[:1].islower()
        and doc[start].text.islower()  # « beIN Sports » keeps « beIN »
        or doc[start].lower_ in CIVILITIES
    ):
        start += 1
    while end > start + 1 and doc[end - 1].lower_ in TIME_WORDS:
        end -= 1  # « Bayern Munich mardi »
    if (
        end - start > 2
        and fold(doc[start].text) in STATE_WORDS
        and doc[start + 1].lower_ in ("de", "des", "du", "d'")
    ):
        start += 2  # « État des Émirats arabes unis » names the Émirats
    for k in range(start + 1, end - 1):  # a dateline: « New York - Nike »
        if doc[k].text in ("-", "–", "—") and doc[k - 1].whitespace_ and doc[k].whitespace_:
            start = k + 1
            break
    if not any(t.text[:1].isupper() for t in doc[start:end]):
        return span.start, span.end
    return start, end


def _split_at_commas(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """« L'Etudiant, Point de Vue », « Afrique/Moyen Orient »: one entity of the NER holding a list
    is several names (a slash between single letters is part of a name: « B/E Aerospace »)."""
    parts, begin = [], start
    for k in range(start, end):
        slash = doc[k].text == "/" and k > start and len(doc[k - 1].text) > 2 and k + 1 < end
        if doc[k].text in (",", ";") or slash:
            if k > begin:
                parts.append((begin, k))
            begin = k + 1
    if end > begin:
        parts.append((begin, end))
    return parts


def _split_at_verbs(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """« Maréval a perdu 24 % », « Autorité de la concurrence sanctionne Navalis »: an entity of the NER
    that runs over a lowercase finite verb (a headline read without its context) is the names around
    the verb, its auxiliaries and participles left out. French joins two nouns with a preposition, so a
    lowercase noun right after another lowercase noun is such a verb the tagger read as a noun."""

    def finite(k: int) -> bool:
        token = doc[k]
        if not token.text.islower():
            return False
        if token.pos_ == "NOUN" and k > start:
            before = doc[k - 1]
            return before.pos_ == "NOUN" and before.text.islower() and bool(before.whitespace_)
        return token.pos_ in ("VERB", "AUX") and "Fin" in token.morph.get("VerbForm", [])

    verbs = [k for k in range(start, end) if finite(k)]
    if not verbs:
        return [(start, end)]
    parts, begin = [], start
    for k in verbs:
        if k > begin:
            parts.append((begin, k))
        begin = k + 1
        while begin < end and doc[begin].pos_ in ("VERB", "AUX") and doc[begin].text.islower():
            begin += 1
    if end > begin:
        parts.append((begin, end))
    return parts


def _widened(
    doc: Doc, start: int, end: int, taken: set[int], lexicon: Lexicon, org_words: frozenset[str]
) -> int:
    """Start of the name with the words the NER left out before it: « 3i » of « 3i Group », « 777 »
    of « 777 Partners », « EDF » of « EDF Nouveau Business » (capitalised, glued to it, not a
    sentence's first common word)."""
    while start > 0:
        before = doc[start - 1]
        initials = (
            before.text == "/" and start >= 2 and len(doc[start - 2].text) <= 2 and not before.whitespace_
        )
        if initials and not doc[start - 2].whitespace_ and doc[start - 2].text.isupper():
            start -= 2  # « B/E Aerospace »
            continue
        if before.i in taken or before.whitespace_ == "" and before.is_punct or not before.whitespace_:
            break
        glued_number = before.text[:1].isdigit() and (
            any(c.isalpha() for c in before.text) or before.is_digit and fold(doc[start].text) in org_words
        )
        capital = before.text[:1].isupper() and before.is_alpha and before.pos_ in ("PROPN", "NOUN", "X")
        if not (glued_number or capital) or before.lower_ in DETERMINERS:
            break
        if capital and _starts_line_or_sentence(before) and before.lower_ in lexicon:
            break
        start -= 1
    if start >= 2 and doc[start - 1].lower_ in ("de", "d'") and doc[start - 1].whitespace_ in (" ", ""):
        head = doc[start - 2]  # « les Girondins de Bordeaux », « le Stade de Reims »
        if (
            head.i not in taken
            and head.text[:1].isupper()
            and head.is_alpha
            and not _starts_line_or_sentence(head)
            and head.pos_ in ("NOUN", "PROPN")
            and fold(head.text) not in org_words | {"pdg", "ceo", "dg"}
        ):
            start -= 2
    return start


def _extended(doc: Doc, end: int, taken: set[int], org_prefixes: frozenset[str] = frozenset()) -> int:
    """End of the name with the capitalised words the NER left out after it, that the parser
    reads as part of it (« Thierry » + « Bolloré »), and the town of a club (« SCO d'Angers »)."""
    start = end - 1
    while start > 0 and doc[start - 1].ent_iob_ == "I":
        start -= 1
    while end < len(doc):
        after = doc[end]
        glued = doc[end - 1].whitespace_ == " " and not doc[end - 1].is_punct
        if after.i in taken or not glued or not (after.text[:1].isupper() and after.is_alpha):
            break
        if after.pos_ not in ("PROPN", "NOUN", "ADJ", "X") or after.is_sent_start:
            break
        attached = start <= after.head.i < end or any(doc[k].head.i == after.i for k in range(start, end))
        if not attached:
            break
        end += 1
    first = start
    while first > 0 and doc[first - 1].ent_iob_ == "I":
        first -= 1
    if (
        fold(doc[first].text) in org_prefixes
        and end + 1 < len(doc)
        and doc[end].lower_ in ("de", "d'", "du")
        and doc[end + 1].i not in taken
        and doc[end + 1].text[:1].isupper()
        and doc[end + 1].is_alpha
    ):
        end += 2  # « SCO d'Angers », « Stade de Reims »
    return end


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


NAME_ENDINGS = frozenset({"fils", "frères", "cie", "associés", "compagnie"})
"""Words that end a firm's name after « et » (« Bouchard Père et Fils », « Martin et Associés »)."""


def _plural_common(token: Token, lexicon: Lexicon) -> bool:
    """Whether a word is the plural of a common noun (« Maisons », « Domaines »), even tagged as a name."""
    word = token.lower_
    lemma = token.lemma_.lower()
    if lemma == word:
        lemma = word[:-1]  # a name's lemma is itself: try the singular
    return word != lemma and lemma in lexicon and word.endswith(("s", "x"))


def _joined_at_et(
    doc: Doc, spans: list[tuple[int, int, str]], lexicon: Lexicon
) -> list[tuple[int, int, str]]:
    """Two names around « et » that make one name: plural common nouns on both sides (« Maisons et
    Domaines Henriot », « Terroirs et Vignerons de Champagne ») or a firm's ending (« … Père et Fils »)."""
    out: list[tuple[int, int, str]] = []
    for start, end, label in spans:
        if out:
            p_start, p_end, p_label = out[-1]
            link = doc[p_end] if p_end < len(doc) else None
            if link is not None and link.lower_ == "et" and p_end + 1 == start:
                left, right = doc[p_end - 1], doc[start]
                both_plural = _plural_common(left, lexicon) and _plural_common(right, lexicon)
                if both_plural or (end - start == 1 and right.lower_ in NAME_ENDINGS):
                    out[-1] = (p_start, end, p_label if p_end - p_start >= end - start else label)
                    continue
        out.append((start, end, label))
    return out


def _joined(
    doc: Doc, spans: list[tuple[int, int, str]], rules: EntityRules, known: frozenset[tuple[int, int]]
) -> list[tuple[int, int, str]]:
    """Names the NER cut in two: side by side (« Airtel » « Burkina Faso »), or the first ending in
    « de » (« Société nationale des télécommunications du » « Sénégal »). « État » before « de » and a
    place is no name: the place is (« l'État des Émirats arabes unis »); a club's town joins it
    (« SCO » « d'Angers »). Alias-table names are whole, except a place after a company's name
    (its branch there)."""
    out: list[tuple[int, int, str]] = []
    for start, end, label in sorted(spans):
        if out:
            p_start, p_end, p_label = out[-1]
            state = p_end - p_start == 1 and fold(doc[p_start].text) in rules.state_words
            if state and p_end + 1 == start and doc[p_end].lower_ in ("de", "des", "du", "d'"):
                out[-1] = (start, end, label)
                continue
        if out:
            p_start, p_end, p_label = out[-1]
            dangling = doc[p_end - 1].lower_ in ("de", "du", "des", "d'") and p_end == start
            club = (  # « SCO » « d' » « Angers »
                fold(doc[p_start].text) in rules.org_prefixes
                and start == p_end + 1
                and doc[p_end].lower_ in ("de", "du", "d'")
            )
            # a known place glued after a company's name names its branch (« Airtel Burkina Faso »)
            branch = label == "LOC" and p_label in ("ORG", "MISC") and out[-1][:2] not in known
            whole = not branch and ((start, end) in known or out[-1][:2] in known)
            glued = p_end == start and doc[p_end - 1].whitespace_ and not doc[p_end - 1].is_stop
            if dangling or club or (glued and not whole):
                out[-1] = (p_start, end, p_label)
                continue
        out.append((start, end, label))
    return out


def find_mentions(
    doc: Doc,
    sentences: list[tuple[int, int]],
    *,
    lexicon: Lexicon,
    rules: EntityRules,
    offset: int = 0,
) -> list[Mention]:
    """Named-entity mentions of ``doc``, cleaned, in text order.

    An all-caps word in parentheses right after a mention (« Autorité des
    marchés financiers (AMF) ») becomes a mention linked to it with reason
    ``"acronym"``. ``offset`` is added to every character offset (for pieces
    of a long document).
    """
    starts = [s for s, _ in sentences]
    text = doc.text  # built from the tokens on each access
    capitalised = _capitalised_inside(doc)
    taken = {t.i for ent in doc.ents for t in ent}
    spans: list[tuple[int, int, str]] = []
    canonical: dict[tuple[int, int], str] = {}
    for ent in doc.ents:
        if ent.label_ not in ENTITY_TYPES:
            continue
        if ent.ent_id_:
            spans.append((ent.start, ent.end, ent.label_))
            canonical[(ent.start, ent.end)] = ent.ent_id_
            continue
        start, end = _trimmed(ent)
        others = taken - set(range(ent.start, ent.end))
        parts = [piece for part in _split_at_commas(doc, start, end) for piece in _split_at_verbs(doc, *part)]
        for part_start, part_end in parts:
            part_start = _widened(doc, part_start, part_end, others, lexicon, rules.org_words)
            part_end = _extended(doc, part_end, others, rules.org_prefixes)
            spans.append((part_start, part_end, ent.label_))
    spans = _joined(doc, _joined_at_et(doc, spans, lexicon), rules, frozenset(canonical))
    mentions: list[Mention] = []
    acronym_spans: dict[tuple[int, int], int] = {}
    entity_starts = {doc[s].idx for s, _e, _l in spans}
    for start, end, label in spans:
        span = doc[start:end]
        key = canonical.get((start, end))
        sent = bisect.bisect_right(starts, span.start_char + offset) - 1
        antecedent = acronym_spans.pop((span.start_char, span.end_char), None)
        if antecedent is not None and key is None:
            mentions.append(
                Mention(
                    span.text,
                    mentions[antecedent].label,
                    span.start_char + offset,
                    span.end_char + offset,
                    sent,
                    None,
                    antecedent,
                    "acronym",
                )
            )
            continue
        if key is None and is_noise(span, lexicon=lexicon, capitalised_elsewhere=capitalised, rules=rules):
            continue
        mentions.append(
            Mention(
                span.text,
                label,
                span.start_char + offset,
                span.end_char + offset,
                sent,
                key,
                reason="alias" if key else "ner",
            )
        )
        acronym = _acronym_after(text, span.end_char)
        if acronym is None or fold(text[acronym[0]])[:1] != fold(span.text)[:1]:
            continue  # « Altice (SFR) » is no acronym: its letters are not the name's
        if acronym[0] in entity_starts:
            acronym_spans[acronym] = len(mentions) - 1
        else:  # the acronym is no entity of its own: add it as a mention
            a_start, a_end = acronym
            mentions.append(
                Mention(
                    text[a_start:a_end],
                    label,
                    a_start + offset,
                    a_end + offset,
                    sent,
                    None,
                    len(mentions) - 1,
                    "acronym",
                )
            )
    mentions += _names_after_kinds(doc, mentions, starts, rules=rules, offset=offset)
    mentions += _coordinated_names(doc, mentions, starts, lexicon=lexicon, rules=rules, offset=offset)
    mentions += _repeated_names(doc, mentions, starts, lexicon=lexicon, offset=offset)
    return mentions


FUNCTION_POS = frozenset({"ADP", "DET", "PRON", "CCONJ", "SCONJ", "AUX"})


def _coordinated_names(
    doc: Doc, mentions: list[Mention], starts: list[int], *, lexicon: Lexicon, rules: EntityRules, offset: int
) -> list[Mention]:
    """A word the NER left out, listed with a name: « Vinci et Eiffage », « l'Olympique Lyonnais et
    adidas ».

    Only a word that is no French word, so that « Renault et Orange » keeps « Orange » to the NER;
    a lowercase one is a brand written so, never listed with a person. Returns the new mentions, of
    the listed name's type (a brand's: ORG), with reason ``"listed"``.
    """
    taken: dict[int, Mention] = {}
    for mention in mentions:
        span = doc.char_span(mention.start - offset, mention.end - offset, alignment_mode="expand")
        if span is not None:
            for i in range(span.start, span.end):
                taken[i] = mention
    found = []
    for i, token in enumerate(doc):
        if i in taken or not (token.is_alpha and len(token.text) > 2):
            continue
        lowercase = token.text.islower()
        if lowercase and (len(token.text) < 4 or token.pos_ in FUNCTION_POS):
            continue
        if token.lower_ in lexicon or token.lemma_.lower() in lexicon or token.is_stop:
            continue
        if fold(token.text) in rules.not_names:
            continue
        for neighbour in (i + 2, i - 2):
            link = doc[(i + neighbour) // 2] if 0 <= neighbour < len(doc) else None
            if link is not None and link.lower_ in ("et", "ou") and neighbour in taken:
                other = taken[neighbour]
                if lowercase and other.label == "PER":
                    continue
                label = "ORG" if lowercase else other.label  # a name written in lowercase is a brand's
                start_char = token.idx + offset
                sent = bisect.bisect_right(starts, start_char) - 1
                end_char = start_char + len(token.text)
                found.append(Mention(token.text, label, start_char, end_char, sent, reason="listed"))
                taken[i] = found[-1]
                break
    return found


def _repeated_names(
    doc: Doc, mentions: list[Mention], starts: list[int], *, lexicon: Lexicon, offset: int
) -> list[Mention]:
    """Other occurrences of a name found once in the document, which the NER missed (« d'AGI »).

    Only names that cannot be a common word: several words, or one word
    that is no French word (of two characters, a capital and a digit: « 3A »);
    a lowercase name only when found listed with others (« adidas »).
    Returns the new mentions (reason ``"repeat"``).
    """
    taken: set[int] = set()
    forms: dict[str, list[tuple[tuple[str, ...], Mention]]] = {}
    for mention in mentions:
        span = doc.char_span(mention.start - offset, mention.end - offset, alignment_mode="expand")
        if span is None:
            continue
        taken.update(range(span.start, span.end))
        words = tuple(t.text for t in span)
        initial = words[0][:1]
        if mention.antecedent is not None or not (
            initial.isupper() or initial.isdigit() or mention.reason == "listed"
        ):
            continue
        short = len(words[0]) < 3 and not (words[0].isupper() and any(c.isdigit() for c in words[0]))
        if len(words) == 1 and (words[0].lower() in lexicon or short):
            continue  # « 3A » is a name wherever it stands, « Le » is not
        forms.setdefault(words[0], []).append((words, mention))
    found = []
    for token in doc:
        if token.i in taken or token.text not in forms:
            continue
        for words, mention in sorted(forms[token.text], key=lambda f: -len(f[0])):
            end = token.i + len(words)
            if end <= len(doc) and all(doc[token.i + k].text == w for k, w in enumerate(words)):
                if any(i in taken for i in range(token.i, end)):
                    break
                span = doc[token.i : end]
                start_char = span.start_char + offset
                sent = bisect.bisect_right(starts, start_char) - 1
                found.append(
                    replace(
                        mention,
                        start=start_char,
                        end=span.end_char + offset,
                        sent=sent,
                        reason="repeat" if mention.reason != "alias" else "alias",
                    )
                )
                taken.update(range(token.i, end))
                break
    return found


def _names_after_kinds(
    doc: Doc, mentions: list[Mention], starts: list[int], *, rules: EntityRules, offset: int
) -> list[Mention]:
    """Names the NER missed right after a kind noun: « la start-up Kinéis », « le fonds Eurazeo ».

    A noun that fixes one entity type, optionally followed by adjectives,
    then capitalised words (« de », « & » allowed inside): that run is a name
    of that type. Returns only the new mentions (reason ``"kind"``).
    """
    taken: set[int] = set()
    for mention in mentions:
        span = doc.char_span(mention.start - offset, mention.end - offset, alignment_mode="expand")
        if span is not None:
            taken.update(range(span.start, span.end))
    found = []
    for token in doc:
        if token.pos_ not in ("NOUN", "PROPN") or not token.text.islower() or token.i in taken:
            continue
        types = rules.kinds.get(fold(token.text)) or rules.kinds.get(fold(token.lemma_))
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
                (doc[end].text[:1].isupper() or doc[end].text[:1].isdigit() and end > i)
                and (doc[end].is_alpha or any(c.isalpha() for c in doc[end].text))
                or end > i
                and doc[end].lower_ in ("de", "&", "-")
                and end + 1 < len(doc)
                and doc[end + 1].text[:1].isupper()
            )
        ):
            end += 1
        if end == i or doc[i].is_stop or fold(doc[i].text) in rules.not_names:
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


# -- types ------------------------------------------------------------------------------------


def _kind_type(span: Span, kinds: dict[str, frozenset[str]], genitive: frozenset[str]) -> str | None:
    """The type a kind noun gives the name it stands by: « le groupe Danone », « la ville de Lyon »,
    « Lhyfe, une start-up nantaise »."""
    doc = span.doc
    candidates: list[Token] = []
    j = span.start - 1
    while j >= 0 and doc[j].pos_ == "ADJ" and span.start - j <= 3:
        j -= 1
    if j >= 0 and doc[j].pos_ in ("NOUN", "PROPN"):
        candidates.append(doc[j])
        if j >= 2 and doc[j - 1].lower_ in ("de", "d'") and doc[j - 2].pos_ == "NOUN":
            candidates.append(doc[j - 2])
    elif (
        j >= 1
        and doc[j].lower_ in ("de", "d'", "du")
        and doc[j - 1].pos_ == "NOUN"
        and fold(doc[j - 1].lemma_) in genitive
    ):
        candidates.append(doc[j - 1])  # « la ville de Lyon », « le club de Valence »
    k = span.end
    if k + 1 < len(doc) and doc[k].text == ",":
        noun = doc[k + 2] if doc[k + 1].pos_ == "DET" and k + 2 < len(doc) else doc[k + 1]
        if k + 3 < len(doc) and doc[k + 1].lower_ in ("un", "une") and doc[k + 2].lower_ in ("des", "d'"):
            noun = doc[k + 3]  # « X, un des fonds phares de la Silicon Valley »
        introduced = span.start > 0 and doc[span.start - 1].pos_ == "ADP"
        subject = noun.dep_ in ("nsubj", "nsubj:pass") or opens_sentence(span)
        named = noun.i + 1 < len(doc) and bool(doc[noun.i + 1].ent_type_)
        if noun.pos_ == "NOUN" and not named and not (introduced and subject):
            # « Lhyfe, une start-up nantaise », « Getaround, société américaine »; not « À Lyon, la
            # compagnie basera … », where the noun is the next clause's subject, nor « Dirigée par X,
            # l'entreprise Y … », where it introduces a name of its own
            candidates.append(noun)
    for token in candidates:
        forms = [fold(token.text), fold(token.lemma_)]
        if token.i + 1 < len(doc) and token.i + 1 < span.start:
            forms.insert(0, f"{fold(token.text)} {fold(doc[token.i + 1].text)}")
        for form in forms:
            types = kinds.get(form)
            if types is not None and len(types) == 1:
                return next(iter(types))
    return None


def _context_type(span: Span, label: str, rules: EntityRules) -> str | None:
    """The type the text itself gives a name, or None when it says nothing."""
    found = _kind_type(span, rules.kinds, rules.genitive_kinds)
    if found is not None:
        return found
    doc = span.doc
    before = doc[span.start - 1] if span.start > 0 else None
    if before is not None and before.lower_ in ("en", "au", "aux") and before.pos_ == "ADP":
        return "LOC"  # « en Californie »
    if (
        before is not None
        and before.text.islower()
        and before.pos_ in ("NOUN", "ADJ")
        and span.start > 1
        and doc[span.start - 2].pos_ in ("DET", "ADP")
        and len(span) == 1
        and label != "PER"
    ):
        return "ORG"  # « le français Drivy », « l'américain Getaround »: a nationality before a brand
    words = [fold(t.text) for t in span]
    if len(words) > 1 and any(w in rules.org_words for w in words[1:]):
        return "ORG"  # « Alven Capital », « 3i Group », « BNP Paribas Assurances »
    if len(words) > 1 and words[0] in rules.org_prefixes:
        return "ORG"  # « AS Monaco », « Stade de Reims »
    if span.start > 0 and span.doc[span.start - 1].lower_ in CIVILITIES:
        return "PER"
    return None


def _acts(span: Span, rules: EntityRules) -> bool:
    """Whether a name is the subject of an active verb that places do not do."""
    root = span.root
    verb = root.head
    return (
        root.dep_ == "nsubj"
        and verb.pos_ == "VERB"
        and verb.lemma_ not in rules.place_verbs
        and not any(c.dep_ in ("cop", "aux:pass") for c in verb.children)
    )


def type_mentions(
    doc: Doc,
    mentions: list[Mention],
    *,
    rules: EntityRules,
    places: frozenset[str] = frozenset(),
    offset: int = 0,
) -> list[Mention]:
    """Mentions with one type per name in the document, what the text says first.

    Each name's mentions vote: a type the context gives (a kind noun, an
    organisation word, a civility) counts three times, the subject of a
    verb counts twice for an organisation against a place or a thing (« Zara
    a ouvert », « Getaround a racheté »), the NER's guess once.
    A lone word the NER calls a person, that is no surname of a full name of
    the article and has no civility, is taken for an organisation (small
    models call most unknown brands persons); so is a name the NER calls a
    place that only ends with one of ``places`` (« Airtel Sierra Leone »).
    Alias-table mentions keep the table's type. A name whose type the
    context gives gets reason ``"context"``: its type is certain.
    """
    votes: dict[str, Counter[str]] = {}
    told: set[str] = set()  # names whose type the text gives
    full_names = {
        word
        for m in mentions
        if m.label == "PER" and len(m.text.split()) > 1 and m.antecedent is None
        for word in (normalize_key(m.text).split()[0], normalize_key(m.text).split()[-1])
    }
    typed = []
    for mention in mentions:
        if mention.key is not None or mention.antecedent is not None:
            typed.append(mention)
            continue
        span = doc.char_span(mention.start - offset, mention.end - offset, alignment_mode="expand")
        context = _context_type(span, mention.label, rules) if span is not None else None
        votes.setdefault(normalize_key(mention.text), Counter())
        key = normalize_key(mention.text)
        if context is not None:
            votes[key][context] += 3
            told.add(key)
        elif span is not None and mention.label in ("LOC", "MISC") and _acts(span, rules):
            votes[key]["ORG"] += 2
        label = mention.label
        if label == "PER" and len(mention.text.split()) == 1 and key not in full_names and context != "PER":
            label = "ORG"
        words = key.split()
        if (
            label == "LOC"
            and len(words) > 1
            and words[0] not in places
            and key not in places
            and any(" ".join(words[k:]) in places for k in range(1, len(words)))
        ):
            label = "ORG"
        votes[key][label] += 1
        typed.append(mention)
    result = []
    for mention in typed:
        key = normalize_key(mention.text)
        counter = votes.get(key)
        if counter and mention.key is None and mention.antecedent is None:
            best = min(counter, key=lambda t: (-counter[t], ENTITY_TYPES.index(t)))
            said = key in told and mention.reason == "ner"
            mention = replace(mention, label=best, reason="context" if said else mention.reason)
        result.append(mention)
    for i, mention in enumerate(result):
        if mention.reason == "acronym" and mention.antecedent is not None:
            result[i] = replace(mention, label=result[mention.antecedent].label)
    return result


def type_by_roles(
    mentions: Sequence[Mention],
    types: Sequence[frozenset[str]],
    relations: Iterable[RawRelation],
    rules: EntityRules,
) -> list[Mention]:
    """Mentions retyped by the relations they take part in.

    A name the NER typed against its role (« Bpifrance » tagged as a thing, yet the source of an
    ``invests_in``) takes the first type of the role (``rules.role_types``) among those it may have
    (``types``, from :func:`possible_types`), and so does a name the NER guessed a thing where the
    role prefers an organisation (« X owns Guerlain »); every mention of that name in the piece
    follows. A name whose type is certain (alias table, kind noun or other context, known place,
    person) keeps it.
    """

    def root(index: int) -> int:
        while mentions[index].antecedent is not None and mentions[index].reason != "acronym":
            index = mentions[index].antecedent  # type: ignore[assignment]
        return index

    retyped: dict[str, str] = {}
    for relation in relations:
        roles = rules.role_types.get(relation.label)
        for index, wanted in zip((relation.source, relation.target), roles or (), strict=False):
            mention = mentions[root(index)]
            fitting = [t for t in wanted if t in types[root(index)]]
            guessed_thing = mention.label == "MISC" and len(types[root(index)]) > 1
            if fitting and (mention.label not in wanted or guessed_thing and fitting[0] == "ORG"):
                retyped.setdefault(normalize_key(mention.text), fitting[0])
    if not retyped:
        return list(mentions)
    labels = [
        retyped.get(normalize_key(m.text), m.label) if m.antecedent is None else m.label for m in mentions
    ]
    return [
        replace(m, label=labels[root(i)]) if labels[root(i)] != m.label else m for i, m in enumerate(mentions)
    ]


def possible_types(mention: Mention, places: frozenset[str], *, placed: bool = False) -> frozenset[str]:
    """The types a mention may have: its own, and another when the NER's guess may hide it.

    The small models call many unknown companies places (« Zara », « Getaround ») or things, and
    many brands companies; a name after a word of place (``placed``: « à Toulouse », « en
    Californie ») may be a place whatever they say. A name of the alias table, one a kind noun
    introduced (« la start-up X »), a known place and a person's full name keep their one type.
    """
    if mention.key is not None or mention.reason in ("kind", "context") or mention.label == "PER":
        return frozenset({mention.label})
    if mention.label == "LOC":
        return frozenset({"LOC"}) if normalize_key(mention.text) in places else frozenset({"LOC", "ORG"})
    return frozenset({mention.label, "ORG", "MISC"} | ({"LOC"} if placed else set()))


PLACE_WORDS = frozenset({"à", "en", "au", "aux", "dans", "vers", "depuis"})
"""Prepositions after which a name may be a place, whatever the NER says of it."""


def after_place_word(doc: Doc, mention: Mention, offset: int = 0) -> bool:
    """Whether a mention stands right after one of :data:`PLACE_WORDS`."""
    span = doc.char_span(mention.start - offset, mention.end - offset, alignment_mode="expand")
    return span is not None and span.start > 0 and doc[span.start - 1].lower_ in PLACE_WORDS
