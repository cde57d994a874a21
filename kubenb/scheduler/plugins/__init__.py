"""Scheduler plugins, one module per upstream plugin (pkg/scheduler/framework/plugins/<name>).

``FILTERS`` and ``SCORERS`` are the default profile's plugin lists, in
upstream order (apis/config/v1/default_plugins.go); the order of FILTERS
decides which reason a node reports, because filtering stops at the first
plugin that rejects it.
"""

from __future__ import annotations

from kubenb.scheduler.plugins import (
    node_affinity,
    node_name,
    node_resources_fit,
    node_unschedulable,
    pod_topology_spread,
    taint_toleration,
)

FILTERS = [
    node_unschedulable,
    node_name,
    taint_toleration,
    node_affinity,
    node_resources_fit,
]

# (plugin, weight) as in the default profile's multiPoint score weights.
SCORERS = [
    (taint_toleration, 3),
    (node_affinity, 2),
    (node_resources_fit, 1),
    (pod_topology_spread, 2),
    (node_resources_fit.BalancedAllocation, 1),
]


def filters_for(pod: dict) -> list:
    """The Filter functions to run for ``pod``, in FILTERS order, without those whose PreFilter says Skip.

    A plugin that would pass every node for this Pod (NodeAffinity without a
    nodeSelector or required affinity; NodeName without spec.nodeName) is left
    out, as upstream skips a plugin whose PreFilter returns Skip: the first
    rejecting plugin, and so every reason, stays the same.
    """
    return [plugin.filter for plugin in filter_plugins_for(pod)]


def filter_plugins_for(pod: dict) -> list:
    """The Filter plugins (modules) ``filters_for`` takes the functions of."""
    spec = pod.get("spec", {})
    result = []
    for plugin in FILTERS:
        if plugin is node_affinity and not node_affinity.has_required(pod):
            continue
        if plugin is node_name and not spec.get("nodeName"):
            continue
        result.append(plugin)
    return result


def may_reject(plugin: object, pod: dict, nodes: list) -> list:
    """The nodes among ``nodes`` that ``plugin``'s Filter may reject for ``pod`` (every other one passes).

    Plugins with a cheap test over plain NodeInfo fields (``candidates``) narrow the list in one
    comprehension, so Filter itself runs only where it might say no: most nodes have no taint, no
    cordon and room to spare. The others' Filter runs on every node.
    """
    candidates = getattr(plugin, "candidates", None)
    return nodes if candidates is None else candidates(pod, nodes)
