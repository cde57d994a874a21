"""The ``-o`` printers shared by get and the commands that print objects.

Mirrors k8s.io/cli-runtime ``pkg/genericclioptions/print_flags.go`` (which
printer an ``-o`` value picks and its error texts) and kubectl get's generic
printing (one object alone, several as a ``kind: List``).

Left out: go-template (kubenb says so plainly: Go templates are not
emulated).
"""

from __future__ import annotations

from kubenb.api.resources import ResourceType
from kubenb.kubectl.printers import custom_columns, jsonpath
from kubenb.kubectl.printers.structured import to_json, to_yaml

GET_FORMATS = ("custom-columns", "custom-columns-file", "go-template", "go-template-file", "json", "jsonpath",
               "jsonpath-as-json", "jsonpath-file", "name", "template", "templatefile", "wide", "yaml")


class OutputError(ValueError):
    """An ``-o`` problem; printed as ``error: <message>``."""


def split_format(output: str) -> tuple[str, str]:
    name, sep, argument = output.partition("=")
    return name, argument if sep else ""


def check_format(output: str, allowed: tuple[str, ...] = GET_FORMATS) -> None:
    name, argument = split_format(output)
    if name not in allowed or (name in ("custom-columns",) and not argument):
        raise OutputError(f'unable to match a printer suitable for the output format "{output}", allowed formats '
                          f"are: {','.join(allowed)}")
    if name in ("jsonpath", "jsonpath-file", "jsonpath-as-json", "go-template", "go-template-file", "template",
                "templatefile") and not argument:
        raise OutputError("template format specified but no template given")
    if name in ("go-template", "go-template-file", "template", "templatefile"):
        raise OutputError(f"kubenb: -o {name} (Go templates) is not supported; use -o jsonpath=... instead")


def as_list(objs: list[dict]) -> dict:
    return {"apiVersion": "v1", "items": objs, "kind": "List", "metadata": {"resourceVersion": ""}}


def name_line(rtype: ResourceType, obj: dict) -> str:
    return f"{rtype.kind_prefix}/{obj.get('metadata', {}).get('name', '')}\n"


def print_generic(output: str, document: dict, files: dict | None = None) -> str:
    """yaml, json, jsonpath, custom-columns for one document (an object or a List)."""
    name, argument = split_format(output)
    if name == "yaml":
        return to_yaml(document)
    if name == "json":
        return to_json(document)
    if name in ("jsonpath", "jsonpath-file", "jsonpath-as-json"):
        template = argument
        if name == "jsonpath-file":
            template = _read(argument, files)
        try:
            nodes = jsonpath.parse_template(template)
        except jsonpath.JSONPathExecutionError as error:
            raise OutputError(_execution_message(template, error)) from None
        except jsonpath.JSONPathError as error:
            raise OutputError(f"error parsing jsonpath {template}, {error}") from None
        try:
            if name == "jsonpath-as-json":
                values = []
                for node in nodes:
                    path = getattr(node, "path", None)
                    if path is not None:
                        values += jsonpath._values(path, document, document)
                return to_json(values)
            return jsonpath.execute(nodes, document)
        except jsonpath.JSONPathError as error:
            raise OutputError(_execution_message(template, error)) from None
    raise OutputError(f'unable to match a printer suitable for the output format "{output}"')


def _execution_message(template: str, error: Exception) -> str:
    # kubectl also dumps the object with Go's %#v; kubenb stops after the template.
    return (f'error executing jsonpath "{template}": Error executing template: {error}. Printing more '
            f"information for debugging the template:\n\ttemplate was:\n\t\t{template}\n")


def custom_columns_for(output: str, files: dict | None = None) -> list[custom_columns.CustomColumn]:
    name, argument = split_format(output)
    try:
        if name == "custom-columns-file":
            return custom_columns.parse_file(_read(argument, files))
        return custom_columns.parse_spec(argument)
    except custom_columns.CustomColumnsError as error:
        raise OutputError(str(error)) from None


def _read(path: str, files: dict | None) -> str:
    if files is not None and path in files:
        return files[path]
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError:
        raise OutputError(f"error reading template {path}, open {path}: no such file or directory") from None
