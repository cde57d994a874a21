"""manifests.py: YAML/JSON reading errors, compared with the real kubectl (``create -f X --dry-run=client``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubenb.kubectl.manifests import Manifest, ManifestError, ManifestPathError, read_manifests

CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n"


def _bomb() -> str:
    text = CM + 'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    for letter in "bcdefghi":
        prev = chr(ord(letter) - 1)
        text += f"{letter}: &{letter} [" + ",".join([f"*{prev}"] * 9) + "]\n"
    return text


# name -> file content; every one of these fails client-side in the real kubectl, before any server call.
BAD = {
    "mv.yaml": CM + "data:\n  x: 1\n  y: z: w\n",
    "tab.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: a\n",
    "indent.yaml": CM + "   bad: 1\n",
    "quote.yaml": 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "a\n',
    "flow.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a\n",
    "flowseq.yaml": "apiVersion: v1\nkind: Pod\nspec: [a, b\n",
    "blk.yaml": CM + " labels: x\n",
    "seq.yaml": "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n   image: b\n",
    "seq2.yaml": "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n  - name: b\n",
    "undef.yaml": "apiVersion: v1\nkind: Pod\nx: *nope\n",
    "simplekey.yaml": 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  "abc\n  x: 1\n',
    "nocolon.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name2\n",
    "at.yaml": "apiVersion: v1\nkind: Pod\nx: @foo\n",
    "nokind.yaml": "metadata:\n  name: a\n",
    "noapiv.yaml": "kind: ConfigMap\nmetadata:\n  name: a\n",
    "nokind2.yaml": "apiVersion: v1\nmetadata:\n  name: a\n",
    "scalar.yaml": "just a string\n",
    "alias.yaml": "a: &a [1,2]\nb: *a\n",
    "bomb.yaml": _bomb(),
    "first.yaml": "a: b: c\n",
    "tabfirst.yaml": "\tkind: x\n",
    "jsonkey.json": "{a: b}\n",
    "jsonvalue.json": '{"a": }\n',
    "bad.json": '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}\n',
}
BINARY = b"\xff\xfe\x00bad"


def _messages(names: list[str], files: dict[str, str]) -> str:
    items = read_manifests(names, files, read_disk=False)
    return "".join(f"{i.message}\n" for i in items if isinstance(i, ManifestError))


def _kubectl_style(messages: str) -> str:
    lines = messages.splitlines(keepends=True)
    return ("error: " + messages) if messages.count("\n") == 1 or (len(lines) == 2 and "ensure CRDs" in messages) \
        else messages


def test_bad_files_golden(golden) -> None:
    text = "".join(f"--- {name}\n{_kubectl_style(_messages([name], BAD))}" for name in sorted(BAD))
    golden("kubectl/manifest-errors", text)


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_files_match_real_kubectl(real_kubectl, tmp_path: Path, monkeypatch, name: str) -> None:
    (tmp_path / name).write_text(BAD[name])
    monkeypatch.chdir(tmp_path)
    real = real_kubectl("create", "-f", name, "--dry-run=client", "-o", "name")
    assert real.returncode == 1
    assert _kubectl_style(_messages([name], BAD)) == real.stderr


def test_binary_file_matches_real_kubectl(real_kubectl, tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "bin.yaml").write_bytes(BINARY)
    monkeypatch.chdir(tmp_path)
    real = real_kubectl("create", "-f", "bin.yaml", "--dry-run=client", "-o", "name")
    items = read_manifests(["bin.yaml"], {}, read_disk=True)
    assert [f"error: {i.message}\n" for i in items] == [real.stderr]


def test_missing_path(real_kubectl) -> None:
    with pytest.raises(ManifestPathError) as raised:
        read_manifests(["nope.yaml"], {}, read_disk=False)
    real = real_kubectl("create", "-f", "nope.yaml", "--dry-run=client")
    assert real.stderr == f"error: {raised.value}\n"


def test_multi_document_good_then_bad_then_unread() -> None:
    text = CM + "---\n" + CM.replace("name: a", "name: b") + "  x: y: z\n---\n" + CM.replace("name: a", "name: c")
    items = read_manifests(["m.yaml"], {"m.yaml": text})
    assert isinstance(items[0], Manifest) and items[0].obj["metadata"]["name"] == "a"
    # Line numbers count from the start of the document, as go-yaml sees one document at a time.
    assert [i.message for i in items[1:]] == [
        "error parsing m.yaml: error converting YAML to JSON: yaml: line 5: mapping values are not allowed in this "
        "context"]


def test_empty_comment_and_null_documents_are_skipped() -> None:
    text = "# only a comment\n---\n---\nnull\n---\n" + CM
    items = read_manifests(["c.yaml"], {"c.yaml": text})
    assert [i.obj["metadata"]["name"] for i in items] == ["a"]


def test_list_kind_is_expanded_and_unknown_kind_reported() -> None:
    text = ("apiVersion: v1\nkind: List\nitems:\n- " + CM.replace("\n", "\n  ").rstrip() + "\n"
            "---\napiVersion: v1\nkind: Foo\nmetadata:\n  name: x\n")
    items = read_manifests(["l.yaml"], {"l.yaml": text})
    assert isinstance(items[0], Manifest)
    assert items[1].message == ('resource mapping not found for name: "x" namespace: "" from "l.yaml": no matches '
                                'for kind "Foo" in version "v1"\nensure CRDs are installed first')


def test_python_tags_never_build_objects() -> None:
    text = CM + "data:\n  x: !!python/object/apply:os.system [echo hi]\n"
    items = read_manifests(["t.yaml"], {"t.yaml": text})
    assert items[0].obj["data"]["x"] == ["echo hi"]


def test_urls_are_refused() -> None:
    with pytest.raises(ManifestPathError, match="kubenb: cannot read https://x/y.yaml"):
        read_manifests(["https://x/y.yaml"], {})


def test_directory_of_virtual_files(tmp_path: Path) -> None:
    files = {"app/a.yaml": CM, "app/notes.txt": "x", "app/sub/b.yml": CM.replace("name: a", "name: b")}
    flat = read_manifests(["app"], files)
    deep = read_manifests(["app"], files, recursive=True)
    assert [i.obj["metadata"]["name"] for i in flat] == ["a"]
    assert [i.obj["metadata"]["name"] for i in deep] == ["a", "b"]


def test_stdin_source_name() -> None:
    items = read_manifests(["-"], {}, stdin=CM)
    assert items[0].source == "STDIN"
