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
