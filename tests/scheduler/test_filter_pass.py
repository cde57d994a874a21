"""The plugin-by-plugin Filter pass: a plugin's cheap ``candidates`` test never clears a node its Filter rejects."""

from __future__ import annotations

import itertools

from kubenb.scheduler import plugins
from kubenb.scheduler.framework import NodeInfo, begin_cycle, end_cycle
from kubenb.scheduler.scheduler import run_filters


def node(name: str, *, cpu: str = "2", memory: str = "4Gi", pods: str = "3", storage: str = "10Gi",
         taints: list | None = None, unschedulable: bool = False, gpus: str | None = None) -> dict:
    allocatable = {"cpu": cpu, "memory": memory, "pods": pods, "ephemeral-storage": storage}
    if gpus is not None:
        allocatable["example.com/gpu"] = gpus
    return {"metadata": {"name": name, "labels": {"kubernetes.io/hostname": name}},
            "spec": {"taints": taints or [], "unschedulable": unschedulable},
            "status": {"allocatable": allocatable}}


def pod(name: str, requests: dict | None = None, **spec: object) -> dict:
    container: dict = {"name": "c", "image": "nginx"}
    if requests is not None:
        container["resources"] = {"requests": requests}
    return {"metadata": {"name": name, "namespace": "default", "uid": name},
            "spec": {"containers": [container], **spec}}


def infos() -> list[NodeInfo]:
    result = [
        NodeInfo(node("roomy", cpu="8", memory="16Gi", pods="110")),
        NodeInfo(node("tainted", taints=[{"key": "a", "value": "b", "effect": "NoSchedule"}])),
        NodeInfo(node("soft", taints=[{"key": "a", "value": "b", "effect": "PreferNoSchedule"}])),
        NodeInfo(node("cordoned", unschedulable=True)),
        NodeInfo(node("gpu", gpus="1")),
        NodeInfo(node("tiny", cpu="100m", memory="64Mi", storage="1Gi")),
    ]
    full = NodeInfo(node("full", pods="2"))
    for index in range(2):
        full.add_pod(pod(f"resident{index}", {"cpu": "500m", "memory": "1Gi"}))
    busy = NodeInfo(node("busy"))
    busy.add_pod(pod("hog", {"cpu": "1900m", "memory": "3Gi", "ephemeral-storage": "9Gi"}))
    return [*result, full, busy]


PODS = [
    pod("plain"),
    pod("zero", {"cpu": "0"}),
    pod("small", {"cpu": "100m", "memory": "64Mi"}),
    pod("cpu", {"cpu": "1"}),
    pod("memory", {"memory": "2Gi"}),
    pod("storage", {"ephemeral-storage": "2Gi"}),
    pod("gpu", {"example.com/gpu": "1"}),
    pod("tolerant", {"cpu": "50m"}, tolerations=[{"operator": "Exists"}]),
    pod("selector", nodeSelector={"kubernetes.io/hostname": "busy"}),
    pod("named", nodeName="gpu"),
]


def test_candidates_keep_every_node_a_filter_rejects():
    nodes = infos()
    for probe, plugin in itertools.product(PODS, plugins.FILTERS):
        begin_cycle(probe)
        try:
            kept = {info.name for info in plugins.may_reject(plugin, probe, nodes)}
            rejected = {info.name for info in nodes if plugin.filter(probe, info) is not None}
        finally:
            end_cycle()
        assert rejected <= kept, (probe["metadata"]["name"], plugin.NAME)


def test_the_pass_over_all_nodes_rejects_each_node_as_the_node_by_node_filters_do():
    nodes = infos()
    for probe in PODS:
        expected = {info.name: run_filters(probe, info) for info in nodes}
        begin_cycle(probe)
        try:
            rejected: dict = {}
            feasible = nodes
            for plugin in plugins.filter_plugins_for(probe):
                for info in plugins.may_reject(plugin, probe, feasible):
                    rejection = plugin.filter(probe, info)
                    if rejection is not None:
                        rejected[info.name] = rejection
                feasible = [info for info in feasible if info.name not in rejected]
        finally:
            end_cycle()
        assert {name: rejected.get(name) for name in expected} == expected, probe["metadata"]["name"]
        assert [info.name for info in feasible] == [name for name, r in expected.items() if r is None]


def test_node_info_numbers_follow_its_pods():
    info = NodeInfo(node("n", cpu="2", memory="4Gi", pods="3"))
    assert (info.pod_count, info.max_pods, info.free_cpu, info.non_zero_cpu) == (0, 3, 2000, 0)
    info.add_pod(pod("a", {"cpu": "500m"}))
    info.add_pod(pod("b"))
    assert (info.pod_count, info.free_cpu, info.free_memory) == (2, 1500, 4 * 1024**3)
    assert (info.non_zero_cpu, info.non_zero_memory) == (600, 2 * 200 * 1024**2)
    info.remove_pod(pod("a"))
    assert (info.pod_count, info.free_cpu, info.non_zero_cpu) == (1, 2000, 100)
    info.set_node(node("n", cpu="1"))
    assert (info.free_cpu, info.cpu_capacity) == (1000, 1000)
