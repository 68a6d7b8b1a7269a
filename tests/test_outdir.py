"""The output folder as one whole: locked, checked before parsing, staged and put in place together."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import graphkit.outdir as outdir
from graphkit.cli import cli
from graphkit.errors import OutputError
from graphkit.outdir import OutputFolder


def _build(out: Path, files: dict[str, str]) -> None:
    """What a build does with its folder, outputs given."""
    with OutputFolder(out) as folder:
        folder.claim()
        assert folder.staging is not None
        for name, text in files.items():
            (folder.staging / name).write_text(text, encoding="utf-8")
        folder.commit([folder.staging / name for name in files])


def test_outdir_outputs_replace_the_old_ones_together_and_user_files_stay(tmp_path):
    out = tmp_path / "out"
    _build(out, {"graph.json": "1", "graph.html": "1"})
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (out / "keep").mkdir()
    _build(out, {"graph.json": "2", "graph.nodes.csv": "2"})
    assert sorted(os.listdir(out)) == ["graph.json", "graph.nodes.csv", "keep", "notes.txt"]
    assert (out / "graph.json").read_text() == "2" and (out / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out"]


def test_outdir_a_failed_build_leaves_the_old_outputs_whole(tmp_path):
    out = tmp_path / "out"
    _build(out, {"graph.json": "1", "graph.gexf": "1"})
    with pytest.raises(RuntimeError), OutputFolder(out) as folder:
        folder.claim()
        assert folder.staging is not None
        (folder.staging / "graph.json").write_text("2")
        raise RuntimeError("killed while writing")
    assert {p.name: p.read_text() for p in out.iterdir()} == {"graph.json": "1", "graph.gexf": "1"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out"]


def test_outdir_second_build_into_a_folder_in_use_stops_naming_the_first(tmp_path):
    out = tmp_path / "out"
    with OutputFolder(out) as first:
        first.claim()
        with pytest.raises(OutputError, match=rf"{out} is in use by build {os.getpid()} on .* started "):
            OutputFolder(out).claim()
    with OutputFolder(out) as again:
        again.claim()  # free again once the first has ended


def test_outdir_leftovers_of_killed_builds_are_cleaned(tmp_path):
    out = tmp_path / "out"
    _build(out, {"graph.json": "1"})
    (tmp_path / ".out.build-x").mkdir()
    (tmp_path / ".out.build-x" / "graph.json").write_text("half")
    (out / ".graph.json.abc.tmp").write_text("half")
    old = tmp_path / ".out.old-y"
    old.mkdir()
    os.replace(out, old / "previous")  # killed between the two renames
    _build(tmp_path / "out", {"graph.gexf": "2"})
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out"]
    assert sorted(os.listdir(out)) == ["graph.gexf"]


def test_outdir_full_disk_stops_before_parsing_in_one_line(tmp_path, monkeypatch, runner):
    usage = shutil.disk_usage(tmp_path)
    monkeypatch.setattr(outdir.shutil, "disk_usage", lambda _p: usage._replace(free=1024))
    result = runner.invoke(cli, ["build", str(tmp_path / "nope"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.output == (
        f"Error: not enough free space for the output folder {tmp_path / 'out'}: 0 MB free, 64 MB needed\n"
    )  # before the inputs were even looked at


def test_outdir_unwritable_folder_stops_before_parsing_in_one_line(tmp_path, runner):
    (tmp_path / "file").write_text("")
    result = runner.invoke(cli, ["build", str(tmp_path / "nope"), "-o", str(tmp_path / "file" / "out")])
    assert result.exit_code == 2 and len(result.output.splitlines()) == 1
    assert result.output.startswith(f"Error: cannot write the output folder {tmp_path / 'file' / 'out'}: ")


LOCK_HOLDER = textwrap.dedent(
    """
    import sys, time
    from graphkit.outdir import OutputFolder
    with OutputFolder(sys.argv[1]) as folder:
        folder.claim()
        print("locked", flush=True)
        time.sleep(60)
    """
)


def test_outdir_build_into_a_folder_another_process_builds_into_exits_2(tmp_path, seeds_dir):
    out = tmp_path / "out"
    command = [sys.executable, "-c", LOCK_HOLDER, str(out)]
    holder = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        build = [sys.executable, "-m", "graphkit", "build", str(seeds_dir), "-o", str(out), "-q"]
        result = subprocess.run(build, capture_output=True, text=True, timeout=120)
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr.startswith(f"Error: the output folder {out} is in use by build {holder.pid} on ")
        assert len(result.stderr.splitlines()) == 1
    finally:
        holder.kill()
        holder.communicate()
