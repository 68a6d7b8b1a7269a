"""``graphkit explain``: why an edge exists, sentence by sentence.

For each sentence of one document: the entities found (with the reason a
mention joined its entity), the coreference links, and each relation with
the frame that found it, the propagation steps that led from its trigger to
its two ends (« apposition; coordination; coreference: le groupe → X »), its
modality and attribution; with ``parse=True`` the dependency parse too, to
help write frames.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from graphkit.documents import read_documents
from graphkit.errors import InputError
from graphkit.merge import mention_keys
from graphkit.model import DocResult
from graphkit.pipeline import BuildOptions, Processor
from graphkit.textprep import prepare_text

__all__ = ["explain_document", "explain_result", "numbered_sentence"]


def _quoted(text: str) -> str:
    """A name as the text gives it, on one line, in quotes (never a Python repr with escapes).

    >>> print(_quoted("Carrefour\\n\\n"), _quoted("l'Oréal"))
    'Carrefour' 'l'Oréal'
    """
    return "'" + " ".join(text.split()) + "'"


def explain_result(
    result: DocResult,
    text: str,
    *,
    sentence: int | None = None,
    keys: list[str | None] | None = None,
    offset: int = 0,
) -> Iterator[str]:
    """Lines describing what was extracted from one document (``text``, at ``offset`` in its file)."""
    mentions = result.mentions
    for index, sent in enumerate(result.sentences, start=1):
        if sentence is not None and index != sentence:
            continue
        yield f"[{index}] {text[sent.start - offset : sent.end - offset]}"
        for i, m in enumerate(mentions):
            if m.sent != index - 1:
                continue
            if m.reason == "dropped":
                yield f"    dropped  {_quoted(m.text)} ({m.label}): unresolved reference"
            elif m.antecedent is not None:
                target = mentions[m.antecedent]
                yield f"    {m.reason:<8} {_quoted(m.text)} -> {_quoted(target.text)} ({target.label})"
            else:
                entity = f" = {keys[i]}" if keys and keys[i] else ""
                yield f"    entity   {_quoted(m.text)} {m.label}{entity} [{m.reason}]"
        for rel in result.relations:
            if rel.sent != index - 1:
                continue
            extra = f", {rel.modality}" if rel.modality else ""
            if rel.attributed_to is not None:
                extra += f", attributed to {_quoted(mentions[rel.attributed_to].text)}"
            steps = f"; {rel.steps}" if rel.steps else ""
            yield (
                f"    relation {_quoted(mentions[rel.source].text)} {rel.label} "
                f"{_quoted(mentions[rel.target].text)}  (frame {rel.rule}{steps}{extra})"
            )


def explain_document(
    path: str | Path,
    *,
    options: BuildOptions | None = None,
    sentence: int | None = None,
    parse: bool = False,
    on_skip: Callable[[str, str], None] | None = None,
    on_loading: Callable[[], None] | None = None,
) -> Iterator[str]:
    """Explain every document read from ``path`` (a JSON Lines file or a table may hold several).

    ``on_skip(name, reason)`` hears of what is not read (by default a
    warning), ``on_loading()`` is called just before the spaCy pipeline loads.
    With ``sentence``, documents shorter than that are left out.

    Raises
    ------
    InputError
        If the file cannot be read or holds no document, or if no document
        has sentence number ``sentence``.
    """
    options = options or BuildOptions()
    documents = list(read_documents([path], on_skip=on_skip, options=options.reading))
    if not documents:
        raise InputError(f"no document to explain in {path}")
    if on_loading is not None:
        on_loading()
    processor = Processor(options)
    longest = 0
    for document, result in zip(documents, processor.process(documents), strict=True):
        longest = max(longest, len(result.sentences))
        if sentence is not None and sentence > len(result.sentences):
            continue
        keys, _reasons, _links = mention_keys(result, processor.aliases)
        section = "" if document.section is None else f" (section {document.section + 1})"
        yield f"== {document.name}{section}"
        yield from explain_result(result, document.text, sentence=sentence, keys=keys, offset=document.offset)
        if parse:
            doc = processor.nlp(prepare_text(document.text))
            for index, sent in enumerate(doc.sents, start=1):
                if sentence is not None and index != sentence:
                    continue
                yield f"-- parse of sentence {index}"
                for token in sent:
                    yield (
                        f"    {token.i:>3} {token.text:<18} {token.pos_:<6} {token.dep_:<10} "
                        f"-> {token.head.i:<3} lemma={token.lemma_} {token.ent_type_}"
                    )
    if sentence is not None and sentence > longest:
        raise InputError(f"no sentence {sentence} in {path}: its longest document has {longest} sentences")


def numbered_sentence(
    path: str | Path, number: int, *, options: BuildOptions | None = None
) -> tuple[str, int, int, str]:
    """Sentence ``number`` (1 is the first) of the document in ``path``, numbered as :func:`explain_document`
    numbers them: the document's name, the sentence's offsets and its text.

    Raises
    ------
    InputError
        If the file cannot be read, does not hold exactly one document, or has fewer sentences.
    """
    options = options or BuildOptions()
    documents = list(read_documents([path], options=options.reading))
    if len(documents) != 1:
        held = "sections" if documents[-1].section else "documents"
        raise InputError(f"{path} holds {len(documents)} {held}; give a file of one document")
    (document,) = documents
    (result,) = Processor(options).process(documents)
    if not 1 <= number <= len(result.sentences):
        raise InputError(f"{document.name} has {len(result.sentences)} sentences, not {number}")
    sentence = result.sentences[number - 1]
    return document.name, sentence.start, sentence.end, document.text[sentence.start : sentence.end]
