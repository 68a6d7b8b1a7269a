"""One long document against the same text split into many files: time and peak memory, as ratios.

Usage: ``python bench/bench_long.py [--chars 2000000] [--files 1000] [--repeat 1] [--jobs 1]
[--together] [--workdir DIR] [--cache]``

Writes a seeded French news text of about ``--chars`` characters
(:mod:`make_corpus` articles joined by blank lines, no article break, so
that it is one text to graphkit), once as a single ``.txt`` and once cut at
paragraph boundaries into ``--files`` files, then runs ``graphkit build
--no-cache --format json`` on each, alternating (or, with ``--together``,
both at once, each on a core of its own, so that both see the same machine),
and prints wall time and peak resident memory of each build and their
ratios (long / split). The build of a long text should cost what the split
one does: a ratio near 1, not one that grows with ``--chars``. With
``--workdir`` the texts are kept (and reused by the next run) and with
``--cache`` the builds write a results cache there, so that a build run
again from it measures merging and export alone.

Also prints the output size of 20 kB of text with no sentence end
(``--unpunctuated``), which bounded sentences keep small, and with
``--read-chars N`` (200,000,000 for the issue's target) the time and peak
memory of reading alone: the text repeated to ``N`` characters, as one file
and as ``--files`` files, read by :func:`graphkit.documents.read_documents`
(a long file is streamed in sections; a build parses at about 20 kB a second
on one core, so a 200 MB build takes hours).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import re
import shutil
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_build import measure  # noqa: E402
from make_corpus import make_corpus  # noqa: E402

WORDS_PER_CHAR = 1 / 6.5  # make_corpus's French: about 6.5 characters a word, spaces included


def long_text(chars: int, folder: Path, seed: int) -> str:
    """About ``chars`` characters of seeded news text, articles joined by blank lines."""
    make_corpus(int(chars * WORDS_PER_CHAR) + 300, folder, seed=seed)
    articles = [path.read_text(encoding="utf-8").strip() for path in sorted(folder.glob("*.txt"))]
    return "\n\n".join(articles)[:chars]


def split_text(text: str, files: int) -> list[str]:
    """``text`` cut at paragraph breaks into about ``files`` parts that join back to it."""
    size = max(1, len(text) // files)
    parts, start = [], 0
    while start < len(text):
        cut = text.find("\n\n", start + size)
        end = len(text) if cut == -1 else cut + 2
        parts.append(text[start:end])
        start = end
    return parts


def build(corpus: Path, out: Path, log: Path, jobs: int = 1, cache: Path | None = None) -> dict[str, float]:
    caching = ["--no-cache"] if cache is None else ["--cache-dir", str(cache)]
    command = [sys.executable, "-m", "graphkit", "build", str(corpus), "-o", str(out), "-q", *caching,
               "--format", "json", "--jobs", str(jobs)]  # fmt: skip
    run = measure(corpus.name, command, cwd=Path.cwd(), log=log)
    if run.returncode != 0:
        raise SystemExit(f"build of {corpus} failed:\n{run.output}")
    peaks = {"peak_rss_mib": round(run.max_rss_mib, 1)}
    if jobs > 1:  # the workers parse: their memory counts too
        peaks["peak_tree_rss_mib"] = round(run.tree_rss_mib, 1)
    return {"seconds": round(run.seconds, 2), **peaks}


def unpunctuated_output(text: str, work: Path) -> dict[str, int]:
    """Bytes written for 20 kB of ``text`` with every sentence end and line break removed."""
    flat = re.sub(r" +", " ", re.sub(r"[.!?…\n]+", " ", text))[:20_000]
    folder = work / "unpunctuated"
    folder.mkdir()
    (folder / "flat.txt").write_text(flat, encoding="utf-8")
    out = work / "out-unpunctuated"
    command = [sys.executable, "-m", "graphkit", "build", str(folder), "-o", str(out), "-q", "--no-cache",
               "--format", "all"]  # fmt: skip
    run = measure("unpunctuated", command, cwd=Path.cwd(), log=work / "unpunctuated.log")
    if run.returncode != 0:
        raise SystemExit(f"build of the unpunctuated text failed:\n{run.output}")
    return {path.name: path.stat().st_size for path in sorted(out.iterdir())}


READ_SCRIPT = """
import sys
from graphkit.documents import read_documents
chars = sections = 0
for document in read_documents(sys.argv[1:], on_skip=lambda *_: None, on_warning=lambda *_: None):
    chars += len(document.text)
    sections += 1
print(chars, sections)
"""


def reading_cost(text: str, chars: int, files: int, work: Path) -> dict[str, object]:
    """Time and peak memory of reading ``text`` repeated to ``chars`` characters, long and split.

    Neither text is ever held whole here: a child's peak memory counts its parent's at its start.
    """
    folder = work / "read"
    (folder / "long").mkdir(parents=True)
    (folder / "split").mkdir()
    copies = max(1, chars // len(text))
    parts = split_text(text + "\n\n", max(1, files // copies))
    with (folder / "long" / "long.txt").open("w", encoding="utf-8") as handle:
        for n in range(copies):
            for m, part in enumerate(parts):
                handle.write(part)
                (folder / "split" / f"{n:04d}-{m:04d}.txt").write_text(part, encoding="utf-8")
    report: dict[str, object] = {"chars": copies * (len(text) + 2)}
    for name in ("long", "split"):
        command = [sys.executable, "-c", READ_SCRIPT, str(folder / name)]
        run = measure(f"read {name}", command, cwd=Path.cwd(), log=work / f"read-{name}.log")
        if run.returncode != 0:
            raise SystemExit(f"reading {name} failed:\n{run.output}")
        read_chars, sections = run.output.split()[-2:]
        report[name] = {"seconds": round(run.seconds, 2), "peak_rss_mib": round(run.max_rss_mib, 1),
                        "chars_read": int(read_chars), "documents": int(sections)}  # fmt: skip
    return report


def prepare(work: Path, chars: int, files: int, seed: int) -> None:
    """Write the long text as ``work/long/long.txt`` and cut into ``work/split/*.txt``."""
    text = long_text(chars, work / "articles", seed)
    shutil.rmtree(work / "articles")
    (work / "long").mkdir()
    (work / "long" / "long.txt").write_text(text, encoding="utf-8")
    (work / "split").mkdir()
    for n, part in enumerate(split_text(text, files)):
        (work / "split" / f"{n:05d}.txt").write_text(part, encoding="utf-8")


def run_builds(work: Path, args: argparse.Namespace) -> dict[str, object]:
    """Both builds, ``--repeat`` times, one after the other or (``--together``) at the same time."""
    runs: dict[str, list[dict[str, float]]] = {"long": [], "split": []}
    for round_ in range(args.repeat):
        def one(name: str, round_: int = round_) -> dict[str, float]:
            cache = work / f"cache-{name}" if args.cache else None
            return build(work / name, work / f"out-{name}-{round_}", work / f"{name}.log", args.jobs, cache)

        if args.together:
            with ThreadPoolExecutor(2) as pool:
                done = dict(zip(runs, pool.map(one, runs), strict=True))
        else:
            done = {name: one(name) for name in runs}
        for name, result in done.items():
            runs[name].append(result)
    best = {name: min(results, key=lambda r: r["seconds"]) for name, results in runs.items()}
    return {"long": best["long"], "split": best["split"],
            "time_ratio": round(best["long"]["seconds"] / best["split"]["seconds"], 2),
            "rss_ratio": round(best["long"]["peak_rss_mib"] / best["split"]["peak_rss_mib"], 2)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=2_000_000)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=1, help="builds of each, alternating; the best is kept")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--unpunctuated", action="store_true", help="also measure 20 kB with no sentence end")
    parser.add_argument("--jobs", type=int, default=1, help="--jobs of both builds")
    parser.add_argument("--together", action="store_true", help="run the two builds at the same time")
    parser.add_argument("--workdir", type=Path, help="keep the texts, outputs and caches here")
    parser.add_argument("--cache", action="store_true", help="builds write a results cache in the workdir")
    parser.add_argument("--read-chars", type=int, default=0, help="also measure reading this much text")
    parser.add_argument("--no-build", action="store_true", help="skip the builds (with --read-chars)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="graphkit-bench-long-") as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        if not (work / "long" / "long.txt").exists():
            # in a process of its own: a child's peak memory counts its parent's when it starts
            writer = multiprocessing.get_context("spawn").Process(
                target=prepare, args=(work, args.chars, args.files, args.seed))
            writer.start()
            writer.join()
            if writer.exitcode != 0:
                raise SystemExit("writing the texts failed")
        long_file = work / "long" / "long.txt"
        report: dict[str, object] = {"bytes": long_file.stat().st_size,
                                     "files": len(list((work / "split").glob("*.txt")))}  # fmt: skip
        if not args.no_build:
            report.update(run_builds(work, args))
        if args.read_chars or args.unpunctuated:
            text = long_file.read_text(encoding="utf-8")
            if args.read_chars:
                report["reading"] = reading_cost(text, args.read_chars, args.files, work)
            if args.unpunctuated:
                report["unpunctuated_20kB_output_bytes"] = unpunctuated_output(text, work)
        print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
