"""What the command says: the first run, skipped files, --strict, --jobs, --open, export, explain."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from test_copies import BODY, OTHER

from graphkit.cli import _show_warning, cli


def one_line_error(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    return lines[0]


def test_cli_strict_makes_a_skip_an_error(runner, tmp_path: Path) -> None:
    (tmp_path / "a.pptx").write_bytes(b"PK\x03\x04")
    (tmp_path / "b.txt").write_text("Renault rachète Nissan.", encoding="utf-8")
    result = runner.invoke(cli, ["build", str(tmp_path), "-o", str(tmp_path / "out"), "--strict"])
    assert result.exit_code == 2
    assert one_line_error(result) == (
        "Error: skipped a.pptx: unsupported format .pptx (--strict stops at the first skipped input)"
    )


def test_cli_folder_of_unread_files_says_why(runner, tmp_path: Path) -> None:
    (tmp_path / "a.pptx").write_bytes(b"PK\x03\x04")
    result = runner.invoke(cli, ["build", str(tmp_path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Warning: skipped a.pptx: unsupported format .pptx",
        f"Error: no document to read in {tmp_path} (1 skipped)",
    ]


def test_cli_warns_when_jobs_exceed_the_cores(runner, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    result = runner.invoke(cli, ["build", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--jobs", "999"])
    first = result.stderr.splitlines()[0]
    assert first.startswith("Warning: --jobs 999 is more than the ") and first.endswith("not faster")


def test_cli_build_without_input_outside_the_repository(runner, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["build"])
    assert result.exit_code == 2
    assert "no input given: name the files or folders to read" in one_line_error(result)


def test_cli_open_needs_the_page(runner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["build", str(tmp_path), "--open", "--format", "json"])
    assert result.exit_code == 2 and "--open opens graph.html" in result.output


def test_cli_export_says_what_it_wrote(runner, seeds_build, tmp_path: Path) -> None:
    out, _result = seeds_build
    target = tmp_path / "g.gexf"
    result = runner.invoke(cli, ["export", str(out / "graph.json"), "-f", "gexf", "-o", str(target)])
    assert result.exit_code == 0 and result.stdout == f"Wrote {target}\n"
    csv = ["export", str(out / "graph.json"), "-f", "csv", "-o", str(tmp_path / "t.csv")]
    result = runner.invoke(cli, csv)
    assert result.stdout == f"Wrote {tmp_path / 't.nodes.csv'}, {tmp_path / 't.edges.csv'}\n"


def test_cli_python_warnings_print_as_one_line(capsys) -> None:
    _show_warning(UserWarning("cannot keep\n  the cache"), UserWarning, "x.py", 3)
    assert capsys.readouterr().err == "Warning: cannot keep the cache\n"
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = _show_warning
        warnings.warn("a\nb", UserWarning, stacklevel=1)
    assert capsys.readouterr().err == "Warning: a b\n"


@pytest.mark.slow
def test_cli_first_run_explains_itself_folds_copies_and_opens_the_page(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(f"Carrefour rachète Dia\n\n{BODY}\n", encoding="utf-8")
    (docs / "b.txt").write_text(f"Le distributeur s'offre Dia\n\n{BODY}\n\nAvec l'AFP.\n", encoding="utf-8")
    (docs / "c.txt").write_text(OTHER, encoding="utf-8")
    (docs / "slides.pptx").write_bytes(b"PK\x03\x04")
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\necho "$1" > {opened}\n', encoding="utf-8")
    browser.chmod(browser.stat().st_mode | stat.S_IXUSR)
    env = {**os.environ, "BROWSER": str(browser)}
    out = tmp_path / "out"
    command = [sys.executable, "-m", "graphkit", "build", str(docs), "-o", str(out), "--no-cache"]
    result = subprocess.run([*command, "--open"], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "Loading the French model fr_core_news_md (first time: ~15 s)",
        "Warning: skipped slides.pptx: unsupported format .pptx",
    ]  # not a terminal: no progress bar
    summary, wrote = result.stdout.splitlines()
    assert summary.startswith(
        "2 documents read, 1 skipped (unsupported format .pptx 1), 1 wire copy folded; "
    )
    assert wrote.startswith("Wrote ")
    assert opened.read_text(encoding="utf-8").strip() == (tmp_path / "out" / "graph.html").resolve().as_uri()
    graph = json.loads((tmp_path / "out" / "graph.json").read_text(encoding="utf-8"))
    assert graph["graph"]["documents"] == 2
    from_story = [item for edge in graph["edges"] for item in edge["evidence"] if item["doc"] == "a.txt"]
    assert from_story and all(item["copies"] == [{"doc": "b.txt"}] for item in from_story)
    assert not any(item["doc"] == "b.txt" for edge in graph["edges"] for item in edge["evidence"])
    quiet = subprocess.run([*command, "-q"], capture_output=True, text=True, env=env, timeout=300)
    assert quiet.returncode == 0 and quiet.stdout == ""
    assert quiet.stderr == "Warning: skipped slides.pptx: unsupported format .pptx\n"  # never silent


@pytest.mark.slow
def test_cli_explain_markdown_word_and_out_of_range(runner, tmp_path: Path) -> None:
    import docx

    note = tmp_path / "note.md"
    note.write_text("# Carrefour\n\nLe groupe Carrefour a racheté Dia.\n", encoding="utf-8")
    result = runner.invoke(cli, ["explain", str(note)])
    assert result.exit_code == 0, result.output
    sentences = [line for line in result.stdout.splitlines() if line.startswith("[")]
    assert sentences and not any("#" in line for line in sentences)
    assert "\\n" not in result.stdout and "entity   'Carrefour' ORG" in result.stdout
    result = runner.invoke(cli, ["explain", str(note), "--sentence", "99"])
    assert result.exit_code == 2
    loading, error = result.stderr.splitlines()
    assert loading.startswith("Loading the French model")
    assert error == f"Error: no sentence 99 in {note}: its longest document has 3 sentences"
    word = docx.Document()
    word.add_paragraph("Le groupe Carrefour a racheté Dia.")
    word.save(str(tmp_path / "note.docx"))
    result = runner.invoke(cli, ["explain", str(tmp_path / "note.docx")])
    assert result.exit_code == 0 and "== note.docx" in result.stdout
    assert "Warning" not in result.output and "warn" not in result.output


def test_cli_progress_bar_on_a_terminal_shows_done_total_and_time_left(monkeypatch) -> None:
    import io

    from graphkit.cli import _Progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    progress = _Progress(enabled=True)
    progress.start(4)
    for _ in range(4):
        progress.step()
    progress.message("Warning: skipped x.pptx: unsupported format .pptx")
    shown = terminal.getvalue()
    progress.close()
    assert "4/4" in shown and "<00:00" in shown
    assert "Warning: skipped x.pptx: unsupported format .pptx\n" in shown
    quiet = _Progress(enabled=False)
    quiet.start(4)
    assert quiet.bar is None
