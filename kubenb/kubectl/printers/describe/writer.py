"""The describe output writer and the helpers every describer shares.

Mirrors kubectl ``pkg/describe/describe.go``: PrefixWriter (two spaces per
level), the tabwriter it writes into (minwidth 0, tabwidth 8, padding 2),
printLabelsMultiline, printAnnotationsMultiline, the tolerations printer,
DescribeEvents (with the writer flushed before the events table, and
``<last> (x<count> over <first>)`` ages) and describeVolumes.

Left out: volume kinds kubenb never creates (cloud disks, CSI drivers...)
print their type name only.
"""

from __future__ import annotations

from kubenb.kubectl.printers.humanize import human_duration, since, timestamp_seconds
from kubenb.kubectl.printers.table import format_cells

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
MAX_ANNOTATION_LEN = 140


class PrefixWriter:
    """Collects describe lines; ``flush`` closes a tabwriter block as w.Flush() does."""

    def __init__(self) -> None:
        self._segments: list[str] = []
        self._current: list[str] = []

    def write(self, level: int, text: str) -> None:
        self._current.append("  " * level + text)

    def line(self, text: str = "") -> None:
        self._current.append(text + "\n")

    def flush(self) -> None:
        self._segments.append(format_cells("".join(self._current), 0, 2))
        self._current = []

    def getvalue(self) -> str:
        self.flush()
        return "".join(self._segments)


def get(obj: object, *path: str, default=None):
    current = obj
    for key in path:
        if not isinstance(current, dict):
            return default
        current = current.get(key)
        if current is None:
            return default
    return current


def write_name_namespace(w: PrefixWriter, md: dict) -> None:
    """The Name and Namespace lines most describers open with."""
    w.write(0, f"Name:\t{md.get('name', '')}\n")
    w.write(0, f"Namespace:\t{md.get('namespace', '')}\n")


def write_labels_annotations(w: PrefixWriter, md: dict) -> None:
    """printLabelsMultiline then printAnnotationsMultiline for the object's own metadata."""
    labels_multiline(w, "Labels", md.get("labels"))
    annotations_multiline(w, "Annotations", md.get("annotations"))


def labels_multiline(w: PrefixWriter, title: str, labels: dict | None, *, initial_indent: str = "") -> None:
    w.write(0, f"{initial_indent}{title}:\t")
    if not labels:
        w.line("<none>")
        return
    for index, key in enumerate(sorted(labels)):
        if index:
            w.write(0, f"{initial_indent}\t")
        w.write(0, f"{key}={labels[key]}\n")


def annotations_multiline(w: PrefixWriter, title: str, annotations: dict | None, *, initial_indent: str = "") -> None:
    w.write(0, f"{initial_indent}{title}:\t")
    shown = {k: v for k, v in (annotations or {}).items() if k != LAST_APPLIED}
    if not shown:
        w.line("<none>")
        return
    for index, key in enumerate(sorted(shown)):
        if index:
            w.write(0, f"{initial_indent}\t")
        value = str(shown[key]).removesuffix("\n")
        if len(value) + len(key) + 2 > MAX_ANNOTATION_LEN or "\n" in value:
            w.write(0, f"{key}:\n")
            for text in value.split("\n"):
                if len(text) > MAX_ANNOTATION_LEN - 2:
                    text = text[:MAX_ANNOTATION_LEN - 2] + "..."
                w.write(0, f"{initial_indent}\t  {text}\n")
        else:
            w.write(0, f"{key}: {value}\n")


def tolerations_multiline(w: PrefixWriter, title: str, tolerations: list | None, *, initial_indent: str = "") -> None:
    w.write(0, f"{initial_indent}{title}:\t")
    if not tolerations:
        w.line("<none>")
        return
    for index, toleration in enumerate(tolerations):
        if index:
            w.write(0, f"{initial_indent}\t")
        text = str(toleration.get("key", ""))
        if toleration.get("value"):
            text += f"={toleration['value']}"
        if toleration.get("effect"):
            text += f":{toleration['effect']}"
        if toleration.get("operator") == "Exists" and not toleration.get("value"):
            text += " op=Exists" if toleration.get("key") or toleration.get("effect") else "op=Exists"
        if toleration.get("tolerationSeconds") is not None:
            text += f" for {toleration['tolerationSeconds']}s"
        w.write(0, text + "\n")


def _event_sort_key(event: dict) -> float:
    """SortableEvents' eventTime: a series' last observation, else lastTimestamp, else eventTime."""
    series = event.get("series")
    if isinstance(series, dict):
        text = series.get("lastObservedTime")
    else:
        text = event.get("lastTimestamp") or event.get("eventTime")
    moment = timestamp_seconds(text)
    return moment if moment is not None else float("-inf")


def events_for(client, obj: dict) -> list[dict]:
    """searchEvents: the core/v1 Events whose involvedObject is this object."""
    md = obj.get("metadata") or {}
    uid = md.get("uid")
    namespace = md.get("namespace") or "default"
    found = []
    if not client.review_access("list", "", "events", namespace if md.get("namespace") else ""):
        return None  # type: ignore[return-value] - describe shows no Events section when the search fails
    for event in client.list_view("events", namespace if md.get("namespace") else None):
        involved = event.get("involvedObject") or {}
        if uid and involved.get("uid") == uid or (not involved.get("uid") and involved.get("name") == md.get("name")
                                                   and involved.get("kind") == obj.get("kind")):
            found.append(event)
    return found


def describe_events(w: PrefixWriter, events: list[dict] | None, now: float) -> None:
    if events is None:
        return
    if not events:
        w.write(0, "Events:\t<none>\n")
        return
    w.flush()
    w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
    w.write(1, "----\t------\t----\t----\t-------\n")
    for event in sorted(events, key=_event_sort_key):
        if event.get("eventTime"):
            first = since(event.get("eventTime"), now)
        else:
            first = since(event.get("firstTimestamp"), now)
        series = event.get("series")
        count = int(event.get("count") or 0)
        if series:
            interval = f"{since(series.get('lastObservedTime'), now)} (x{series.get('count', 0)} over {first})"
        elif count > 1:
            interval = f"{since(event.get('lastTimestamp'), now)} (x{count} over {first})"
        else:
            interval = first
        source = get(event, "source", "component", default="") or event.get("reportingComponent") or ""
        w.write(1, f"{event.get('type', '')}\t{event.get('reason', '')}\t{interval}\t{source}\t"
                   f"{str(event.get('message', '')).strip()}\n")


def go_bool(value: object) -> str:
    return "true" if value else "false"


def print_bool(value: object) -> str:
    """describe's printBool: "True" / "False"."""
    return "True" if value else "False"


def go_duration(seconds: float) -> str:
    """time.Duration.String for whole seconds: "0s", "10s", "1m0s", "1h0m0s"."""
    seconds = int(seconds)
    if seconds == 0:
        return "0s"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes}m{secs}s"
    if minutes:
        return f"{minutes}m{secs}s"
    return f"{secs}s"


def describe_volumes(w: PrefixWriter, volumes: list | None, space: str = "") -> None:
    if not volumes:
        w.write(0, f"{space}Volumes:\t<none>\n")
        return
    w.write(0, f"{space}Volumes:\n")
    for volume in volumes:
        name_indent = " " if space else ""
        w.write(1, f"{name_indent}{volume.get('name', '')}:\n")
        if "projected" in volume:
            w.write(2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n")
            for source in get(volume, "projected", "sources", default=[]) or []:
                if "secret" in source:
                    w.write(2, f"SecretName:\t{get(source, 'secret', 'name', default='')}\n")
                    w.write(2, f"Optional:\t{go_bool(get(source, 'secret', 'optional'))}\n")
                elif "downwardAPI" in source:
                    w.write(2, "DownwardAPI:\ttrue\n")
                elif "configMap" in source:
                    w.write(2, f"ConfigMapName:\t{get(source, 'configMap', 'name', default='')}\n")
                    w.write(2, f"Optional:\t{go_bool(get(source, 'configMap', 'optional'))}\n")
                elif "serviceAccountToken" in source:
                    w.write(2, "TokenExpirationSeconds:\t"
                               f"{get(source, 'serviceAccountToken', 'expirationSeconds', default=3600)}\n")
        elif "configMap" in volume:
            w.write(2, "Type:\tConfigMap (a volume populated by a ConfigMap)\n")
            w.write(2, f"Name:\t{get(volume, 'configMap', 'name', default='')}\n")
            w.write(2, f"Optional:\t{go_bool(get(volume, 'configMap', 'optional'))}\n")
        elif "secret" in volume:
            w.write(2, "Type:\tSecret (a volume populated by a Secret)\n")
            w.write(2, f"SecretName:\t{get(volume, 'secret', 'secretName', default='')}\n")
            w.write(2, f"Optional:\t{go_bool(get(volume, 'secret', 'optional'))}\n")
        elif "emptyDir" in volume:
            w.write(2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n")
            w.write(2, f"Medium:\t{get(volume, 'emptyDir', 'medium', default='')}\n")
            w.write(2, f"SizeLimit:\t{get(volume, 'emptyDir', 'sizeLimit', default='<unset>')}\n")
        elif "persistentVolumeClaim" in volume:
            w.write(2, "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same "
                       "namespace)\n")
            w.write(2, f"ClaimName:\t{get(volume, 'persistentVolumeClaim', 'claimName', default='')}\n")
            w.write(2, f"ReadOnly:\t{go_bool(get(volume, 'persistentVolumeClaim', 'readOnly'))}\n")
        elif "hostPath" in volume:
            w.write(2, "Type:\tHostPath (bare host directory volume)\n")
            w.write(2, f"Path:\t{get(volume, 'hostPath', 'path', default='')}\n")
            w.write(2, f"HostPathType:\t{get(volume, 'hostPath', 'type', default='')}\n")
        else:
            kinds = [k for k in volume if k != "name"]
            w.write(2, f"<unknown>{' (' + kinds[0] + ')' if kinds else ''}\n")


def human_since(value: object, now: float) -> str:
    return since(value, now)


__all__ = ["PrefixWriter", "annotations_multiline", "describe_events", "describe_volumes", "events_for", "get",
           "go_bool", "go_duration", "human_duration", "labels_multiline", "print_bool", "tolerations_multiline",
           "write_labels_annotations", "write_name_namespace"]
