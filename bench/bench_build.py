"""Build throughput, parallel speed-up, cached re-run and peak memory, measured in one run on one corpus.

Usage::

    python bench/bench_build.py [--words 200000] [--model fr_core_news_md] [--jobs 2]
                                [--steps raw,jobs1,cached,jobsN] [--workdir bench/results]
                                [--repeat 1]

Steps, each in a child process of its own, one after the other:

``raw``
    ``nlp.pipe`` alone over the corpus's prepared texts (in memory), with the
    pipeline the build uses (:func:`graphkit.nlp.load_pipeline` with the
    alias component), batch size as in the build. Reports the pipe's words
    per second and the child's whole wall time (start-up and loading
    included); then, for reference, the pipe again with graphkit's own
    components off (the model's components alone).
``jobs1``
    ``graphkit build CORPUS --jobs 1`` with a fresh cache folder: every
    document is parsed, extracted, merged and exported (json, graphml, gexf,
    html).
``cached``
    The same command again: every record comes from the cache.
``jobsN``
    ``graphkit build CORPUS --jobs N`` with another fresh cache folder.

Wall times are of the whole command (interpreter start-up, imports and
model loading included). Peak memory is the largest resident set of one
process (``wait4``'s ``ru_maxrss``) and the peak of the summed resident
sets of the command's process tree (psutil, sampled every 0.1 s). The
corpus is written by ``make_corpus.py`` (seeded) into the work folder and
reused. The machine is shared, so compare the ratios printed here, which
come from one run, rather than figures from different runs; ``--repeat N``
runs all the steps N times in turn and also prints each ratio's median and
range over the rounds. Results also go to ``<workdir>/bench-<words>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from make_corpus import make_corpus

from graphkit.model import DEFAULT_MODEL

GOALS = {"jobs1_vs_raw": 0.9, "jobsN_speedup": 1.7, "cached_speedup": 20.0, "peak_gib": 1.5}
# The goal each reported ratio is held to, if any.
RATIO_GOALS = {"jobs1_vs_raw_pipe": "jobs1_vs_raw", "jobs1_vs_raw_process": "jobs1_vs_raw",
               "jobsN_speedup": "jobsN_speedup", "cached_speedup": "cached_speedup"}

RAW_SCRIPT = """
import json, sys, time
started = time.perf_counter()
from graphkit.aliases import load_aliases
from graphkit.documents import read_documents
from graphkit.nlp import load_pipeline
from graphkit.pipeline import BATCH_SIZE
from graphkit.textprep import prepare_text
nlp = load_pipeline(sys.argv[2], aliases=load_aliases())
loaded = time.perf_counter()
texts = [prepare_text(d.text) for d in read_documents([sys.argv[1]])]
words = sum(len(t.split()) for t in texts)
list(nlp.pipe(texts[:4], batch_size=BATCH_SIZE))  # warm-up
piping = time.perf_counter()
for _doc in nlp.pipe(texts, batch_size=BATCH_SIZE):
    pass
done = time.perf_counter()
cpu = time.process_time()  # the whole process so far, as a build would run it
ours = [name for name in nlp.pipe_names if name.startswith("graphkit_")]
with nlp.select_pipes(disable=ours):
    model_started = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=BATCH_SIZE):
        pass
    model_done = time.perf_counter()
print(json.dumps({"load": loaded - started, "pipe": done - piping, "words": words,
                  "model_pipe": model_done - model_started, "ours": ours, "cpu": cpu}))
"""


@dataclass
class Run:
    """One measured command."""

    step: str
    seconds: float
    cpu_seconds: float
    max_rss_mib: float
    tree_rss_mib: float
    returncode: int
    output: str


def _tree_rss(process: object) -> int:
    """Summed resident set of a psutil process and its descendants, in bytes (0 if unavailable)."""
    import psutil

    assert isinstance(process, psutil.Process)
    total = 0
    try:
        for member in [process, *process.children(recursive=True)]:
            try:
                total += member.memory_info().rss
            except psutil.Error:
                continue
    except psutil.Error:
        return 0
    return total


def measure(step: str, command: list[str], *, cwd: Path, log: Path) -> Run:
    """Run ``command``, timing it and sampling its memory; output goes to ``log``."""
    try:
        import psutil
    except ImportError:  # only the largest single process is reported then
        psutil = None
    started = time.perf_counter()
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=cwd, stdout=output, stderr=subprocess.STDOUT)
        watched = psutil.Process(process.pid) if psutil is not None else None
        tree_peak = 0
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if watched is not None:
                tree_peak = max(tree_peak, _tree_rss(watched))
            time.sleep(0.1)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime  # the command's own process (not its workers)
    rss, tree = usage.ru_maxrss / 1024, tree_peak / 2**20
    return Run(step, seconds, cpu, rss, tree, process.returncode, log.read_text())


def build_command(corpus: Path, out: Path, model: str, jobs: int, cache: Path) -> list[str]:
    return [sys.executable, "-m", "graphkit", "build", str(corpus), "-o", str(out), "--model", model,
            "--jobs", str(jobs), "--cache-dir", str(cache)]


def run_steps(args: argparse.Namespace, corpus: Path, words: int) -> dict[str, Run]:
    work = args.workdir / f"run-{args.words}"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    runs: dict[str, Run] = {}
    for step in args.steps:
        print(f"-- {step} ...", flush=True)
        if step == "raw":
            command = [sys.executable, "-c", RAW_SCRIPT, str(corpus), args.model]
        elif step in ("jobs1", "cached"):
            command = build_command(corpus, work / f"out-{step}", args.model, 1, work / "cache-jobs1")
        elif step == "jobsN":
            command = build_command(corpus, work / "out-jobsN", args.model, args.jobs, work / "cache-jobsN")
        else:
            raise SystemExit(f"unknown step {step!r}; steps are raw, jobs1, cached, jobsN")
        run = measure(step, command, cwd=work, log=work / f"{step}.log")
        if run.returncode != 0:
            raise SystemExit(f"{step} failed ({run.returncode}):\n{run.output}")
        runs[step] = run
        print(f"   {run.seconds:.1f} s ({run.cpu_seconds:.1f} s CPU), {words / run.seconds:.0f} words/s, "
              f"peak {run.max_rss_mib:.0f} MiB (process), {run.tree_rss_mib:.0f} MiB (tree)", flush=True)
    return runs


def report(args: argparse.Namespace, words: int, files: int, runs: dict[str, Run]) -> dict[str, object]:
    """Print the figures and ratios; return them for the JSON file."""
    lines = [f"corpus: {files} articles, {words} words; model {args.model}; {os.cpu_count()} CPUs"]
    ratios: dict[str, float] = {}
    raw = json.loads(runs["raw"].output.strip().splitlines()[-1]) if "raw" in runs else None
    if raw is not None:
        # The whole process as a build would run it: without the second, model-only pipe.
        raw_whole = runs["raw"].seconds - raw["model_pipe"]
        lines.append(f"raw nlp.pipe: {words / raw['pipe']:.0f} words/s (pipe only, {raw['pipe']:.1f} s); "
                     f"whole process {raw_whole:.1f} s = {words / raw_whole:.0f} words/s "
                     f"(model load {raw['load']:.1f} s)")
        lines.append(f"raw nlp.pipe, the model's own components only ({', '.join(raw['ours'])} off): "
                     f"{words / raw['model_pipe']:.0f} words/s ({raw['model_pipe']:.1f} s)")
    for step in ("jobs1", "cached", "jobsN"):
        if step in runs:
            run = runs[step]
            name = {"jobs1": "build --jobs 1", "cached": "build, cached re-run",
                    "jobsN": f"build --jobs {args.jobs}"}[step]
            lines.append(f"{name}: {run.seconds:.1f} s = {words / run.seconds:.0f} words/s; peak RSS "
                         f"{run.max_rss_mib:.0f} MiB largest process, "
                         f"{run.tree_rss_mib:.0f} MiB all processes")
    if raw is not None and "jobs1" in runs:
        ratios["jobs1_vs_raw_pipe"] = raw["pipe"] / runs["jobs1"].seconds
        ratios["jobs1_vs_raw_process"] = raw_whole / runs["jobs1"].seconds
        ratios["jobs1_vs_model_pipe"] = raw["model_pipe"] / runs["jobs1"].seconds
        lines.append(f"build --jobs 1 / raw nlp.pipe throughput: {ratios['jobs1_vs_raw_process']:.2f} "
                     f"(both whole processes), {ratios['jobs1_vs_raw_pipe']:.2f} (against the pipe alone); "
                     f"goal >= {GOALS['jobs1_vs_raw']}; {ratios['jobs1_vs_model_pipe']:.2f} against the "
                     "model's components alone")
        # CPU time is less disturbed than wall time by other tenants of a shared machine.
        ratios["jobs1_vs_raw_cpu"] = raw["cpu"] / runs["jobs1"].cpu_seconds
        lines.append(f"the same in CPU seconds of the whole processes: raw {raw['cpu']:.1f} s, "
                     f"build --jobs 1 {runs['jobs1'].cpu_seconds:.1f} s, "
                     f"ratio {ratios['jobs1_vs_raw_cpu']:.2f}")
    if "jobs1" in runs and "jobsN" in runs:
        ratios["jobsN_speedup"] = runs["jobs1"].seconds / runs["jobsN"].seconds
        lines.append(f"--jobs {args.jobs} speed-up over --jobs 1: {ratios['jobsN_speedup']:.2f}x; "
                     f"goal >= {GOALS['jobsN_speedup']}x")
    if "jobs1" in runs and "cached" in runs:
        ratios["cached_speedup"] = runs["jobs1"].seconds / runs["cached"].seconds
        ratios["cached_speedup_cpu"] = runs["jobs1"].cpu_seconds / runs["cached"].cpu_seconds
        lines.append(f"cached re-run speed-up over the first run: {ratios['cached_speedup']:.1f}x "
                     f"({ratios['cached_speedup_cpu']:.1f}x in CPU time); goal >= {GOALS['cached_speedup']}x")
    peaks = [run.max_rss_mib for run in runs.values() if run.step != "raw"]
    if peaks:
        lines.append(f"peak RSS of a build process: {max(peaks) / 1024:.2f} GiB; "
                     f"goal < {GOALS['peak_gib']} GiB (at 2,000,000 words)")
    outputs = {step: args.workdir / f"run-{args.words}" / f"out-{step}" / "graph.json"
               for step in ("jobs1", "cached", "jobsN") if step in runs}
    if len(outputs) > 1:
        contents = {step: path.read_bytes() for step, path in outputs.items()}
        same = len(set(contents.values())) == 1
        lines.append(f"graph.json identical across {', '.join(outputs)}: {'yes' if same else 'NO'}")
    print("\n".join(lines))
    return {"words": words, "files": files, "model": args.model, "raw": raw, "ratios": ratios,
            "runs": {step: asdict(run) for step, run in runs.items()}, "summary": lines}


def median_ratios(per_round: list[dict[str, float]]) -> dict[str, float]:
    """Median of each ratio over the rounds, printed with its range: one busy spell moves one round only."""
    medians = {}
    print(f"== medians over {len(per_round)} rounds (lowest - highest)")
    for name in per_round[0]:
        values = sorted(r[name] for r in per_round if name in r)
        medians[name] = statistics.median(values)
        target = f"; goal >= {GOALS[RATIO_GOALS[name]]}" if name in RATIO_GOALS else ""
        print(f"{name}: {medians[name]:.2f} ({values[0]:.2f} - {values[-1]:.2f}){target}")
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=200_000)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--jobs", type=int, default=2, help="processes of the jobsN step")
    parser.add_argument("--steps", default="raw,jobs1,cached,jobsN",
                        type=lambda text: [s.strip() for s in text.split(",") if s.strip()])
    parser.add_argument("--workdir", type=Path, default=Path(__file__).parent / "results")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1,
                        help="rounds of all the steps, one after the other; ratios are given per round "
                             "and as medians over the rounds")
    args = parser.parse_args()
    args.workdir = args.workdir.absolute()

    corpus = args.workdir / f"corpus-{args.words}-seed{args.seed}"
    if not corpus.is_dir():
        make_corpus(args.words, corpus, seed=args.seed)
    files = sum(1 for _ in corpus.glob("*.txt"))
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in corpus.glob("*.txt"))
    rounds = []
    for number in range(1, args.repeat + 1):
        if args.repeat > 1:
            print(f"== round {number} of {args.repeat}", flush=True)
        rounds.append(report(args, words, files, run_steps(args, corpus, words)))
    results = rounds[0] if args.repeat == 1 else {
        "rounds": rounds,
        "ratios_median": median_ratios([r["ratios"] for r in rounds]),  # type: ignore[misc]
    }
    target = args.workdir / f"bench-{args.words}.json"
    target.write_text(json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8")
    print(f"Wrote {target}")


if __name__ == "__main__":
    main()
