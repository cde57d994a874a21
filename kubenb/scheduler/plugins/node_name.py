"""NodeName (plugins/nodename): a Pod with spec.nodeName fits only that node.

(The scheduler only sees Pods without nodeName; this matters for the
``explain`` API, which may ask about any Pod.)
"""

from __future__ import annotations

from kubenb.scheduler.framework import NodeInfo, Rejection

NAME = "NodeName"
REASON = "node(s) didn't match the requested node name"


def filter(pod: dict, info: NodeInfo) -> Rejection | None:  # noqa: A001
    wanted = pod.get("spec", {}).get("nodeName")
    if wanted and wanted != info.name:
        return Rejection((REASON,), plugin=NAME)
    return None
