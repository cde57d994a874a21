"""A notebook cell with each bad input shows only the error text: stderr, no traceback anywhere."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location(
    "kubenb_bad_input_corpus", Path(__file__).parents[1] / "robustness" / "test_bad_input.py")
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)

CELLS = sorted(set(corpus.MANIFESTS) - {"huge-request", "huge-object"})  # megabyte cells: covered by kubectl


@pytest.mark.parametrize("name", CELLS)
def test_manifest_cell_with_bad_input_shows_only_the_error(ip, capsys, name):
    result = ip.run_cell(f"%%manifest {name}.yaml\n{corpus.MANIFESTS[name]}")
    out, err = capsys.readouterr()
    if name == "empty":  # IPython itself refuses an empty cell magic, with one UsageError line
        assert type(result.error_in_exec).__name__ == "UsageError"
        return
    assert result.error_in_exec is None
    assert "Traceback" not in out + err
    assert out.strip() == "" or "created" in out  # only kubectl's own output lines
    assert err.strip(), "the cell must show the error"


@pytest.mark.parametrize("line", [" ".join(a) for a in corpus.BAD_ARGV + corpus.METACHARACTERS])
def test_kubectl_cell_with_bad_argv_shows_only_the_error(ip, capsys, line):
    result = ip.run_cell("%%kubectl\n" + line.replace("\x00", ""))
    out, err = capsys.readouterr()
    assert result.error_in_exec is None
    assert "Traceback" not in out + err
    assert err.strip()


@pytest.mark.parametrize("line", ["load /nonexistent/file", "advance -5s", "advance lots", "reset --workers 1000",
                                  "node stop nosuchnode", "bogus", "save /nonexistent/dir/x"])
def test_kubenb_cell_with_bad_input_shows_only_the_error(ip, capsys, line):
    result = ip.run_cell("%kubenb " + line)
    out, err = capsys.readouterr()
    assert result.error_in_exec is None
    assert "Traceback" not in out + err
    assert err.startswith("kubenb: ") or err.startswith("Error from server") or err.startswith("error:"), err
