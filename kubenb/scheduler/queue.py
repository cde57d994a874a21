"""Which cluster events may make an unschedulable Pod schedulable: the queueing hints.

Mirrors kubernetes pkg/scheduler/backend/queue (scheduling_queue.go:
unschedulablePods, MoveAllToActiveOrBackoffQueue, isPodWorthRequeuing) with
SchedulerQueueingHints on (beta, enabled in v1.33), framework/events.go
(NodeSchedulingPropertiesChange) and each plugin's EventsToRegister and
QueueingHintFn. A Pod that did not fit remembers the plugins that rejected it
(its UnschedulablePlugins); an event moves it back to the queue only when one of
those plugins says the event may help (Queue), otherwise it waits (QueueSkip):

- NodeResourcesFit: an assigned Pod deleted; a node added, or its allocatable
  grown, when the Pod's requests fit the node's allocatable.
- NodeAffinity: a node added or relabelled that now matches the Pod.
- TaintToleration: a node added or retainted whose taints the Pod now tolerates;
  the Pod's own tolerations changed.
- NodeUnschedulable: a node added schedulable, or uncordoned; the Pod's own
  tolerations changed.
- NodeName: a node added with the Pod's spec.nodeName.

A Pod that failed without a rejecting plugin moves on any such event.

kubenb's own rule: a Pod that reaches Succeeded or Failed stops counting
against its node (scheduler.build_node_infos), so that also frees room, like a
deletion.

Left out: the backoffQ's per-Pod delays. With SchedulerPopFromBackoffQ (beta,
enabled in v1.33) the scheduler pops backing-off Pods whenever the activeQ is
empty, and the simulated scheduler always drains its activeQ before it waits,
so a back-off never delays a retry here. Moved Pods are retried in the
activeQ's order (priority, then creation).
"""

from __future__ import annotations

from kubenb.scheduler.plugins import (
    node_affinity,
    node_name,
    node_resources_fit,
    node_unschedulable,
    taint_toleration,
)

# Node update kinds (framework.ActionType), from NodeSchedulingPropertiesChange.
NODE_ADD = "Add"
UPDATE_NODE_ALLOCATABLE = "UpdateNodeAllocatable"
UPDATE_NODE_LABEL = "UpdateNodeLabel"
UPDATE_NODE_TAINT = "UpdateNodeTaint"

# The node events each Filter plugin registers (EventsToRegister with queueing hints on).
NODE_EVENTS = {
    node_resources_fit.NAME: {NODE_ADD, UPDATE_NODE_ALLOCATABLE},
    node_affinity.NAME: {NODE_ADD, UPDATE_NODE_LABEL},
    taint_toleration.NAME: {NODE_ADD, UPDATE_NODE_TAINT},
    node_unschedulable.NAME: {NODE_ADD, UPDATE_NODE_TAINT},
    node_name.NAME: {NODE_ADD},
}
# Plugins whose rejection an assigned Pod's deletion may lift (Pod/Delete).
POD_DELETE_PLUGINS = frozenset({node_resources_fit.NAME})
# Plugins whose rejection the Pod's own new tolerations may lift (Pod/UpdatePodToleration).
TOLERATION_PLUGINS = frozenset({taint_toleration.NAME, node_unschedulable.NAME})


def node_changes(old: dict | None, new: dict) -> set[str]:
    """NodeSchedulingPropertiesChange: what about the node changed that scheduling cares about."""
    if old is None:
        return {NODE_ADD}
    changes = set()
    old_spec, new_spec = old.get("spec") or {}, new.get("spec") or {}
    if old_spec.get("unschedulable") and not new_spec.get("unschedulable"):
        changes.add(UPDATE_NODE_TAINT)  # uncordoned: upstream files this under taint changes
    if (old_spec.get("taints") or []) != (new_spec.get("taints") or []):
        changes.add(UPDATE_NODE_TAINT)
    if (old.get("metadata", {}).get("labels") or {}) != (new.get("metadata", {}).get("labels") or {}):
        changes.add(UPDATE_NODE_LABEL)
    if (old.get("status", {}).get("allocatable") or {}) != (new.get("status", {}).get("allocatable") or {}):
        changes.add(UPDATE_NODE_ALLOCATABLE)
    return changes


def _node_hint(plugin: str, pod: dict, old: dict | None, new: dict) -> bool:
    """The plugin's QueueingHintFn for a node event: True is Queue, False QueueSkip."""
    if plugin == node_resources_fit.NAME:
        if not node_resources_fit.fits_allocatable(pod, new):
            return False
        return old is None or node_resources_fit.requested_resources_increased(pod, old, new)
    if plugin == node_affinity.NAME:
        if not node_affinity.matches(pod, new):
            return False
        return old is None or not node_affinity.matches(pod, old)
    if plugin == taint_toleration.NAME:
        was_untolerated = old is None or taint_toleration.untolerated_taint(pod, old) is not None
        return was_untolerated and taint_toleration.untolerated_taint(pod, new) is None
    if plugin == node_unschedulable.NAME:
        now_schedulable = not (new.get("spec") or {}).get("unschedulable")
        was_schedulable = old is not None and not (old.get("spec") or {}).get("unschedulable")
        return now_schedulable and not was_schedulable
    if plugin == node_name.NAME:
        return (pod.get("spec", {}).get("nodeName") or "") == new["metadata"]["name"]
    return True


def worth_requeuing_after_node(plugins: frozenset[str], pod: dict, old: dict | None, new: dict,
                               changes: set[str]) -> bool:
    """isPodWorthRequeuing for a node added or updated."""
    if not changes:
        return False
    if not plugins:
        return True  # no rejecting plugin recorded: any event of interest retries it
    for plugin in sorted(plugins):
        if NODE_EVENTS.get(plugin, set()) & changes and _node_hint(plugin, pod, old, new):
            return True
    return False


def worth_requeuing_after_pod_freed(plugins: frozenset[str]) -> bool:
    """isPodWorthRequeuing for an assigned Pod deleted (NodeResourcesFit: any such deletion is Queue)."""
    return not plugins or bool(plugins & POD_DELETE_PLUGINS)


def worth_requeuing_after_own_update(plugins: frozenset[str], old: dict, new: dict) -> bool:
    """isPodWorthRequeuing for an update of the unschedulable Pod itself (its tolerations)."""
    if (old.get("spec", {}).get("tolerations") or []) == (new.get("spec", {}).get("tolerations") or []):
        return False
    return not plugins or bool(plugins & TOLERATION_PLUGINS)
