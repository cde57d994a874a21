"""Key/value sources for ConfigMaps and Secrets (kubectl ``pkg/cmd/create/create_configmap.go``,
``create_secret.go``, ``pkg/util/hash``): --from-literal, --from-file (``key=path``, directories),
--from-env-file, and the --append-hash name suffix.

Files come from the notebook's virtual files first, then (if allowed) the disk.
Left out: symlink handling inside directories.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re

from kubenb.kubectl.cli import Invocation, KubectlError

_CONFIG_KEY = re.compile(r"[-._a-zA-Z0-9]+")
_ENV_NAME = re.compile(r"[-._a-zA-Z][-._a-zA-Z0-9]*")


def config_key_errors(key: str) -> list[str]:
    """validation.IsConfigMapKey."""
    errs = []
    if len(key) > 253:
        errs.append("must be no more than 253 characters")
    if not _CONFIG_KEY.fullmatch(key):
        errs.append("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. "
                    "'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')")
    if key == ".":
        errs.append("must not be '.'")
    elif key == "..":
        errs.append("must not be '..'")
    elif key.startswith(".."):
        errs.append("must not start with '..'")
    return errs


def env_name_errors(key: str) -> list[str]:
    """validation.IsEnvVarName."""
    errs = []
    if not _ENV_NAME.fullmatch(key):
        errs.append("a valid environment variable name must consist of alphabetic characters, digits, '_', '-', "
                    "or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or "
                    "'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')")
    if key == ".":
        errs.append("must not be '.'")
    elif key == "..":
        errs.append("must not be '..'")
    elif key.startswith(".."):
        errs.append("must not start with '..'")
    return errs


def key_error(kind: str, key: str, errs: list[str]) -> KubectlError:
    """The two generators word an invalid key differently."""
    if kind == "Secret":
        return KubectlError(f'"{key}" is not valid key name for a Secret {";".join(errs)}')
    return KubectlError(f'"{key}" is not a valid key name for a {kind}: {";".join(errs)}')


def parse_literal(source: str) -> tuple[str, str]:
    key, sep, value = source.partition("=")
    if not sep or not key:
        raise KubectlError(f"invalid literal source {source}, expected key=value")
    return key, value


def read_bytes(inv: Invocation, path: str) -> bytes:
    files = inv.env.files
    if path in files:
        text = files[path]
        return text.encode() if isinstance(text, str) else bytes(text)
    if inv.env.read_disk and os.path.isfile(path):
        with open(path, "rb") as handle:
            return handle.read()
    raise FileNotFoundError(path)


def _is_dir(inv: Invocation, path: str) -> bool:
    prefix = path.rstrip("/") + "/"
    if any(name.startswith(prefix) for name in inv.env.files):
        return True
    return inv.env.read_disk and os.path.isdir(path)


def _dir_entries(inv: Invocation, path: str) -> list[str]:
    prefix = path.rstrip("/") + "/"
    names = {name[len(prefix):] for name in inv.env.files if name.startswith(prefix) and "/" not in name[len(prefix):]}
    if inv.env.read_disk and os.path.isdir(path):
        names |= {entry for entry in os.listdir(path) if os.path.isfile(os.path.join(path, entry))}
    return sorted(names)


def _exists(inv: Invocation, path: str) -> bool:
    return path in inv.env.files or _is_dir(inv, path) or (inv.env.read_disk and os.path.exists(path))


def file_sources(inv: Invocation, sources: list[str], kind: str) -> list[tuple[str, bytes]]:
    """--from-file: ``path``, ``key=path`` or a directory (each regular file, by name)."""
    result: list[tuple[str, bytes]] = []
    for source in sources:
        key, sep, path = source.partition("=")
        if not sep:
            key, path = "", source
        elif not key:
            raise KubectlError(f"key name for file path {path} missing")
        elif not path:
            raise KubectlError(f"file path for key name {key} missing")
        elif "=" in path:
            raise KubectlError("key names or file paths cannot contain '='")
        if not _exists(inv, path):
            raise KubectlError(f"error reading {path}: no such file or directory")
        if _is_dir(inv, path):
            if key:
                raise KubectlError("cannot give a key name for a directory path")
            for entry in _dir_entries(inv, path):
                full = os.path.join(path, entry)
                errs = config_key_errors(entry)
                if errs:
                    raise key_error(kind, entry, errs)
                result.append((entry, read_bytes(inv, full)))
            continue
        name = key or os.path.basename(path)
        errs = config_key_errors(name)
        if errs:
            raise key_error(kind, name, errs)
        result.append((name, read_bytes(inv, path)))
    return result


def env_file_pairs(inv: Invocation, path: str) -> list[tuple[str, str]]:
    """--from-env-file: KEY=VALUE lines; blank lines and ``#`` comments skipped."""
    try:
        data = read_bytes(inv, path)
    except FileNotFoundError:
        raise KubectlError(f"error reading {path}: no such file or directory") from None
    text = data.decode("utf-8", errors="replace")
    pairs = []
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.removeprefix("\ufeff") if number == 1 else raw
        line = line.rstrip("\r")
        stripped = line.lstrip()
        if not stripped or stripped.startswith("#"):
            continue
        key, sep, value = stripped.partition("=")
        errs = env_name_errors(key)
        if errs:
            raise KubectlError(f'"{key}" is not a valid key name: {";".join(errs)}')
        if not sep:
            continue  # kubectl takes a bare KEY from its own environment; a notebook has none
        pairs.append((key, value))
    return pairs


def _encode_hash(hex_digest: str) -> str:
    table = str.maketrans({"0": "g", "1": "h", "3": "k", "a": "m", "e": "t"})
    return hex_digest[:10].translate(table)


def configmap_hash(cm: dict) -> str:
    doc: dict = {"data": cm.get("data") or {}, "kind": "ConfigMap", "name": cm["metadata"]["name"]}
    if cm.get("binaryData"):
        doc = {"binaryData": cm["binaryData"], **doc}
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return _encode_hash(hashlib.sha256(text.encode()).hexdigest())


def secret_hash(secret: dict) -> str:
    doc = {"data": secret.get("data") or {}, "kind": "Secret", "name": secret["metadata"]["name"],
           "type": secret.get("type", "")}
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return _encode_hash(hashlib.sha256(text.encode()).hexdigest())


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
