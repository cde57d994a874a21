"""Reading ``-f`` manifests: cli-runtime's FileVisitor / StreamVisitor and apimachinery's YAMLOrJSONDecoder.

- Sources, in order: the notebook's virtual files (``env.files``, filled by
  ``%%manifest`` cells), then the disk (when ``env.read_disk``); directories
  (``-R`` to recurse) contribute only ``.json``, ``.yaml`` and ``.yml`` files,
  sorted by name as ``filepath.Walk`` does; ``-`` is stdin. URLs are refused:
  the notebook has no network.
- A stream is split into YAML documents on ``---`` lines (yaml.NewYAMLReader),
  so go-yaml's line numbers are relative to the document, as kubectl's are.
  A stream starting with ``{`` is JSON; a JSON syntax error (other than a
  truncated document) is retried as YAML, as apimachinery's decoder does.
- Each document goes through PyYAML's *safe* loader (unknown tags keep their
  plain value as go-yaml does; never a Python object). go-yaml's wording and
  line rule (scanner errors 1-based, parser errors 0-based) are reproduced.
- Excessive aliasing ("billion laughs") is refused with go-yaml's message.
- Empty, comment-only and ``null`` documents are skipped; ``kind: List`` is
  expanded into its items.

As in kubectl, a parse error ends its file (documents before it are still
used) and other files go on; per-document problems (validation, unknown kind)
are reported and the next document is read.

Left out: kustomize (``-k``), URLs, OpenAPI client-side schema validation
(the API server validates strictly, as with kubectl's default
``--validate=strict``).
"""

from __future__ import annotations

import json
import os
import re
import struct
from collections.abc import Iterator
from typing import NamedTuple

import yaml

from kubenb.api import resources

STDIN_SOURCE = "STDIN"
_EXTENSIONS = (".json", ".yaml", ".yml")
# Upper bound on one manifest source (the notebook is not a place for huge files).
MAX_BYTES = 8 * 1024 * 1024


class ManifestPathError(Exception):
    """A ``-f`` argument that cannot be read at all: kubectl stops before doing anything."""


# NamedTuples rather than frozen dataclasses: a dataclass writes and compiles its methods when the module
# loads, and this module loads on a notebook's first `kubectl apply -f`, inside the command's own time.
class Manifest(NamedTuple):
    """One object read from a file: ``source`` is the name kubectl prints (``dep.yaml`` or ``STDIN``)."""

    obj: dict
    source: str


class ManifestError(NamedTuple):
    """A problem with one document or file; kubectl reports it and goes on with the next source."""

    message: str
    source: str


# --- go-yaml compatible loading ------------------------------------------------------------------

class _Loader(yaml.SafeLoader):
    """SafeLoader where unknown tags (``!foo``, ``!!python/...``) just carry their plain value."""


def _construct_untagged(loader: yaml.SafeLoader, _suffix: str, node: yaml.Node) -> object:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_scalar(node)


_Loader.add_multi_constructor("!", _construct_untagged)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_untagged)


def _construct_timestamp_as_string(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    # sigs.k8s.io/yaml converts to JSON: an unquoted date stays the string it was written as.
    return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_string)
_Loader.add_constructor("tag:yaml.org,2002:binary", _construct_timestamp_as_string)

# go-yaml v2 (behind sigs.k8s.io/yaml) also reads a plain y/Y/n/N as a boolean, which YAML 1.1 allows
# and PyYAML does not: ``name: y`` is a bool for kubectl and fails to decode into a string field.
_Loader.bool_values = {**yaml.SafeLoader.bool_values, "y": True, "n": False}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:y|Y|n|N)$"), list("yYnN"))


_CSafeLoader = getattr(yaml, "CSafeLoader", None)
_CLoader = None
if _CSafeLoader is not None:

    class _CLoader(_CSafeLoader):  # type: ignore[no-redef, misc, valid-type]
        """_Loader's constructors and resolvers over libyaml's C parser (go-yaml is a port of it)."""

        yaml_constructors = _Loader.yaml_constructors
        yaml_multi_constructors = _Loader.yaml_multi_constructors
        yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
        bool_values = _Loader.bool_values


# Characters that steer a document into the parsers' corners (tags, anchors, directives, escapes,
# tabs, control bytes): such text, and any text the C parser refuses, takes the Python parser, whose
# errors _go_yaml_message translates. The rest (ordinary manifests) parse the same in both, faster in C.
_C_UNSAFE = re.compile(r"[^\n\x20-\x7e]|[!&*%\\]")


def _load_with_c_parser(text: str) -> tuple[bool, object]:
    """(True, document) when the C parser read ``text``; (False, None) to take the Python path."""
    if _CLoader is None or not text.isascii() or _C_UNSAFE.search(text):
        return False, None
    loader = _CLoader(text)
    try:
        node = loader.get_single_node()
        # No _check_aliasing here: _C_UNSAFE sends every text with "*" (an alias) to the Python path.
        if node is None:
            return True, None
        try:
            return True, _construct_plain(loader, node)
        except _NotPlain:
            return True, json_keys(loader.construct_document(node))
    except Exception:  # noqa: BLE001 - any refusal: the Python parser gives the exact error
        return False, None
    finally:
        loader.dispose()


_STR_TAG = "tag:yaml.org,2002:str"


class _NotPlain(Exception):
    """A mapping key that is not a plain string (a number, a bool, a merge key ``<<``)."""


def _construct_plain(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    """What ``json_keys(loader.construct_document(node))`` gives for a document whose keys are all strings.

    The C path has no tags and no anchors, so a string node's value is the string itself; the constructor's
    per-node dispatch (most of a manifest's load time) is kept for the other scalars. Any other key (which
    json_keys would convert, or a merge key) raises _NotPlain and the caller takes the general path."""
    if isinstance(node, yaml.ScalarNode):
        return node.value if node.tag == _STR_TAG else loader.construct_object(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        return [_construct_plain(loader, child) for child in node.value]
    if isinstance(node, yaml.MappingNode):
        mapping = {}
        for key_node, value_node in node.value:
            if key_node.tag != _STR_TAG or not isinstance(key_node, yaml.ScalarNode):
                raise _NotPlain
            mapping[key_node.value] = _construct_plain(loader, value_node)
        return mapping
    raise _NotPlain


def load_yaml(text: str) -> object:
    """One YAML document read as kubectl reads it (go-yaml v2 scalars, unknown tags as plain values)."""
    return json_keys(yaml.load(text, Loader=_Loader))  # noqa: S506 - _Loader is a SafeLoader


def _go_float(value: float) -> str:
    """strconv.FormatFloat(value, 'g', -1, 32), as sigs.k8s.io/yaml turns a float map key into a string."""
    if value != value:
        return ".nan"
    if value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    single = struct.unpack("f", struct.pack("f", value))[0]
    for precision in range(1, 10):  # the shortest digits that read back as the same float32
        digits = f"{single:.{precision - 1}e}"
        if struct.unpack("f", struct.pack("f", float(digits)))[0] == single:
            break
    mantissa, exponent_text = digits.split("e")
    exponent = int(exponent_text)
    mantissa = mantissa.rstrip("0").rstrip(".") if "." in mantissa else mantissa
    if exponent < -4 or exponent >= 6:  # %e form, Go style: at least two exponent digits
        return f"{mantissa}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"
    return f"{float(mantissa) * 10 ** exponent:.{max(0, len(mantissa.replace('-', '').replace('.', '')) - 1 - exponent)}f}"


def json_keys(value: object) -> object:
    """sigs.k8s.io/yaml's YAML→JSON step: map keys become strings (``true``, ``5``, ``1.5``)."""
    if isinstance(value, dict):
        converted = {}
        for key, item in value.items():
            if type(key) is not str:  # string keys (nearly all) need no look at their type
                if isinstance(key, bool):
                    key = "true" if key else "false"
                elif isinstance(key, int):
                    key = str(key)
                elif isinstance(key, float):
                    key = _go_float(key)
            converted[key] = json_keys(item) if isinstance(item, (dict, list)) else item
        return converted
    if isinstance(value, list):
        return [json_keys(item) if isinstance(item, (dict, list)) else item for item in value]
    return value

_PARSER_PROBLEMS = [
    (re.compile(r"expected ',' or '\}'"), "did not find expected ',' or '}'"),
    (re.compile(r"expected ',' or '\]'"), "did not find expected ',' or ']'"),
    (re.compile(r"expected '<document start>'"), "did not find expected <document start>"),
    (re.compile(r"expected <block end>"), None),  # depends on context (below)
    (re.compile(r"expected the node content"), "did not find expected node content"),
]


def _go_yaml_message(error: yaml.YAMLError) -> str:
    """go-yaml v2's ``yaml: line N: <problem>`` for a PyYAML error (yaml.v2 decode.go ``fail``)."""
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None) or ""
    problem_mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    if isinstance(error, yaml.composer.ComposerError) and "undefined alias" in problem:
        anchor = problem.split("'")[1] if "'" in problem else ""
        return f"yaml: unknown anchor '{anchor}' referenced"
    scanner = isinstance(error, yaml.scanner.ScannerError)
    if scanner:
        text = problem
        if re.match(r"found character '.*' that cannot start any token", text, re.S):
            text = "found character that cannot start any token"
        elif text == "mapping values are not allowed here":
            text = "mapping values are not allowed in this context"
    else:
        text = problem
        for pattern, replacement in _PARSER_PROBLEMS:
            if pattern.search(problem):
                if replacement is None:
                    replacement = ("did not find expected '-' indicator" if "block collection" in context
                                   else "did not find expected key")
                text = replacement
                break
    # yaml.v2 decode.go: the 0-based problem line, plus one for scanner errors; when it is 0, the
    # 0-based context line; when that is 0 too, no line at all.
    line = 0
    if problem_mark is not None and problem_mark.line != 0:
        line = problem_mark.line + (1 if scanner else 0)
    elif context_mark is not None and context_mark.line != 0:
        line = context_mark.line
    return f"yaml: line {line}: {text}" if line else f"yaml: {text}"


def _allowed_alias_ratio(decode_count: int) -> float:
    # yaml.v2 decode.go allowedAliasRatio: generous for small documents, strict for huge ones.
    if decode_count <= 400_000:
        return 0.99
    if decode_count >= 4_000_000:
        return 0.10
    return 0.99 - 0.89 * (decode_count - 400_000) / 3_600_000


def _check_aliasing(node: yaml.Node | None) -> None:
    """Refuse documents whose aliases expand enormously (go-yaml's "excessive aliasing")."""
    if node is None:
        return
    sizes: dict[int, int] = {}
    seen_anchor_nodes: set[int] = set()
    alias_count = 0

    def size(n: yaml.Node) -> int:
        nonlocal alias_count
        key = id(n)
        if key in sizes:
            alias_count += 1
            return sizes[key]
        sizes[key] = 1  # guards recursive structures
        total = 1
        if isinstance(n, yaml.SequenceNode):
            total += sum(size(child) for child in n.value)
        elif isinstance(n, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in n.value)
        sizes[key] = total
        seen_anchor_nodes.add(key)
        return total

    decode_count = size(node)
    if alias_count > 100 and decode_count > 1000 and alias_count / decode_count > _allowed_alias_ratio(decode_count):
        raise _ParseFailure("yaml: document contains excessive aliasing")
    if decode_count > 400_000 and alias_count > 0:
        raise _ParseFailure("yaml: document contains excessive aliasing")


class _ParseFailure(Exception):
    pass


def _load_yaml_document(text: str) -> object:
    parsed, document = _load_with_c_parser(text)
    if parsed:
        return document
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError:
        return text  # control bytes: go-yaml reads a plain string, which then fails validation
    try:
        node = loader.get_single_node()
        _check_aliasing(node)
        if node is None:
            return None
        return json_keys(loader.construct_document(node))
    except yaml.reader.ReaderError:
        return text  # control bytes: go-yaml reads a plain string, which then fails validation
    except yaml.YAMLError as error:
        raise _ParseFailure(_go_yaml_message(error)) from None
    except RecursionError:
        raise _ParseFailure("yaml: exceeded max depth of 10000") from None
    finally:
        loader.dispose()


def split_yaml_documents(text: str) -> list[str]:
    """yaml.NewYAMLReader: a line starting with ``---`` (then only blanks or a comment) separates documents."""
    documents: list[str] = []
    current: list[str] = []
    for line in text.splitlines(keepends=True):
        if line.startswith("---"):
            rest = line[3:].strip()
            if not rest or rest.startswith("#"):
                documents.append("".join(current))
                current = []
                continue
        current.append(line)
    documents.append("".join(current))
    return documents


def _json_error(error: json.JSONDecodeError, text: str) -> str:
    """encoding/json's wording for the common cases."""
    if error.pos >= len(text.rstrip()):
        return "unexpected EOF"
    char = text[error.pos]
    if "property name" in error.msg:
        return f"invalid character '{char}' looking for beginning of object key string"
    if "Expecting value" in error.msg:
        return f"invalid character '{char}' looking for beginning of value"
    if "delimiter" in error.msg:
        where = "object key:value pair" if "':'" in error.msg else (
            "object key:value pair" if "','" in error.msg and "{" in text[:error.pos] else "array element")
        return f"invalid character '{char}' after {where}"
    return f"invalid character '{char}' after top-level value"


def _raw_documents(text: str) -> Iterator[object]:
    """Each decoded document (dict, list, scalar or None); raises _ParseFailure at the first bad one."""
    stripped = text.lstrip()
    if stripped.startswith("{"):
        decoder = json.JSONDecoder()
        position = len(text) - len(stripped)
        while True:
            while position < len(text) and text[position].isspace():
                position += 1
            if position >= len(text):
                return
            try:
                value, position = decoder.raw_decode(text, position)
            except json.JSONDecodeError as error:
                message = _json_error(error, text)
                if message == "unexpected EOF":
                    raise _ParseFailure(message) from None
                # apimachinery's YAMLOrJSONDecoder retries a JSON syntax error as YAML ("{a: b}" is YAML).
                text = text[position:]
                break
            yield value
    for document in split_yaml_documents(text):
        if not document.strip():
            continue
        value = _load_yaml_document(document)
        yield value


# --- validation of one document ------------------------------------------------------------------------------

def _validate(document: object) -> str | None:
    """The checks kubectl makes before mapping (cli-runtime ``ValidateSchema`` + the type detector)."""
    if not isinstance(document, dict):
        return "invalid object to validate"
    missing = []
    if not document.get("apiVersion"):
        missing.append("apiVersion not set")
    if not document.get("kind"):
        missing.append("kind not set")
    if len(missing) == 1:
        return missing[0]
    if missing:
        return "[" + ", ".join(missing) + "]"
    return None


def _objects_of(document: dict) -> list[dict]:
    if document.get("kind") == "List" or (str(document.get("kind", "")).endswith("List")
                                          and isinstance(document.get("items"), list)):
        return [item for item in document.get("items") or [] if isinstance(item, dict)]
    return [document]


def mapping_error(obj: dict, source: str) -> str | None:
    """``resource mapping not found`` when the server has no such kind (cli-runtime mapper)."""
    if resources.for_object(obj) is not None:
        return None
    md = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    api_version = str(obj.get("apiVersion", ""))
    group, _, version = api_version.rpartition("/")
    kind_text = f'kind "{obj.get("kind", "")}" in version "{api_version}"'
    return (f'resource mapping not found for name: "{md.get("name", "")}" namespace: '
            f'"{md.get("namespace", "")}" from "{source}": no matches for {kind_text}\n'
            "ensure CRDs are installed first")


def _json_type(value: object) -> str:
    """encoding/json's word for a JSON value in an UnmarshalTypeError."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return {list: "array", str: "string", dict: "object"}.get(type(value), "value")


def read_stream(text: str, source: str, *, validate: bool = True) -> Iterator[Manifest | ManifestError]:
    """The objects of one file, in order; a parse error ends the file, as kubectl's StreamVisitor does."""
    try:
        for document in _raw_documents(text):
            if document is None:
                continue
            if isinstance(document, list) and validate:
                continue  # a bare YAML list: kubectl's validator lets it through and nothing is decoded
            if validate:
                problem = _validate(document)
                if problem:
                    yield ManifestError(f'error validating "{source}": error validating data: {problem}; if you '
                                        "choose to ignore these errors, turn validation off with --validate=false",
                                        source)
                    return
            if not isinstance(document, dict):
                what = "array" if isinstance(document, list) else "string" if isinstance(document, str) else "number"
                yield ManifestError(f'unable to decode "{source}": json: cannot unmarshal {what} into Go value of '
                                    "type unstructured.detector", source)
                continue
            if not document.get("kind"):
                compact = json.dumps(document, separators=(",", ":"), sort_keys=True)
                yield ManifestError(f"unable to decode \"{source}\": Object 'Kind' is missing in '{compact}'", source)
                continue
            metadata = document.get("metadata")
            if metadata is not None and not isinstance(metadata, dict):
                what = _json_type(metadata)
                yield ManifestError(f'unable to decode "{source}": json: cannot unmarshal {what} into Go struct '
                                    "field metadataOnlyObject.metadata of type v1.ObjectMeta", source)
                continue
            wrong = [key for key in ("name", "namespace") if not isinstance((metadata or {}).get(key, ""), str)
                     and (metadata or {}).get(key) is not None]
            if wrong:
                what = _json_type(metadata[wrong[0]])
                yield ManifestError(f'unable to decode "{source}": json: cannot unmarshal {what} into Go struct '
                                    f"field ObjectMeta.metadata.{wrong[0]} of type string", source)
                continue
            for obj in _objects_of(document):
                problem = mapping_error(obj, source)
                if problem:
                    yield ManifestError(problem, source)
                    continue
                yield Manifest(obj, source)
    except _ParseFailure as failure:
        message = str(failure)
        if message.startswith("yaml:"):
            message = "error converting YAML to JSON: " + message
        yield ManifestError(f"error parsing {source}: {message}", source)


# --- sources --------------------------------------------------------------------------------------------------

def _read_disk(path: str) -> str:
    with open(path, "rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ManifestPathError(f"kubenb: {path} is larger than {MAX_BYTES // (1024 * 1024)} MiB")
    # Go strings are bytes: invalid UTF-8 is replaced, and the decoder then rejects what is left.
    return data.decode("utf-8", errors="replace")


def expand_sources(names: list[str], files: dict | object, *, recursive: bool, read_disk: bool,
                   stdin: str) -> list[tuple[str, str]]:
    """(source name, text) for every ``-f`` argument, in order; raises ManifestPathError up front."""
    virtual = files  # a Mapping
    sources: list[tuple[str, str]] = []
    for name in names:
        if name == "-":
            sources.append((STDIN_SOURCE, stdin))
            continue
        if name.startswith(("http://", "https://")):
            raise ManifestPathError(f"kubenb: cannot read {name}: the notebook cluster has no network access; "
                                    "paste the manifest into a %%manifest cell instead")
        if name in virtual:  # type: ignore[operator]
            sources.append((name, virtual[name]))  # type: ignore[index]
            continue
        prefix = name.rstrip("/") + "/"
        virtual_children = sorted(k for k in virtual if k.startswith(prefix))  # type: ignore[attr-defined]
        if virtual_children:
            for child in virtual_children:
                rest = child[len(prefix):]
                if ("/" in rest and not recursive) or not child.endswith(_EXTENSIONS):
                    continue
                sources.append((child, virtual[child]))  # type: ignore[index]
            continue
        if read_disk and os.path.isdir(name):
            for child in _walk(name, recursive):
                sources.append((child, _read_disk(child)))
            continue
        if read_disk and os.path.isfile(name):
            sources.append((name, _read_disk(name)))
            continue
        raise ManifestPathError(f'the path "{name}" does not exist')
    return sources


def _walk(root: str, recursive: bool) -> list[str]:
    found: list[str] = []
    for entry in sorted(os.listdir(root)):
        path = os.path.join(root, entry)
        if os.path.isdir(path):
            if recursive:
                found.extend(_walk(path, recursive))
            continue
        if entry.endswith(_EXTENSIONS):
            found.append(path)
    return found


def read_manifests(names: list[str], files: dict | object, *, recursive: bool = False, read_disk: bool = True,
                   stdin: str = "", validate: bool = True) -> list[Manifest | ManifestError]:
    """Every object (or error) of every ``-f`` source, in kubectl's order."""
    items: list[Manifest | ManifestError] = []
    for source, text in expand_sources(names, files, recursive=recursive, read_disk=read_disk, stdin=stdin):
        items.extend(read_stream(text, source, validate=validate))
    return items


def read_objects(inv: object, filenames: list[str], *, recursive: bool = False, validate: bool = True,
                 verb: str = "create") -> Iterator[tuple[str, dict]]:
    """(source, object) pairs for a verb that handles server errors itself (``create -f``).

    A generator: good objects come first, in order; problems with files or documents are raised
    at the end as one KubectlError (one message: ``error: ...``; several: one per line), so the
    objects before a bad document are still acted on, as kubectl does. Nothing read at all:
    ``error: no objects passed to <verb>``. ``-n`` that contradicts an object's namespace is one
    of those problems.
    """
    from kubenb.kubectl.cli import KubectlError

    env = inv.env  # type: ignore[attr-defined]
    try:
        items = read_manifests(filenames, env.files, recursive=recursive, read_disk=env.read_disk, stdin=env.stdin,
                               validate=validate)
    except ManifestPathError as error:
        raise KubectlError(str(error)) from None
    problems: list[str] = []
    produced = 0
    for item in items:
        if isinstance(item, ManifestError):
            problems.append(item.message)
            continue
        md = item.obj.get("metadata") if isinstance(item.obj.get("metadata"), dict) else {}
        own = md.get("namespace")
        rtype = resources.for_object(item.obj)
        if own and rtype is not None and rtype.namespaced and inv.namespace_explicit and own != inv.namespace:  # type: ignore[attr-defined]
            problems.append(f'the namespace from the provided object "{own}" does not match the namespace '
                            f'"{inv.namespace}". You must pass \'--namespace={own}\' to perform this operation.')  # type: ignore[attr-defined]
            continue
        produced += 1
        yield item.source, item.obj
    if len(problems) == 1:
        raise KubectlError(problems[0])
    if problems:
        raise KubectlError("\n".join(problems), raw=True)
    if produced == 0:
        raise KubectlError(f"no objects passed to {verb}")
