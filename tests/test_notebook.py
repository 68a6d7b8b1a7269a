"""notebooks/explore.ipynb: committed without outputs, and runs top to bottom in a real kernel.

The notebook runs in a copy of the repository's layout (``notebooks/`` and
``seeds/`` in a temporary folder), so the GraphML it writes to ``out/`` lands
there and not in the repository. The kernel is the ``python3`` kernelspec of
this interpreter, installed into a temporary ``JUPYTER_PATH`` folder, so a
user-level kernelspec cannot substitute another Python.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"
PREFIX_PROBE = "import sys; print('kernel prefix:', sys.prefix)"
ENTITIES = ("TikTok", "ByteDance", "Kylie Jenner", "FCC")


def test_notebook_is_committed_without_outputs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code)
    assert notebook.metadata.kernelspec.name == "python3"


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Path]]:
    """The notebook after a run with the venv's kernel, and the folder it ran in."""
    from ipykernel.kernelspec import install
    from nbclient import NotebookClient

    root = tmp_path_factory.mktemp("repository")
    shutil.copytree(ROOT / "seeds", root / "seeds")
    (root / "notebooks").mkdir()
    jupyter = tmp_path_factory.mktemp("jupyter")
    install(prefix=str(jupyter), kernel_name="python3")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(PREFIX_PROBE))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_PATH", str(jupyter / "share" / "jupyter"))
        client = NotebookClient(
            notebook,
            kernel_name="python3",
            timeout=300,
            resources={"metadata": {"path": str(root / "notebooks")}},
        )
        client.execute()
    yield notebook, root


def _outputs(notebook: Any) -> list[Any]:
    return [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]


def _text(output: Any) -> str:
    """The plain text of an output: a stream, or a result's ``text/plain``."""
    if output.output_type == "stream":
        return str(output.text)
    return str(output.get("data", {}).get("text/plain", ""))


@pytest.mark.notebook
@pytest.mark.slow
def test_notebook_runs_in_this_interpreter(executed: tuple[Any, Path]) -> None:
    notebook, _root = executed
    assert _text(notebook.cells[-1].outputs[0]).strip() == f"kernel prefix: {sys.prefix}"


@pytest.mark.notebook
@pytest.mark.slow
def test_notebook_runs_without_errors_or_warnings(executed: tuple[Any, Path]) -> None:
    notebook, _root = executed
    outputs = _outputs(notebook)
    assert [o for o in outputs if o.output_type == "error"] == []
    assert [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"] == []
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code)


@pytest.mark.notebook
@pytest.mark.slow
def test_notebook_names_the_expected_entities(executed: tuple[Any, Path]) -> None:
    notebook, _root = executed
    text = "\n".join(_text(output) for output in _outputs(notebook))
    for name in ENTITIES:
        assert name in text
    assert "Kylie Jenner sells_on TikTok" in text
    assert "ByteDance owns Douyin" in text
    assert "did you mean: TikTok" in text


@pytest.mark.notebook
@pytest.mark.slow
def test_notebook_shows_pages_inline(executed: tuple[Any, Path]) -> None:
    notebook, _root = executed
    pages = [
        output["data"]["text/html"]
        for output in _outputs(notebook)
        if "text/html" in output.get("data", {}) and "<iframe srcdoc=" in output["data"]["text/html"]
    ]
    assert len(pages) == 2
    assert all("Brendan Carr" in page for page in pages)
    json.dumps(pages)  # outputs are plain strings that the notebook file can store


@pytest.mark.notebook
@pytest.mark.slow
def test_notebook_writes_graphml_outside_the_notebook_folder(executed: tuple[Any, Path]) -> None:
    _notebook, root = executed
    assert (root / "out" / "seeds.graphml").stat().st_size > 0
    assert list((root / "notebooks").iterdir()) == []
