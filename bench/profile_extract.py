"""Where the per-document time goes: ``nlp.pipe`` against each step of the extraction.

Usage: ``python bench/profile_extract.py CORPUS [--docs N] [--model M]``

Parses the first N documents of CORPUS with the build's pipeline (timing
``nlp.pipe`` alone), then extracts them with the build's
:class:`~graphkit.extract.Extractor`, timing each step it calls (mentions,
typing, coreference, sentence Docs with their names merged, frames) by
wrapping the functions it imports, so it follows the extractor as it changes. Prints seconds and
the share of ``nlp.pipe`` time for each.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import graphkit.extract as extract
from graphkit.documents import read_documents
from graphkit.model import DEFAULT_MODEL
from graphkit.pipeline import BuildOptions, Processor
from graphkit.textprep import prepare_text

TIMES: dict[str, float] = defaultdict(float)
CALLS: dict[str, int] = defaultdict(int)


def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` adding its wall time under ``name``."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            TIMES[name] += time.perf_counter() - started
            CALLS[name] += 1

    return wrapper


def instrument(processor: Processor) -> None:
    """Wrap the extraction's steps with timers."""
    for name in ("find_mentions", "type_mentions", "resolve_coreferences", "clause_of", "find_relations"):
        if hasattr(extract, name):
            setattr(extract, name, timed(name, getattr(extract, name)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--docs", type=int, default=40)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    args = parser.parse_args()

    documents = []
    for document in read_documents([args.corpus]):
        documents.append(document)
        if len(documents) == args.docs:
            break
    words = sum(len(d.text.split()) for d in documents)
    processor = Processor(BuildOptions(model=args.model))
    texts = [prepare_text(d.text) for d in documents]
    list(processor.nlp.pipe(texts[:4]))  # warm up
    started = time.perf_counter()
    docs = list(processor.nlp.pipe(texts, batch_size=processor.options.batch_size))
    pipe = time.perf_counter() - started

    instrument(processor)
    started = time.perf_counter()
    for document, doc in zip(documents, docs, strict=True):
        processor.extractor.document(document, [(0, doc)])
    total = time.perf_counter() - started

    print(f"{len(documents)} documents, {words} words, model {args.model}")
    print(f"{'nlp.pipe':<24} {pipe:8.2f} s  100.0 % of pipe   {words / pipe:7.0f} words/s")
    print(f"{'extraction, all':<24} {total:8.2f} s  {total / pipe:6.1%} of pipe")
    for name, seconds in sorted(TIMES.items(), key=lambda item: -item[1]):
        print(f"  {name:<22} {seconds:8.2f} s  {seconds / pipe:6.1%} of pipe   {CALLS[name]} calls")


if __name__ == "__main__":
    main()
