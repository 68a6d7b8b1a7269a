"""The ``graphkit`` command: thin click wrappers around plain functions.

Each command parses its options, calls the library and prints a summary.
Library errors (:class:`~graphkit.errors.GraphkitError`) become one line,
``Error: ...``, and exit code 2; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import signal
import sys
import traceback
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

import click

from graphkit.errors import CacheWarning, GraphkitError, OutputError
from graphkit.model import DEFAULT_MODEL
from graphkit.version import __version__

__all__ = ["main", "cli"]

FORMAT_CHOICES = ("json", "graphml", "gexf", "html", "csv")


class _Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C so that partial outputs are cleaned up."""


def _on_sigterm(_signum: int, _frame: Any) -> NoReturn:
    raise _Terminated()


def _fail(message: str, code: int = 2) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


def _shown(text: str) -> str:
    """``text`` on one line, control characters escaped (names and reasons come from the files)."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def _warning_line(message: Warning | str, *_args: object, **_kwargs: object) -> None:
    """Show a Python warning as one line of graphkit's own (``warnings.showwarning``)."""
    click.echo(f"Warning: {_shown(str(message))}", err=True)


class _Warnings:
    """Warning lines on stderr: the first :attr:`SHOWN` of a kind, then one line counting the rest."""

    SHOWN = 20

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def _report(self, kind: str, line: str) -> None:
        self.counts[kind] += 1
        if self.counts[kind] <= self.SHOWN:
            click.echo(f"Warning: {_shown(line)}", err=True)

    def skip(self, name: str, reason: str) -> None:
        """A file, or a JSON line, not read."""
        record = reason.startswith("line ")
        kind = f"bad JSON Lines records in {name}" if record else f"skipped files ({reason})"
        self._report(kind, f"skipped {name}: {reason}")

    def warn(self, name: str, message: str) -> None:
        """A document read with a problem."""
        kind = f"warnings on lines of {name}" if message.startswith("line ") else "files with invalid bytes"
        self._report(kind, f"{name}: {message}")

    def close(self) -> None:
        """One line for each kind with more warnings than were shown."""
        for kind, count in self.counts.items():
            if count > self.SHOWN:
                click.echo(f"Warning: and {count - self.SHOWN:,} more {_shown(kind)}", err=True)


def _run(debug: bool, action: Callable[[], None]) -> None:
    """Run a command body; turn errors and interruptions into one line and an exit code.

    Python warnings (a damaged cache...) are shown as one line each, ``Warning: ...``.
    """
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("default", CacheWarning)  # shown to the user, whatever the filters
            warnings.showwarning = _warning_line
            action()
    except BrokenPipeError:  # output piped into a pager or head that closed early
        sys.stderr.close()
        sys.exit(1)
    except GraphkitError as err:
        if debug:
            traceback.print_exc()
        _fail(str(err))
    except KeyboardInterrupt as err:
        what = "terminated" if isinstance(err, _Terminated) else "interrupted"
        click.echo(f"Stopped: {what}; earlier outputs were left as they were.", err=True)
        sys.exit(130 if not isinstance(err, _Terminated) else 143)
    except Exception as err:  # an unexpected failure: one line unless --debug
        if debug:
            traceback.print_exc()
        _fail(f"unexpected {type(err).__name__}: {err} (run with --debug for details)", 1)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _formats(values: Sequence[str]) -> tuple[str, ...]:
    from graphkit.export import DEFAULT_FORMATS

    chosen: list[str] = []
    for value in values or DEFAULT_FORMATS:
        for fmt in value.split(","):
            fmt = fmt.strip().lower()
            if fmt == "all":
                chosen.extend(FORMAT_CHOICES)
            elif fmt not in FORMAT_CHOICES:
                raise click.BadParameter(
                    f"{fmt!r} is not one of {', '.join(FORMAT_CHOICES)} (or 'all')", param_hint="--format"
                )
            else:
                chosen.append(fmt)
    return tuple(dict.fromkeys(chosen))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="graphkit")
def cli() -> None:
    """Turn a folder of French news articles into a graph of who is connected to whom, and why."""


@cli.command()
@click.argument("inputs", nargs=-1, type=click.Path())
@click.option(
    "-o",
    "--output",
    "outdir",
    type=click.Path(path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Folder for graph.json, graph.graphml, graph.gexf, graph.html.",
)
@click.option(
    "--model",
    default=DEFAULT_MODEL,
    show_default=True,
    help="spaCy pipeline (an installed package name or a path), e.g. fr_core_news_sm.",
)
@click.option(
    "--aliases",
    "alias_files",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Alias table (JSON) adding to or overriding the shipped one; repeatable.",
)
@click.option(
    "--rules",
    "rule_files",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Relation rules file (JSON) added to the shipped rules; repeatable.",
)
@click.option(
    "--min-mentions",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Leave out entities mentioned fewer times.",
)
@click.option(
    "--max-evidence",
    type=click.IntRange(min=1),
    default=None,
    help="Evidence sentences kept per edge (the weight counts them all). [default: 20]",
)
@click.option(
    "--max-nodes",
    type=click.IntRange(min=1),
    default=None,
    help="The page shows at most this many entities, the most connected (the other files keep all).",
)
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    help="Outputs to write: json, graphml, gexf, html, csv, or all; comma-separated or repeated. "
    "[default: json,graphml,gexf,html]",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Processes that parse and extract documents.",
)
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder of the per-document results cache. [default: .graphkit-cache beside OUTDIR]",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the results cache.")
@click.option(
    "--keep-parses",
    is_flag=True,
    help="Keep spaCy parses in the cache too (about 11 kB an article), so that a rules change "
    "re-extracts without parsing again.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="Extract on a Dask cluster, e.g. tcp://host:8786 (needs graphkit[dask]; no cache).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def build(
    inputs: tuple[str, ...],
    outdir: Path,
    model: str,
    alias_files: tuple[Path, ...],
    rule_files: tuple[Path, ...],
    min_mentions: int,
    max_evidence: int | None,
    max_nodes: int | None,
    formats: tuple[str, ...],
    jobs: int,
    cache_dir: Path | None,
    no_cache: bool,
    keep_parses: bool,
    scheduler: str | None,
    quiet: bool,
    debug: bool,
) -> None:
    """Build the entity graph of INPUTS (files or folders; default: seeds/) into OUTDIR."""
    from graphkit.cache import default_cache_dir
    from graphkit.merge import DEFAULT_MAX_EVIDENCE
    from graphkit.outdir import OutputFolder
    from graphkit.pipeline import BuildOptions
    from graphkit.pipeline import build as run_build

    chosen = _formats(formats)
    if keep_parses and (no_cache or scheduler):
        conflict = "--no-cache" if no_cache else "--scheduler"
        raise click.UsageError(f"--keep-parses keeps parses in the cache, which {conflict} does not use")

    def action() -> None:
        with OutputFolder(outdir) as folder:
            folder.claim()
            _build_into(folder)

    def _build_into(folder: OutputFolder) -> None:
        options = BuildOptions(
            model=model,
            aliases=tuple(str(p) for p in alias_files),
            rules=tuple(str(p) for p in rule_files),
            min_mentions=min_mentions,
            max_evidence=max_evidence or DEFAULT_MAX_EVIDENCE,
            jobs=jobs,
            cache_dir=None if no_cache else str(cache_dir or default_cache_dir(outdir)),
            keep_parses=keep_parses,
            scheduler=scheduler,
        )

        shown = _Warnings()
        progress = _Progress(enabled=not quiet)
        try:
            result = run_build(
                list(inputs) or [Path("seeds")],
                options=options,
                on_skip=shown.skip,
                on_document=progress.step,
                on_warning=shown.warn,
            )
        finally:
            progress.close()
            shown.close()
        assert folder.staging is not None
        staged = _write(result.graph, folder.staging, chosen, max_nodes=max_nodes)
        folder.commit(staged)
        if not quiet:
            click.echo(_summary(result.stats, [outdir / path.name for path in staged]))

    _run(debug, action)


class _Progress:
    """A document counter on stderr, shown only on a terminal and only for long runs."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.count = 0

    def step(self, _result: object) -> None:
        self.count += 1
        if self.enabled and self.count % 25 == 0:
            click.echo(f"\r{self.count} documents…", err=True, nl=False)

    def close(self) -> None:
        if self.enabled and self.count >= 25:
            click.echo("\r" + " " * 30 + "\r", err=True, nl=False)


def _write(graph: Any, out: Path, formats: Sequence[str], *, max_nodes: int | None) -> list[Path]:
    """Write the chosen formats into ``out``; the paths written."""
    from graphkit.export import output_paths, write

    written: list[Path] = []
    stem = out / "graph"
    for fmt in formats:
        options: dict[str, Any] = {}
        if fmt == "html" and max_nodes is not None:
            options["max_nodes"] = max_nodes
        target = stem.with_name(stem.name + ".csv") if fmt == "csv" else output_paths(stem, fmt)[0]
        try:
            write(graph, fmt, target, **options)
        except OSError as err:
            raise OutputError(f"cannot write {fmt} output: {(err.strerror or str(err)).lower()}") from None
        written.extend(output_paths(stem, fmt))
    return written


def _summary(stats: Any, written: Sequence[Path]) -> str:
    relations = stats.relations
    typed = sorted((k, v) for k, v in relations.items() if k != "co_occurs")
    parts = ", ".join(f"{label} {count}" for label, count in typed) or "none"
    skipped = f" ({len(stats.skipped)} skipped)" if stats.skipped else ""
    cached = f" ({stats.cached} from the cache)" if stats.cached else ""
    return (
        f"{stats.documents} documents{cached}{skipped}, {stats.sentences} sentences, "
        f"{stats.entities} entities, "
        f"{relations.get('co_occurs', 0)} co-occurrence edges; typed relations: {parts}; "
        f"{stats.seconds:.1f} s.\nWrote " + ", ".join(str(p) for p in written)
    )


@cli.command()
@click.argument("graph_file", type=click.Path(path_type=Path))
@click.option(
    "-f", "--format", "fmt", type=click.Choice(FORMAT_CHOICES), required=True, help="Format to write."
)
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(path_type=Path),
    required=True,
    help="File to write (for csv: FILE.nodes.csv and FILE.edges.csv next to it).",
)
@click.option("--max-nodes", type=click.IntRange(min=1), default=None, help="For html: entities shown.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def export(graph_file: Path, fmt: str, output: Path, max_nodes: int | None, debug: bool) -> None:
    """Convert a saved graph.json to another format, without re-running the NLP."""

    def action() -> None:
        from graphkit.export import write
        from graphkit.graph import read_graph
        from graphkit.layout import assign_positions

        graph = read_graph(graph_file)
        assign_positions(graph)
        if output.is_dir():
            raise OutputError(f"output path is a folder, not a file: {output}")
        options: dict[str, Any] = {"max_nodes": max_nodes} if fmt == "html" and max_nodes else {}
        write(graph, fmt, output, **options)

    _run(debug, action)


@cli.command()
@click.argument("graph_file", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(path_type=Path),
    required=True,
    help="Alias file to write (the --aliases format).",
)
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def aliases(graph_file: Path, output: Path, debug: bool) -> None:
    """Write the merges of a graph as an alias file to review, correct and pass to --aliases."""

    def action() -> None:
        from graphkit.aliases import dumps_aliases
        from graphkit.export.atomic import write_atomic
        from graphkit.graph import read_graph

        graph = read_graph(graph_file)
        entries = []
        for node, data in sorted(graph.nodes(data=True)):
            merges = [m for m in data.get("merges", []) if not m["reason"].startswith("coreference")]
            others = sorted(a for a in data.get("aliases", []) if a != node)
            if merges or others:
                entries.append(
                    {
                        "canonical": node,
                        "type": data.get("type", "MISC"),
                        "aliases": others,
                        "reasons": merges,
                    }
                )
        write_atomic(output, dumps_aliases(entries))
        click.echo(f"Wrote {len(entries)} entities with their merges to {output}")

    _run(debug, action)


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--sentence",
    "sentence",
    type=click.IntRange(min=1),
    default=None,
    help="Only this sentence (1 is the first).",
)
@click.option("--model", default=DEFAULT_MODEL, show_default=True, help="spaCy pipeline.")
@click.option("--aliases", "alias_files", multiple=True, type=click.Path(path_type=Path), help="Alias table.")
@click.option("--rules", "rule_files", multiple=True, type=click.Path(path_type=Path), help="Rules file.")
@click.option("--parse", is_flag=True, help="Also print the dependency parse (to write rules).")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def explain(
    file: Path,
    sentence: int | None,
    model: str,
    alias_files: tuple[Path, ...],
    rule_files: tuple[Path, ...],
    parse: bool,
    debug: bool,
) -> None:
    """Show, sentence by sentence, the entities, coreference links and rules that fired in FILE."""

    def action() -> None:
        from graphkit.explain import explain_document
        from graphkit.pipeline import BuildOptions

        options = BuildOptions(
            model=model, aliases=tuple(map(str, alias_files)), rules=tuple(map(str, rule_files))
        )
        for line in explain_document(file, options=options, sentence=sentence, parse=parse):
            click.echo(line)

    _run(debug, action)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``graphkit`` console script and ``python -m graphkit``."""
    from graphkit.pipeline import tune_collector

    tune_collector()
    cli.main(args=list(argv) if argv is not None else None, prog_name="graphkit")
