"""Colours and shapes of the kubenb pictures, in one table.

A Pod's colour follows the STATUS column of ``kubectl get pods`` (the reason
logic of printPod in kubectl's printers.go): green when Running and ready,
amber while starting, red for a failure reason, grey when finished or
terminating. Nothing here is Kubernetes behaviour; it is only how kubenb draws.
"""

from __future__ import annotations

FONT = "Helvetica,Arial,sans-serif"

# kind -> DOT node attributes
KIND_STYLES: dict[str, dict[str, str]] = {
    "Deployment": {"shape": "box", "style": "rounded,filled", "fillcolor": "#dbe8fb", "color": "#326ce5"},
    "ReplicaSet": {"shape": "box", "style": "rounded,filled", "fillcolor": "#eef3fc", "color": "#326ce5"},
    "Pod": {"shape": "box", "style": "rounded,filled", "fillcolor": "#e3f5e1", "color": "#2e7d32"},
    "Container": {"shape": "note", "style": "filled", "fillcolor": "#ffffff", "color": "#777777"},
    "Service": {"shape": "box", "style": "filled", "fillcolor": "#fdf1d8", "color": "#b36b00"},
    "Ingress": {"shape": "box", "style": "filled", "fillcolor": "#f3e5f5", "color": "#7b1fa2"},
    "Node": {"shape": "box3d", "style": "filled", "fillcolor": "#f5f5f5", "color": "#555555"},
    "Client": {"shape": "ellipse", "style": "filled", "fillcolor": "#ffffff", "color": "#333333"},
    "Address": {"shape": "box", "style": "dashed", "fillcolor": "#ffffff", "color": "#555555"},
    "Rule": {"shape": "box", "style": "filled", "fillcolor": "#faf5fb", "color": "#7b1fa2"},
    "Component": {"shape": "component", "style": "filled", "fillcolor": "#e8eaf6", "color": "#3949ab"},
    "Warning": {"shape": "box", "style": "filled", "fillcolor": "#ffebee", "color": "#c62828"},
    "Namespace": {"shape": "folder", "style": "filled", "fillcolor": "#ffffff", "color": "#555555"},
}

# Pod STATUS (as ``kubectl get pods`` prints it) -> (fill, border)
GREEN = ("#e3f5e1", "#2e7d32")
AMBER = ("#fff6d5", "#b58900")
RED = ("#fde2e1", "#c62828")
GREY = ("#eeeeee", "#777777")

FAILURE_REASONS = frozenset({
    "CrashLoopBackOff", "Error", "ErrImagePull", "ImagePullBackOff", "InvalidImageName", "OOMKilled",
    "CreateContainerConfigError", "CreateContainerError", "RunContainerError", "Failed", "Evicted",
    "Unknown", "NodeLost", "ContainerStatusUnknown", "StartError",
})
STARTING_REASONS = frozenset({"Pending", "ContainerCreating", "PodInitializing"})
FINISHED_REASONS = frozenset({"Completed", "Succeeded", "Terminating"})


def pod_colours(status: str, ready: bool) -> tuple[str, str]:
    """Fill and border colour for a Pod whose STATUS column reads ``status``."""
    if status in FAILURE_REASONS or status.startswith(("Init:Error", "Init:CrashLoop", "Signal:", "ExitCode:")):
        return RED
    if status in FINISHED_REASONS:
        return GREY
    if status == "Running" and ready:
        return GREEN
    return AMBER


def node_attrs(kind: str, **extra: str) -> dict[str, str]:
    attrs = dict(KIND_STYLES.get(kind, KIND_STYLES["Address"]))
    attrs.update(extra)
    return attrs
