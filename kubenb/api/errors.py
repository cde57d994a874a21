"""API errors carried as metav1.Status, as k8s.io/apimachinery/pkg/api/errors builds them.

Each constructor returns a ``StatusError`` whose ``status`` dict is what a
real API server sends, and whose ``str()`` is the status message. kubectl
turns them into ``Error from server (Reason): message``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldError:
    """field.Error: one cause of an Invalid error (k8s.io/apimachinery/pkg/util/validation/field)."""

    type: str  # "FieldValueRequired", "FieldValueInvalid", ...
    field: str  # "spec.template.spec.containers[0].name"
    detail: str = ""
    bad_value: object = None
    has_value: bool = False

    def message(self) -> str:
        """field.Error.Error(): "<field>: <type text>[: <value>][: <detail>]"."""
        return f"{self.field}: {self.body()}"

    def body(self) -> str:
        text = _FIELD_TYPE_TEXT.get(self.type, self.type)
        if self.type in ("FieldValueRequired", "FieldValueForbidden", "FieldValueTooLong",
                         "FieldValueTooMany", "FieldValueInternal") or not self.has_value:
            return f"{text}: {self.detail}" if self.detail else text
        value = _format_value(self.bad_value)
        result = f"{text}: {value}"
        if self.detail:
            result += f": {self.detail}"
        return result


_FIELD_TYPE_TEXT = {
    "FieldValueNotFound": "Not found",
    "FieldValueRequired": "Required value",
    "FieldValueDuplicate": "Duplicate value",
    "FieldValueInvalid": "Invalid value",
    "FieldValueNotSupported": "Unsupported value",
    "FieldValueForbidden": "Forbidden",
    "FieldValueTooLong": "Too long",
    "FieldValueTooMany": "Too many",
    "FieldValueInternal": "Internal error",
    "FieldValueTypeInvalid": "Invalid value",
}


class GoValue:
    """A bad value already rendered the way Go's %#v prints it (maps, structs) for field errors."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GoValue) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


def go_quote(text: str) -> str:
    """strconv.Quote for the printable strings kubenb sees."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def go_string_map(value: dict | None) -> GoValue:
    """%#v of a map[string]string: keys sorted, Go-quoted."""
    if value is None:
        return GoValue("map[string]string(nil)")
    inner = ", ".join(f"{go_quote(str(k))}:{go_quote(str(v))}" for k, v in sorted(value.items()))
    return GoValue("map[string]string{" + inner + "}")


def go_label_selector(selector: dict) -> GoValue:
    """%#v of a metav1.LabelSelector."""
    labels = selector.get("matchLabels")
    labels_text = go_string_map(labels).text if isinstance(labels, dict) else "map[string]string(nil)"
    expressions = selector.get("matchExpressions")
    if isinstance(expressions, list):
        parts = []
        for e in expressions:
            e = e if isinstance(e, dict) else {}
            values = e.get("values")
            values_text = ("[]string{" + ", ".join(go_quote(str(v)) for v in values) + "}"
                           if isinstance(values, list) else "[]string(nil)")
            parts.append(f'v1.LabelSelectorRequirement{{Key:{go_quote(str(e.get("key", "")))}, '
                         f'Operator:{go_quote(str(e.get("operator", "")))}, Values:{values_text}}}')
        expr_text = "[]v1.LabelSelectorRequirement{" + ", ".join(parts) + "}"
    else:
        expr_text = "[]v1.LabelSelectorRequirement(nil)"
    return GoValue(f"v1.LabelSelector{{MatchLabels:{labels_text}, MatchExpressions:{expr_text}}}")


def _format_value(value: object) -> str:
    """field.Error's value printing: strings quoted, ints bare, others as Go prints them."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dict):
        inner = " ".join(f"{k}:{_format_value(v) if not isinstance(v, str) else v}" for k, v in sorted(value.items()))
        return f"map[{inner}]"
    if isinstance(value, list):
        return "[" + " ".join(str(v) for v in value) + "]"
    return str(value)


# Convenience constructors mirroring field.Required(path, detail), field.Invalid(path, value, detail) ...
def required(path: str, detail: str = "") -> FieldError:
    return FieldError("FieldValueRequired", path, detail)


def invalid(path: str, value: object, detail: str = "") -> FieldError:
    return FieldError("FieldValueInvalid", path, detail, value, True)


def not_supported(path: str, value: object, valid: list[str]) -> FieldError:
    detail = "supported values: " + ", ".join(f'"{v}"' for v in valid) if valid else ""
    return FieldError("FieldValueNotSupported", path, detail, value, True)


def forbidden(path: str, detail: str) -> FieldError:
    return FieldError("FieldValueForbidden", path, detail)


def duplicate(path: str, value: object) -> FieldError:
    return FieldError("FieldValueDuplicate", path, "", value, True)


def too_long(path: str, value: object, max_length: int) -> FieldError:
    return FieldError("FieldValueTooLong", path, f"may not be more than {max_length} bytes", value, True)


class StatusError(Exception):
    """An error the API server answers with (metav1.Status, status "Failure")."""

    def __init__(self, status: dict) -> None:
        super().__init__(status.get("message", ""))
        self.status = status

    @property
    def reason(self) -> str:
        return self.status.get("reason", "")

    @property
    def code(self) -> int:
        return int(self.status.get("code", 500))

    @property
    def message(self) -> str:
        return self.status.get("message", "")


def _status(code: int, reason: str, message: str, details: dict | None = None) -> StatusError:
    status = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
              "message": message, "reason": reason, "code": code}
    if details:
        status["details"] = details
    return StatusError(status)


def qualified(group_resource: str, name: str) -> str:
    return f'{group_resource} "{name}"'


def not_found(group_resource: str, name: str) -> StatusError:
    return _status(404, "NotFound", f"{qualified(group_resource, name)} not found",
                   {"name": name, "kind": group_resource})


def already_exists(group_resource: str, name: str) -> StatusError:
    return _status(409, "AlreadyExists", f"{qualified(group_resource, name)} already exists",
                   {"name": name, "kind": group_resource})


def conflict(group_resource: str, name: str, detail: str) -> StatusError:
    return _status(409, "Conflict", f"Operation cannot be fulfilled on {qualified(group_resource, name)}: {detail}",
                   {"name": name, "kind": group_resource})


MODIFIED_CONFLICT = "the object has been modified; please apply your changes to the latest version and try again"


def invalid_object(kind: str, name: str, causes: list[FieldError], group: str = "") -> StatusError:
    """errors.NewInvalid: '<Kind[.group]> "name" is invalid: ' + the aggregate of the causes.

    kubectl rewrites the head to 'The <Kind> "name" is invalid:' from details.kind.
    """
    messages = [c.message() for c in causes]
    if len(messages) == 1:
        aggregate = messages[0]
    else:
        aggregate = "[" + ", ".join(messages) + "]"
    details = {"name": name, "kind": kind, "causes": [
        {"reason": c.type, "message": c.body(), "field": c.field} for c in causes]}
    qualified_kind = f"{kind}.{group}" if group else kind
    return _status(422, "Invalid", f'{qualified_kind} "{name}" is invalid: {aggregate}', details)


def bad_request(message: str) -> StatusError:
    return _status(400, "BadRequest", message)


def forbidden_error(message: str) -> StatusError:
    return _status(403, "Forbidden", message)


def method_not_allowed(message: str) -> StatusError:
    return _status(405, "MethodNotAllowed", message)


def internal(message: str) -> StatusError:
    return _status(500, "InternalError", f"Internal error occurred: {message}")


def too_many_requests(message: str) -> StatusError:
    return _status(429, "TooManyRequests", message)


def request_entity_too_large(message: str) -> StatusError:
    """errors.NewRequestEntityTooLargeError."""
    return _status(413, "RequestEntityTooLarge", f"Request entity too large: {message}")


def unknown_server_error(message: str) -> StatusError:
    """A storage error the apiserver passes on as a bare 500 (kubectl: ``Error from server: ...``)."""
    return _status(500, "", message)
