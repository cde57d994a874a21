"""kubectl explain (pkg/cmd/explain/explain.go with the v2 OpenAPI-v3 plaintext template).

Descriptions, types and required markers come from the v1.33 schemas through
``api.schema``. Output layout: GROUP/KIND/VERSION header, FIELD line for a
field path, DESCRIPTION wrapped at 75 columns and indented 4, FIELDS with
``name<TAB><type>[ -required-]`` (and ``enum:`` lines), ``--recursive`` listing
nested field names only. Left out: ``--output=plaintext-openapiv2``, CRDs,
``explain`` of subresources.
"""

from __future__ import annotations

from kubenb.api import resources, schema
from kubenb.kubectl import flags as pflag
from kubenb.kubectl.cli import Command, Invocation, KubectlError, UsageError
from kubenb.kubectl.flags import Flag

# Widest description line (without the indent) that matches known v1.33 explain output.
WRAP = 75


def _type_name(node: dict) -> str:
    """The type shown in angle brackets: a definition's short name, []T, map[string]T or a JSON type."""
    target, name = schema.resolve(node)
    if name is not None:
        short = name.rsplit(".", 1)[-1]
        if short == "Time" or short == "MicroTime":
            return "string"
        return short
    kinds = schema._types(target)
    if "array" in kinds:
        return "[]" + _type_name(target.get("items", {}))
    if "object" in kinds:
        extra = target.get("additionalProperties")
        if isinstance(extra, dict):
            return "map[string]" + _type_name(extra)
        return "Object"
    for json_type in ("string", "integer", "number", "boolean"):
        if json_type in kinds:
            return json_type
    return "Object"


def wrap(text: str, limit: int = WRAP) -> list[str]:
    """go-wordwrap's WrapString: keep the text's own line breaks, break long lines at spaces."""
    lines: list[str] = []
    for raw in text.split("\n"):
        words = raw.split(" ")
        current = ""
        for word in words:
            if current and len(current) + 1 + len(word) > limit:
                lines.append(current)
                current = word
            else:
                current = f"{current} {word}" if current else word
        lines.append(current)
    return lines


def _indented(text: str, indent: int) -> str:
    pad = " " * indent
    return "\n".join((pad + line) if line else pad for line in wrap(text)) + "\n"


def _properties(target: dict) -> dict:
    while "array" in schema._types(target) and "items" in target:
        target, _ = schema.resolve(target["items"])
    return target.get("properties") or {}, target


def _field_lines(target: dict, recursive: bool, depth: int, seen: tuple[str, ...]) -> str:
    props, owner = _properties(target)
    required = set(owner.get("required") or [])
    out = ""
    pad = "  " * depth
    for name in sorted(props):
        node = props[name]
        resolved, def_name = schema.resolve(node)
        line = f"{pad}{name}\t<{_type_name(node)}>"
        if name in required:
            line += " -required-"
        out += line + "\n"
        if recursive:
            if def_name is not None and def_name in seen:
                continue
            inner, _ = _properties(resolved)
            if inner:
                out += _field_lines(resolved, True, depth + 1, seen + ((def_name,) if def_name else ()))
            continue
        enum = node.get("enum") or resolved.get("enum")
        if enum and name not in ("apiVersion", "kind"):  # the packaged schemas pin these; the server's do not
            out += f"{pad}enum: " + ", ".join(str(v) for v in enum if v is not None) + "\n"
        description = node.get("description") or resolved.get("description") or ""
        out += _indented(description, len(pad) + 2) if description else ""
        out += "\n"
    return out


def run(inv: Invocation) -> int:
    if not inv.args:
        raise UsageError("You must specify the type of resource to explain. Use \"kubectl api-resources\" for a "
                         "complete list of supported resources.\n")
    if len(inv.args) > 1:
        raise UsageError("We accept only this format: explain RESOURCE\n")
    resource, _, field_path = inv.args[0].partition(".")
    rtype = resources.resolve(resource)
    # "deployments.apps.spec" style: a group suffix is only taken when it names the type's group.
    parts = [p for p in field_path.split(".") if p] if field_path else []
    api_version = inv.flags["api-version"]
    if rtype is not None and parts and rtype.group and ".".join(parts).startswith(rtype.group):
        parts = parts[len(rtype.group.split(".")):]
    if rtype is None:
        raise KubectlError(f'the server doesn\'t have a resource type "{resource}"')
    if api_version and api_version != rtype.api_version:
        group = api_version.rpartition("/")[0]
        raise KubectlError(f"couldn't find resource for \"{group + '/' if group else ''}"
                           f"{api_version.rpartition('/')[2]}, Kind={rtype.kind}\"")
    definition = schema.definition_name(rtype.api_version, rtype.kind)
    if definition is None:
        raise KubectlError(f'the server doesn\'t have a resource type "{resource}"')
    root = {"$ref": "#/$defs/" + definition}
    node, target = root, schema.resolve(root)[0]
    for part in parts:
        props, _ = _properties(target)
        if part not in props:
            raise KubectlError(f'field "{part}" does not exist')
        node = props[part]
        target, _ = schema.resolve(node)
    out = ""
    if rtype.group:
        out += f"GROUP:      {rtype.group}\n"
    out += f"KIND:       {rtype.kind}\nVERSION:    {rtype.version}\n\n"
    if parts:
        out += f"FIELD: {parts[-1]} <{_type_name(node)}>\n"
        enum = node.get("enum") or target.get("enum")
        if enum:
            out += "ENUM:\n" + "".join(f"    {v}\n" for v in enum if v is not None)
        out += "\n\n"
    description = node.get("description") or target.get("description") or ""
    out += "DESCRIPTION:\n" + _indented(description, 4) + "    \n"
    props, _ = _properties(target)
    if props:
        out += "FIELDS:\n" + _field_lines(target, inv.flags["recursive"], 1, (schema.resolve(node)[1] or "",))
        out += "\n"
    inv.write(out)
    return 0


COMMAND = Command(
    name="explain",
    short="Get documentation for a resource",
    usage="explain TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] "
          "[-o|--output=plaintext|plaintext-openapiv2] [options]",
    help="Show the documented fields of an API resource, read from the cluster's OpenAPI schema.",
    examples="  # Get the documentation of the resource and its fields\n  kubectl explain pods\n  \n"
             "  # Get all the fields in the resource\n  kubectl explain pods --recursive\n  \n"
             "  # Get the explanation for deployment in supported api versions\n"
             "  kubectl explain deployments --api-version=apps/v1\n  \n"
             "  # Get the documentation of a specific field of a resource\n  kubectl explain pods.spec.containers\n"
             "  \n  # Get the documentation of resources in different format\n"
             "  kubectl explain deployment --output=plaintext-openapiv2",
    run=run,
    flags=[
        Flag("api-version", pflag.STRING, usage="Get different explanations for particular API version (API "
             "group/version)"),
        Flag("output", pflag.STRING, "plaintext", usage="Format in which to render the schema (plaintext, "
             "plaintext-openapiv2)"),
        Flag("recursive", pflag.BOOL, usage="Print the fields of fields (Currently only 1 level deep)"),
    ],
)
