#!/usr/bin/env python3
"""Build the course notebooks from their sources, in English and Japanese.

One source per notebook, ``notebooks/src/NN-slug.yaml`` (see notebooks/README.md for the format),
becomes ``notebooks/en/NN-slug.ipynb`` and ``notebooks/ja/NN-slug.ipynb``: the same code cells, the
markdown in each language, a setup cell first (``%load_ext kubenb``, ``%kubenb lang ja`` in Japanese,
``%kubenb reset --seed 0``), a header with the goals and links, and a footer linking the next notebook.
``notebooks/index.ipynb`` links every notebook in both languages, and ``docs/course-map.md`` lists
each section of the lecture with the cells that teach it (from the cells' ``teaches:`` keys).

Each notebook is then executed with nbclient in a fresh kernel, so its saved outputs are exactly
what nbval compares in CI. Building is deterministic: the same sources give byte-identical files on
the same machine (no timing metadata, widget model ids renumbered, sorted JSON keys as nbformat
writes them). Only the SVG that Graphviz draws differs between machines; nbval's sanitizer
(``notebooks/nbval-sanitize.cfg``) hides it.

Usage:
    python3 scripts/build_notebooks.py              build and execute everything
    python3 scripts/build_notebooks.py 05 06        only notebooks whose name starts with 05 or 06 (+ index)
    python3 scripts/build_notebooks.py --no-execute write the cells only (quick look at the text)
    python3 scripts/build_notebooks.py --check      exit 1 if a built notebook's cells differ from its source
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SOURCES = NOTEBOOKS / "src"
SECTIONS_FILE = SOURCES / "lecture-sections.yaml"
COURSE_MAP = ROOT / "docs" / "course-map.md"
LANGS = ("en", "ja")
BINDER_BADGE = "https://mybinder.org/badge_logo.svg"
# The Binder link of the README; the repository's public address is filled in by whoever publishes it.
BINDER_URL = "https://mybinder.org/v2/gh/kubenb/kubenb/HEAD?urlpath=lab/tree/notebooks/index.ipynb"

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {"name": "python"}

SOURCE_KEYS = {"title", "goals", "summary", "cells"}
CELL_KEYS = {"md", "code", "id", "teaches", "raises", "shows_error"}

# Words the builder writes around the author's cells.
WORDS = {
    "en": {
        "goals": "Goals",
        "setup": "Run this cell first: it loads kubenb and starts a fresh cluster.",
        "index": "Course index",
        "other": "日本語版",
        "next": "Next",
        "previous": "Previous",
        "end": "This is the last notebook of the course.",
    },
    "ja": {
        "goals": "この回の目標",
        "setup": "最初にこのセルを実行してください。kubenb を読み込み、新しいクラスタを用意します。",
        "index": "コースの目次",
        "other": "English version",
        "next": "次へ",
        "previous": "前へ",
        "end": "これでコースの最後のノートブックです。",
    },
}


class SourceError(ValueError):
    """A mistake in a notebook source: the message names the file and the cell."""


@dataclass
class Cell:
    kind: str  # "markdown" or "code"
    text: dict[str, str]  # per language (code cells hold the same text for both unless split)
    id: str
    teaches: list[str] = field(default_factory=list)
    raises: bool = False  # a Python exception is the point of the cell (a quiz answered wrongly)
    shows_error: bool = False  # a kubectl/kubenb error message is the point of the cell


@dataclass
class Source:
    stem: str  # "05-deployments"
    title: dict[str, str]
    goals: dict[str, list[str]]
    summary: dict[str, str]
    cells: list[Cell]

    @property
    def number(self) -> str:
        return self.stem.split("-", 1)[0]


# --- reading sources --------------------------------------------------------------------------------


def _per_language(value: Any, where: str, *, allow_shared: bool = False) -> dict[str, str]:
    if allow_shared and isinstance(value, str):
        return {lang: value for lang in LANGS}
    if not isinstance(value, dict) or set(value) != set(LANGS):
        raise SourceError(f"{where}: needs exactly the keys {', '.join(LANGS)}")
    for lang in LANGS:
        if not isinstance(value[lang], str) or not value[lang].strip():
            raise SourceError(f"{where}: the {lang} text is empty")
    return {lang: value[lang] for lang in LANGS}


def load_source(path: Path) -> Source:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise SourceError(f"{path.name}: broken YAML: {error}") from None
    if not isinstance(data, dict) or set(data) - SOURCE_KEYS or "cells" not in data or "title" not in data:
        raise SourceError(f"{path.name}: needs title, goals, cells (and optionally summary); "
                          f"unknown keys: {sorted(set(data) - SOURCE_KEYS) if isinstance(data, dict) else data}")
    title = _per_language(data["title"], f"{path.name} title")
    goals_raw = data.get("goals") or {lang: [] for lang in LANGS}
    if not isinstance(goals_raw, dict) or set(goals_raw) != set(LANGS):
        raise SourceError(f"{path.name} goals: needs the keys {', '.join(LANGS)}, each a list")
    goals = {lang: [str(g) for g in goals_raw[lang]] for lang in LANGS}
    if len(goals["en"]) != len(goals["ja"]):
        raise SourceError(f"{path.name} goals: en and ja have a different number of goals")
    summary = _per_language(data["summary"], f"{path.name} summary") if data.get("summary") else \
        {lang: "" for lang in LANGS}
    cells: list[Cell] = []
    seen_ids: set[str] = set()
    for index, raw in enumerate(data["cells"], start=1):
        where = f"{path.name} cell {index}"
        if not isinstance(raw, dict) or set(raw) - CELL_KEYS or ("md" in raw) == ("code" in raw):
            raise SourceError(f"{where}: a cell is a mapping with md: or code: (and optionally id, teaches, "
                              f"raises), got {raw!r:.80}")
        cell_id = str(raw.get("id") or f"{path.stem.split('-', 1)[0]}-{index:02d}")
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", cell_id) or cell_id in seen_ids:
            raise SourceError(f"{where}: id {cell_id!r} is not a unique [A-Za-z0-9_-] name")
        seen_ids.add(cell_id)
        teaches = raw.get("teaches") or []
        if isinstance(teaches, str):
            teaches = [teaches]
        if "md" in raw:
            cells.append(Cell("markdown", _per_language(raw["md"], where), cell_id, list(teaches)))
        else:
            text = _per_language(raw["code"], where, allow_shared=True)
            cells.append(Cell("code", {k: v.rstrip("\n") for k, v in text.items()}, cell_id, list(teaches),
                              bool(raw.get("raises")), bool(raw.get("shows_error"))))
    return Source(path.stem, title, goals, summary, cells)


def load_sources() -> list[Source]:
    return [load_source(p) for p in sorted(SOURCES.glob("[0-9][0-9]-*.yaml"))]


def load_sections() -> list[dict[str, Any]]:
    data = yaml.safe_load(SECTIONS_FILE.read_text(encoding="utf-8"))
    return list(data["sections"])


# --- making notebooks ---------------------------------------------------------------------------------


def _md(text: str, cell_id: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_markdown_cell(text.rstrip("\n"))
    cell["id"] = cell_id
    return cell


def _code(text: str, cell_id: str, raises: bool = False, shows_error: bool = False) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(text)
    cell["id"] = cell_id
    tags = (["raises-exception"] if raises else []) + (["shows-error"] if shows_error else [])
    if tags:
        cell["metadata"]["tags"] = tags
    return cell


def setup_code(lang: str) -> str:
    lines = ["%load_ext kubenb"]
    if lang == "ja":
        lines.append("%kubenb lang ja")
    lines.append("%kubenb reset --seed 0")
    return "\n".join(lines)


def header(source: Source, lang: str, sources: list[Source]) -> str:
    words = WORDS[lang]
    other = "ja" if lang == "en" else "en"
    lines = [f"# {source.number}. {source.title[lang]}", "",
             f"[{words['index']}](../index.ipynb) · [{words['other']}](../{other}/{source.stem}.ipynb)"]
    if source.goals[lang]:
        lines += ["", f"## {words['goals']}", ""]
        lines += [f"- {goal}" for goal in source.goals[lang]]
    return "\n".join(lines)


def footer(source: Source, lang: str, sources: list[Source]) -> str:
    words = WORDS[lang]
    stems = [s.stem for s in sources]
    position = stems.index(source.stem)
    parts = []
    if source.summary[lang]:
        parts += [source.summary[lang].rstrip("\n"), "", "---", ""]
    links = []
    if position > 0:
        prev = sources[position - 1]
        links.append(f"← {words['previous']}: [{prev.number}. {prev.title[lang]}]({prev.stem}.ipynb)")
    links.append(f"[{words['index']}](../index.ipynb)")
    if position + 1 < len(sources):
        nxt = sources[position + 1]
        links.append(f"{words['next']}: [{nxt.number}. {nxt.title[lang]}]({nxt.stem}.ipynb) →")
    parts.append(" · ".join(links))
    if position + 1 == len(sources):
        parts += ["", words["end"]]
    return "\n".join(parts)


def new_notebook(cells: list[nbformat.NotebookNode], lang: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.nbformat, nb.nbformat_minor = 4, 5
    nb.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": dict(LANGUAGE_INFO),
                   "kubenb": {"lang": lang}}
    nb.cells = cells
    return nb


def make_notebook(source: Source, lang: str, sources: list[Source]) -> nbformat.NotebookNode:
    n = source.number
    cells = [_md(header(source, lang, sources), f"{n}-header"),
             _md(f"*{WORDS[lang]['setup']}*", f"{n}-setup-note"),
             _code(setup_code(lang), f"{n}-setup")]
    for cell in source.cells:
        if cell.kind == "markdown":
            cells.append(_md(cell.text[lang], cell.id))
        else:
            cells.append(_code(cell.text[lang], cell.id, cell.raises, cell.shows_error))
    cells.append(_md(footer(source, lang, sources), f"{n}-footer"))
    return new_notebook(cells, lang)


def make_index(sources: list[Source]) -> nbformat.NotebookNode:
    rows = ["| # | English | 日本語 |", "| :-: | :-- | :-- |"]
    for s in sources:
        rows.append(f"| {s.number} | [{s.title['en']}](en/{s.stem}.ipynb) | [{s.title['ja']}](ja/{s.stem}.ipynb) |")
    text = "\n".join([
        "# kubenb: Kubernetes basics / Kubernetes の基礎",
        "",
        "A hands-on course on Kubernetes in your notebook: every `kubectl` command runs against a whole "
        "Kubernetes v1.33 cluster simulated inside this kernel, and prints what the real kubectl prints.",
        "",
        "ノートブックの中で Kubernetes を実際に動かしながら学ぶコースです。`kubectl` のコマンドはこのカーネルの中で"
        "シミュレートされた Kubernetes v1.33 クラスタに対して実行され、本物の kubectl と同じ出力を表示します。",
        "",
        "Open the notebooks in order and run their cells from top to bottom (Shift+Enter). "
        "Each notebook starts with a fresh cluster.",
        "",
        "各ノートブックを順番に開き、セルを上から順に実行してください（Shift+Enter）。"
        "ノートブックごとに新しいクラスタで始まります。",
        "",
        *rows,
        "",
        "**Final assignment / 最終課題** (Deployments, Services, Ingress; nbgrader): "
        "[final-project](assignments/nbgrader/release/final-project/final-project.ipynb)",
    ])
    nb = new_notebook([_md(text, "index")], "en")
    return nb


# --- executing ----------------------------------------------------------------------------------------


def execute(nb: nbformat.NotebookNode, cwd: Path, timeout: int = 600) -> nbformat.NotebookNode:
    from nbclient import NotebookClient

    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            store_widget_state=True, resources={"metadata": {"path": str(cwd)}})
    client.execute()
    for cell in nb.cells:
        if cell.cell_type == "code":
            check_outputs(cell)
    return nb


ERROR_TEXT = re.compile(r"^(error: |Error from server|kubenb: internal error|kubenb: .* is not available yet)",
                        re.MULTILINE)


def check_outputs(cell: nbformat.NotebookNode) -> None:
    """An error the author did not ask for stops the build: a typo, or kubenb changed under the text."""
    tags = cell.metadata.get("tags", [])
    for output in cell.outputs:
        if output.get("output_type") == "error" and "raises-exception" not in tags:
            raise RuntimeError(f"cell {cell.id} raised {output.get('ename')}: {output.get('evalue')}")
        if output.get("output_type") == "stream" and output.get("name") == "stderr" and "shows-error" not in tags:
            if ERROR_TEXT.search(output.get("text", "")):
                raise RuntimeError(f"cell {cell.id} printed an error (mark the cell shows_error: true if that is "
                                   f"the point):\n{output['text']}")


def renumber_widgets(nb: nbformat.NotebookNode, seed: str) -> nbformat.NotebookNode:
    """Replace the random widget model ids (uuid4 hex) by ids derived from the notebook, in order."""
    text = json.dumps(nb, sort_keys=True, ensure_ascii=False)
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    # First appearance in the cells (the views), then the rest of the saved state (layouts, styles).
    order: list[str] = []
    for match in re.finditer(r'"model_id": "([0-9a-f]{32})"', json.dumps(nb.cells, ensure_ascii=False)):
        if match.group(1) not in order:
            order.append(match.group(1))
    for model_id in state:
        for found in re.findall(r"IPY_MODEL_([0-9a-f]{32})", json.dumps(state[model_id], sort_keys=True)):
            if found not in order and found in state:
                order.append(found)
        if model_id not in order:
            order.append(model_id)
    for number, model_id in enumerate(order):
        stable = hashlib.sha256(f"{seed}:{number}".encode()).hexdigest()[:32]
        text = text.replace(model_id, stable)
    result = nbformat.from_dict(json.loads(text))
    widgets = result.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json")
    if widgets:
        widgets["state"] = dict(sorted(widgets["state"].items()))
    return result


def write(nb: nbformat.NotebookNode, path: Path) -> bool:
    """Write if changed; True when the file changed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = nbformat.writes(nb) + "\n"
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


# --- checking -------------------------------------------------------------------------------------------


def cell_shape(nb: nbformat.NotebookNode) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """What a source decides about a notebook: each cell's type, id, text and tags (not its outputs)."""
    return [(c.cell_type, c.get("id", ""), c.source, tuple(c.metadata.get("tags", []))) for c in nb.cells]


def targets(sources: list[Source]) -> dict[Path, nbformat.NotebookNode]:
    """Every notebook the sources make (unexecuted)."""
    out = {NOTEBOOKS / "index.ipynb": make_index(sources)}
    for source in sources:
        for lang in LANGS:
            out[NOTEBOOKS / lang / f"{source.stem}.ipynb"] = make_notebook(source, lang, sources)
    return out


def stale(sources: list[Source]) -> list[str]:
    """Notebooks whose cells differ from their sources, missing ones, and ones with no source."""
    problems = []
    expected = targets(sources)
    for path, nb in expected.items():
        if not path.exists():
            problems.append(f"{path.relative_to(ROOT)}: missing (run scripts/build_notebooks.py)")
            continue
        saved = nbformat.read(path, as_version=4)
        if cell_shape(saved) != cell_shape(nb):
            problems.append(f"{path.relative_to(ROOT)}: cells differ from the source (run scripts/build_notebooks.py)")
        elif any(c.cell_type == "code" and c.execution_count is None for c in saved.cells):
            problems.append(f"{path.relative_to(ROOT)}: not executed (run scripts/build_notebooks.py)")
    for lang in LANGS:
        for path in sorted((NOTEBOOKS / lang).glob("*.ipynb")):
            if path not in expected:
                problems.append(f"{path.relative_to(ROOT)}: has no source in notebooks/src")
    if course_map(sources) != (COURSE_MAP.read_text(encoding="utf-8") if COURSE_MAP.exists() else ""):
        problems.append("docs/course-map.md: out of date (run scripts/build_notebooks.py)")
    return problems


# --- the course map ---------------------------------------------------------------------------------------


def course_map(sources: list[Source]) -> str:
    """docs/course-map.md: each lecture section and the cells that teach it (from ``teaches:``)."""
    sections = load_sections()
    known = {s["id"] for s in sections}
    taught: dict[str, list[str]] = {s["id"]: [] for s in sections}
    for source in sources:
        built = make_notebook(source, "en", sources)
        numbers = {cell.id: i for i, cell in enumerate(built.cells, start=1)}
        for cell in source.cells:
            for section in cell.teaches:
                if section not in known:
                    raise SourceError(f"{source.stem} cell {cell.id}: teaches unknown section {section!r} "
                                      f"(see {SECTIONS_FILE.relative_to(ROOT)})")
                taught[section].append(f"[{source.stem}](../notebooks/en/{source.stem}.ipynb) "
                                       f"cell {numbers[cell.id]} (`{cell.id}`)")
    lines = [
        "# Course map: the lecture and the notebooks that teach it",
        "",
        "Generated by `scripts/build_notebooks.py` from the `teaches:` keys of the cells in",
        "`notebooks/src/` and the section list `notebooks/src/lecture-sections.yaml`; do not edit by hand.",
        "Cell numbers count every cell of the notebook from 1 (markdown included), the same in the",
        "English (`notebooks/en/`) and Japanese (`notebooks/ja/`) notebooks; the id in backquotes is the",
        "cell's id in the `.ipynb` file.",
        "",
    ]
    chapter = None
    for section in sections:
        if section["chapter"] != chapter:
            chapter = section["chapter"]
            if lines[-1]:
                lines.append("")
            lines += [f"## {chapter}", ""]
        cells = taught[section["id"]]
        where = "; ".join(cells) if cells else "*not taught yet*"
        lines.append(f"- **{section['ja']}** ({section['en']}): {where}")
    lines.append("")
    return "\n".join(lines)


# --- main ----------------------------------------------------------------------------------------------


def build_one(path: Path, nb: nbformat.NotebookNode, run: bool) -> tuple[bool, str]:
    """(ok, message). A notebook whose run went wrong is still written, so its author can read it."""
    nb = copy.deepcopy(nb)
    path.parent.mkdir(parents=True, exist_ok=True)
    has_code = any(c.cell_type == "code" for c in nb.cells)
    problem = ""
    if run and has_code:
        try:
            nb = execute(nb, path.parent)
        except Exception as error:  # noqa: BLE001 - report it per notebook, build the others
            problem = f"{type(error).__name__}: {error}"
        nb = renumber_widgets(nb, path.relative_to(NOTEBOOKS).as_posix())
        # nbclient writes the kernel's exact Python version here; keep the file the same across builders.
        nb.metadata["language_info"] = dict(LANGUAGE_INFO)
    changed = write(nb, path)
    name = path.relative_to(ROOT)
    if problem:
        return False, f"FAILED {name}: {problem}"
    return True, f"{'wrote' if changed else 'unchanged'} {name}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("only", nargs="*", help="build only notebooks whose file name starts with one of these")
    parser.add_argument("--no-execute", action="store_true", help="write the cells without running them")
    parser.add_argument("--check", action="store_true", help="only check that the built notebooks are up to date")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks executed at once (default 2)")
    args = parser.parse_args(argv)
    try:
        sources = load_sources()
        if args.check:
            problems = stale(sources)
            for problem in problems:
                print(problem, file=sys.stderr)
            return 1 if problems else 0
        wanted = targets(sources)
        if args.only:
            wanted = {p: nb for p, nb in wanted.items()
                      if p.name.startswith(tuple(args.only)) or p == NOTEBOOKS / "index.ipynb"}
        COURSE_MAP.parent.mkdir(parents=True, exist_ok=True)
        COURSE_MAP.write_text(course_map(sources), encoding="utf-8")
    except SourceError as error:
        print(f"build_notebooks: {error}", file=sys.stderr)
        return 1
    failed = 0
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for ok, line in pool.map(lambda item: build_one(item[0], item[1], not args.no_execute), wanted.items()):
            print(line, file=sys.stdout if ok else sys.stderr, flush=True)
            failed += not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
