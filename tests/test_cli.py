"""The command line: help, version, errors as one line with exit code 2, the commands end to end."""

from __future__ import annotations

import gc
import json

import pytest

from graphkit import __version__
from graphkit.cli import cli, main
from graphkit.pipeline import GC_THRESHOLDS


def test_cli_version(runner):
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_command_collects_cycles_less_often():
    before = gc.get_threshold()
    assert before != GC_THRESHOLDS
    try:
        with pytest.raises(SystemExit) as exited:
            main(["--version"])
        assert exited.value.code == 0
        assert gc.get_threshold() == GC_THRESHOLDS
    finally:
        gc.set_threshold(*before)


@pytest.mark.parametrize("command", [[], ["build"], ["export"], ["aliases"], ["explain"]])
def test_cli_help_on_every_command(runner, command):
    result = runner.invoke(cli, [*command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


def one_line_error(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ") and "Traceback" not in result.output
    return lines[0]


def test_cli_missing_input_is_one_line_and_exit_2(runner, tmp_path):
    result = runner.invoke(cli, ["build", str(tmp_path / "nope"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "input not found" in one_line_error(result)


def test_cli_empty_folder_says_so(runner, tmp_path):
    (tmp_path / "empty").mkdir()
    result = runner.invoke(cli, ["build", str(tmp_path / "empty"), "-o", str(tmp_path / "out")])
    assert result.exit_code != 0
    assert "no document" in one_line_error(result)


def test_cli_output_path_that_is_a_file(runner, tmp_path, seeds_dir):
    target = tmp_path / "file"
    target.write_text("x")
    result = runner.invoke(cli, ["build", str(seeds_dir), "-o", str(target)])
    assert result.exit_code == 2
    assert "is a file" in one_line_error(result)


def test_cli_model_not_installed_says_how_to_install(runner, tmp_path, seeds_dir):
    result = runner.invoke(cli, ["build", str(seeds_dir), "-o", str(tmp_path), "--model", "fr_core_news_xx"])
    assert result.exit_code == 2
    assert "pip install fr-core-news-xx" in one_line_error(result)


def test_cli_malformed_alias_file(runner, tmp_path, seeds_dir):
    bad = tmp_path / "aliases.json"
    bad.write_text(json.dumps({"entities": [{"canonical": "X", "type": "COMPANY"}]}), encoding="utf-8")
    result = runner.invoke(cli, ["build", str(seeds_dir), "-o", str(tmp_path), "--aliases", str(bad)])
    assert result.exit_code == 2
    line = one_line_error(result)
    assert str(bad) in line and "entry 0" in line and "'type'" in line


def test_cli_bad_format_is_a_usage_error(runner, tmp_path, seeds_dir):
    result = runner.invoke(cli, ["build", str(seeds_dir), "-o", str(tmp_path), "--format", "pdf"])
    assert result.exit_code == 2 and "pdf" in result.output


@pytest.mark.slow
def test_cli_build_writes_outputs_and_summary(runner, tmp_path, seeds_dir):
    result = runner.invoke(cli, ["build", str(seeds_dir), "-o", str(tmp_path), "--format", "json,csv"])
    assert result.exit_code == 0, result.output
    assert "2 documents" in result.stdout and "typed relations:" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.edges.csv", "graph.json", "graph.nodes.csv"]


def test_cli_second_build_takes_documents_from_the_cache(runner, tmp_path, seeds_dir):
    out = tmp_path / "out"
    first = runner.invoke(cli, ["build", str(seeds_dir), "-o", str(out), "--format", "json"])
    assert first.exit_code == 0, first.output
    assert "from the cache" not in first.stdout and (tmp_path / ".graphkit-cache").is_dir()
    graph = (out / "graph.json").read_bytes()
    second = runner.invoke(cli, ["build", str(seeds_dir), "-o", str(out), "--format", "json"])
    assert second.exit_code == 0, second.output
    assert "2 documents read (2 from the cache)" in second.stdout
    assert (out / "graph.json").read_bytes() == graph
    again = runner.invoke(cli, ["build", str(seeds_dir), "-o", str(out), "--format", "json", "--no-cache"])
    assert again.exit_code == 0 and "from the cache" not in again.stdout


@pytest.mark.parametrize("conflict", [["--no-cache"], ["--scheduler", "tcp://127.0.0.1:1"]])
def test_cli_keep_parses_needs_the_cache(runner, tmp_path, seeds_dir, conflict):
    args = ["build", str(seeds_dir), "-o", str(tmp_path / "out"), "--keep-parses", *conflict]
    result = runner.invoke(cli, args)
    assert result.exit_code == 2
    message = f"Error: --keep-parses keeps parses in the cache, which {conflict[0]} does not use"
    assert message in result.output
    assert not (tmp_path / "out").exists()


def test_cli_export_converts_without_nlp(runner, seeds_build, tmp_path):
    out, _ = seeds_build
    target = tmp_path / "again.gexf"
    result = runner.invoke(cli, ["export", str(out / "graph.json"), "--format", "gexf", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == (out / "graph.gexf").read_bytes()


def test_cli_aliases_writes_reviewable_merges_that_build_accepts(runner, seeds_build, tmp_path):
    from graphkit.aliases import load_aliases

    out, _ = seeds_build
    target = tmp_path / "aliases.json"
    result = runner.invoke(cli, ["aliases", str(out / "graph.json"), "-o", str(target)])
    assert result.exit_code == 0, result.output
    data = json.loads(target.read_text(encoding="utf-8"))
    fcc = next(e for e in data["entities"] if e["canonical"] == "FCC")
    assert "Commission fédérale des communications" in fcc["aliases"]
    assert any(r["reason"] == "alias table" for r in fcc["reasons"])
    assert load_aliases([target]).canonical("Commission fédérale des communications") == "FCC"


@pytest.mark.slow
def test_cli_explain_shows_entities_coreference_and_rules(runner, seeds_dir):
    result = runner.invoke(cli, ["explain", str(seeds_dir / "002_f42ef6a59187df04.txt")])
    assert result.exit_code == 0, result.output
    assert "'cette Commission' -> 'Commission fédérale des communications'" in result.output
    assert (
        "relation 'Brendan Carr' leads 'Commission fédérale des communications'  (frame a-la-tete; "
        "apposition; coreference: cette Commission → Commission fédérale des communications)" in result.output
    )


@pytest.mark.parametrize(
    "content",
    [
        '{"nodes": [1, 2], "edges": []}',
        '{"nodes": [{"id": "a"}], "edges": [{"source": "a", "target": "b"}]}',
        '{"nodes": [{"id": "a", "x": "left"}], "edges": []}',
        '{"nodes": [{"id": "a"}], "edges": [{"source": "a", "target": "a", "evidence": [{"doc": "d"}]}]}',
        "[]",
        "{",
    ],
)
def test_cli_export_of_a_malformed_graph_is_one_line_and_exit_2(runner, tmp_path, content):
    (tmp_path / "graph.json").write_text(content, encoding="utf-8")
    for fmt in ("json", "gexf", "graphml", "csv"):
        args = ["export", str(tmp_path / "graph.json"), "-f", fmt, "-o", str(tmp_path / "x")]
        result = runner.invoke(cli, args)
        assert result.exit_code == 2, result.output
        assert result.output.startswith("Error: ") and len(result.output.splitlines()) == 1


def test_cli_warnings_past_twenty_of_a_kind_are_counted_on_one_line(runner, tmp_path):
    lines = ["{bad"] * 45 + ['{"text": "Valtera rachète Norelis."}']
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "big.jsonl").write_text("\n".join(lines), encoding="utf-8")
    for n in range(3):
        (tmp_path / "in" / f"empty{n}.txt").write_text("")
    args = ["build", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-q", "--no-cache",
            "--model", "fr_core_news_sm"]  # fmt: skip
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    warnings = result.output.splitlines()
    assert len(warnings) == 20 + 3 + 1 and all(line.startswith("Warning: ") for line in warnings)
    assert warnings[-1] == "Warning: and 25 more bad JSON Lines records in big.jsonl"


def test_cli_python_warnings_show_as_one_line_of_their_own(runner, tmp_path, seeds_dir):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "results.sqlite").write_bytes(b"not a database\0" * 500)
    args = ["build", str(seeds_dir), "-o", str(tmp_path / "out"), "-q", "--cache-dir", str(cache),
            "-f", "json", "--model", "fr_core_news_sm"]  # fmt: skip
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    (line,) = result.output.splitlines()
    assert line.startswith(f"Warning: the cache {cache / 'results.sqlite'} is damaged (")


def test_cli_file_name_that_is_not_utf8_builds_every_format(runner, tmp_path):
    from lxml import etree

    folder = tmp_path / "in"
    folder.mkdir()
    name = b"Soci\xe9t\xe9\x1b.txt".decode("utf-8", "surrogateescape")
    (folder / name).write_text("Le groupe Valtera a racheté Norelis à Lyon.", encoding="utf-8")
    args = ["build", str(folder), "-o", str(tmp_path / "out"), "-q", "--no-cache", "-f", "all",
            "--model", "fr_core_news_sm"]  # fmt: skip
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    graph = json.loads((tmp_path / "out" / "graph.json").read_text(encoding="utf-8"))
    docs = {item["doc"] for edge in graph["edges"] for item in edge["evidence"]}
    assert docs == {"Soci\\xe9t\\xe9\x1b.txt"}
    for fmt in ("graphml", "gexf"):
        etree.parse(str(tmp_path / "out" / f"graph.{fmt}"))
