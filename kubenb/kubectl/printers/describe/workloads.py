"""Describers for Deployment, ReplicaSet, ReplicationController, DaemonSet, StatefulSet, Job, CronJob and HPA
(kubectl pkg/describe/describe.go).

Left out: StatefulSet volume claim templates details, HPA behavior blocks.
"""

from __future__ import annotations

from kubenb.api import selectors
from kubenb.kubectl.printers.describe.pod import controlled_by, describe_pod_template
from kubenb.kubectl.printers.describe.writer import (
    PrefixWriter,
    annotations_multiline,
    describe_events,
    get,
    labels_multiline,
    write_labels_annotations,
    write_name_namespace,
)
from kubenb.kubectl.printers.humanize import human_duration, rfc1123z, since, timestamp_seconds


def _header(w: PrefixWriter, obj: dict, *, creation: bool = True) -> None:
    md = obj.get("metadata") or {}
    write_name_namespace(w, md)
    if creation:
        w.write(0, f"CreationTimestamp:\t{rfc1123z(md.get('creationTimestamp'))}\n")
    write_labels_annotations(w, md)


def _pod_counts(client, obj: dict) -> tuple[int, int, int, int]:
    """getPodStatusForController: running, waiting, succeeded, failed pods owned by obj."""
    uid = get(obj, "metadata", "uid")
    counts = {"Running": 0, "Pending": 0, "Succeeded": 0, "Failed": 0}
    for pod in client.list_view("pods", get(obj, "metadata", "namespace")):
        owners = get(pod, "metadata", "ownerReferences", default=[]) or []
        if any(ref.get("uid") == uid and ref.get("controller") for ref in owners):
            phase = get(pod, "status", "phase") or "Pending"
            if phase in counts:
                counts[phase] += 1
    return counts["Running"], counts["Pending"], counts["Succeeded"], counts["Failed"]


def _replica_sets_text(sets: list[dict]) -> str:
    parts = [f"{get(rs, 'metadata', 'name')} ({get(rs, 'status', 'replicas', default=0)}/"
             f"{get(rs, 'spec', 'replicas', default=0)} replicas created)" for rs in sets]
    return ", ".join(parts) if parts else "<none>"


def _strip_hash(template: dict | None) -> dict:
    template = dict(template or {})
    metadata = dict(template.get("metadata") or {})
    labels = dict(metadata.get("labels") or {})
    labels.pop("pod-template-hash", None)
    metadata["labels"] = labels
    template["metadata"] = metadata
    return template


def _conditions(w: PrefixWriter, conditions: list) -> None:
    """The Deployment/ReplicaSet conditions table (Type, Status, Reason); nothing when there are none."""
    if not conditions:
        return
    w.write(0, "Conditions:\n  Type\tStatus\tReason\n")
    w.write(1, "----\t------\t------\n")
    for condition in conditions:
        w.write(1, f"{condition.get('type', '')} \t{condition.get('status', '')}\t{condition.get('reason', '')}\n")


def _pods_status(w: PrefixWriter, client, obj: dict) -> None:
    running, waiting, succeeded, failed = _pod_counts(client, obj)
    w.write(0, f"Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n")


def describe_deployment(w: PrefixWriter, obj: dict, events: list | None, now: float, client) -> None:
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    _header(w, obj)
    w.write(0, f"Selector:\t{selectors.format_label_selector(spec.get('selector'))}\n")
    w.write(0, f"Replicas:\t{spec.get('replicas', 1)} desired | {status.get('updatedReplicas', 0)} updated | "
               f"{status.get('replicas', 0)} total | {status.get('availableReplicas', 0)} available | "
               f"{status.get('unavailableReplicas', 0)} unavailable\n")
    strategy = spec.get("strategy") or {}
    w.write(0, f"StrategyType:\t{strategy.get('type', '')}\n")
    w.write(0, f"MinReadySeconds:\t{spec.get('minReadySeconds', 0)}\n")
    rolling = strategy.get("rollingUpdate")
    if rolling is not None:
        w.write(0, f"RollingUpdateStrategy:\t{rolling.get('maxUnavailable', '')} max unavailable, "
                   f"{rolling.get('maxSurge', '')} max surge\n")
    describe_pod_template(w, spec.get("template"))
    _conditions(w, status.get("conditions") or [])
    uid = get(obj, "metadata", "uid")
    owned = [rs for rs in client.list("replicasets", get(obj, "metadata", "namespace"))
             if any(r.get("uid") == uid and r.get("controller") for r in get(rs, "metadata", "ownerReferences",
                                                                            default=[]) or [])]
    wanted = _strip_hash(spec.get("template"))
    new = [rs for rs in owned if _strip_hash(get(rs, "spec", "template")) == wanted][:1]
    old = [rs for rs in owned if rs not in new and get(rs, "spec", "replicas", default=0) != 0]
    w.write(0, f"OldReplicaSets:\t{_replica_sets_text(old)}\n")
    w.write(0, f"NewReplicaSet:\t{_replica_sets_text(new)}\n")
    describe_events(w, events, now)


def describe_replica_set(w: PrefixWriter, obj: dict, events: list | None, now: float, client) -> None:
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    md = obj.get("metadata") or {}
    write_name_namespace(w, md)
    if obj.get("kind") == "ReplicationController":
        selector = ",".join(f"{k}={v}" for k, v in sorted((spec.get("selector") or {}).items())) or "<none>"
    else:
        selector = selectors.format_label_selector(spec.get("selector"))
    w.write(0, f"Selector:\t{selector}\n")
    write_labels_annotations(w, md)
    owner = controlled_by(obj)
    if owner:
        w.write(0, f"Controlled By:\t{owner}\n")
    w.write(0, f"Replicas:\t{status.get('replicas', 0)} current / {spec.get('replicas', 1)} desired\n")
    _pods_status(w, client, obj)
    describe_pod_template(w, spec.get("template"))
    _conditions(w, status.get("conditions") or [])
    describe_events(w, events, now)


def describe_daemon_set(w: PrefixWriter, obj: dict, events: list | None, now: float, client) -> None:
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    md = obj.get("metadata") or {}
    write_name_namespace(w, md)
    w.write(0, f"Selector:\t{selectors.format_label_selector(spec.get('selector'))}\n")
    node_selector = ",".join(f"{k}={v}" for k, v in sorted((get(spec, 'template', 'spec', 'nodeSelector',
                                                                  default={}) or {}).items()))
    w.write(0, f"Node-Selector:\t{node_selector or '<none>'}\n")
    write_labels_annotations(w, md)
    w.write(0, f"Desired Number of Nodes Scheduled: {status.get('desiredNumberScheduled', 0)}\n")
    w.write(0, f"Current Number of Nodes Scheduled: {status.get('currentNumberScheduled', 0)}\n")
    w.write(0, f"Number of Nodes Scheduled with Up-to-date Pods: {status.get('updatedNumberScheduled', 0)}\n")
    w.write(0, f"Number of Nodes Scheduled with Available Pods: {status.get('numberAvailable', 0)}\n")
    w.write(0, f"Number of Nodes Misscheduled: {status.get('numberMisscheduled', 0)}\n")
    _pods_status(w, client, obj)
    describe_pod_template(w, spec.get("template"))
    describe_events(w, events, now)


def describe_stateful_set(w: PrefixWriter, obj: dict, events: list | None, now: float, client) -> None:
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    md = obj.get("metadata") or {}
    write_name_namespace(w, md)
    w.write(0, f"CreationTimestamp:\t{rfc1123z(md.get('creationTimestamp'))}\n")
    w.write(0, f"Selector:\t{selectors.format_label_selector(spec.get('selector'))}\n")
    write_labels_annotations(w, md)
    w.write(0, f"Replicas:\t{spec.get('replicas', 1)} desired | {status.get('replicas', 0)} total\n")
    strategy = spec.get("updateStrategy") or {}
    w.write(0, f"Update Strategy:\t{strategy.get('type', '')}\n")
    if strategy.get("rollingUpdate") is not None:
        partition = get(strategy, "rollingUpdate", "partition")
        if partition is not None:
            w.write(1, f"Partition:\t{partition}\n")
    _pods_status(w, client, obj)
    describe_pod_template(w, spec.get("template"))
    w.write(0, "Volume Claims:\t<none>\n" if not spec.get("volumeClaimTemplates") else "Volume Claims:\n")
    for claim in spec.get("volumeClaimTemplates") or []:
        w.write(1, f"Name:\t{get(claim, 'metadata', 'name', default='')}\n")
        w.write(1, f"StorageClass:\t{get(claim, 'spec', 'storageClassName', default='')}\n")
        labels_multiline(w, "  Labels", get(claim, "metadata", "labels"))
        annotations_multiline(w, "  Annotations", get(claim, "metadata", "annotations"))
        w.write(1, f"Capacity:\t{get(claim, 'spec', 'resources', 'requests', 'storage', default='')}\n")
        modes = ", ".join(get(claim, "spec", "accessModes", default=[]) or [])
        w.write(1, f"Access Modes:\t{modes}\n")
    describe_events(w, events, now)


def describe_job(w: PrefixWriter, obj: dict, events: list | None, now: float, client) -> None:
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    md = obj.get("metadata") or {}
    write_name_namespace(w, md)
    w.write(0, f"Selector:\t{selectors.format_label_selector(spec.get('selector'))}\n")
    write_labels_annotations(w, md)
    owner = controlled_by(obj)
    if owner:
        w.write(0, f"Controlled By:\t{owner}\n")
    w.write(0, f"Parallelism:\t{spec.get('parallelism', 1)}\n")
    w.write(0, f"Completions:\t{spec['completions'] if spec.get('completions') is not None else '<unset>'}\n")
    w.write(0, f"Completion Mode:\t{spec.get('completionMode', 'NonIndexed')}\n")
    w.write(0, f"Suspend:\t{'true' if spec.get('suspend') else 'false'}\n")
    w.write(0, f"Backoff Limit:\t{spec.get('backoffLimit', 6)}\n")
    if spec.get("ttlSecondsAfterFinished") is not None:
        w.write(0, f"TTL Seconds After Finished:\t{spec['ttlSecondsAfterFinished']}\n")
    if status.get("startTime"):
        w.write(0, f"Start Time:\t{rfc1123z(status['startTime'])}\n")
    if status.get("completionTime"):
        w.write(0, f"Completed At:\t{rfc1123z(status['completionTime'])}\n")
        start = timestamp_seconds(status.get("startTime"))
        end = timestamp_seconds(status["completionTime"])
        if start is not None and end is not None:
            w.write(0, f"Duration:\t{human_duration(end - start)}\n")
    if spec.get("activeDeadlineSeconds") is not None:
        w.write(0, f"Active Deadline Seconds:\t{spec['activeDeadlineSeconds']}s\n")
    ready = status.get("ready")
    active = status.get("active", 0)
    active_text = f"{active} Active ({ready} Ready)" if ready is not None else f"{active} Active"
    w.write(0, f"Pods Statuses:\t{active_text} / {status.get('succeeded', 0)} Succeeded / "
               f"{status.get('failed', 0)} Failed\n")
    describe_pod_template(w, spec.get("template"))
    describe_events(w, events, now)


def describe_cron_job(w: PrefixWriter, obj: dict, events: list | None, now: float, client) -> None:
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    md = obj.get("metadata") or {}
    write_name_namespace(w, md)
    write_labels_annotations(w, md)
    w.write(0, f"Schedule:\t{spec.get('schedule', '')}\n")
    w.write(0, f"Concurrency Policy:\t{spec.get('concurrencyPolicy', 'Allow')}\n")
    w.write(0, f"Suspend:\t{'True' if spec.get('suspend') else 'False'}\n")
    w.write(0, f"Successful Job History Limit:\t{spec.get('successfulJobsHistoryLimit', 3)}\n")
    w.write(0, f"Failed Job History Limit:\t{spec.get('failedJobsHistoryLimit', 1)}\n")
    deadline = spec.get("startingDeadlineSeconds")
    w.write(0, f"Starting Deadline Seconds:\t{str(deadline) + 's' if deadline is not None else '<unset>'}\n")
    job_spec = get(spec, "jobTemplate", "spec", default={}) or {}
    w.write(0, f"Selector:\t{selectors.format_label_selector(job_spec.get('selector'))}\n" if job_spec.get("selector")
            else "Selector:\t<unset>\n")
    w.write(0, f"Parallelism:\t{job_spec.get('parallelism', '<unset>')}\n")
    w.write(0, f"Completions:\t{job_spec.get('completions', '<unset>')}\n")
    if job_spec.get("activeDeadlineSeconds") is not None:
        w.write(0, f"Active Deadline Seconds:\t{job_spec['activeDeadlineSeconds']}s\n")
    describe_pod_template(w, job_spec.get("template"))
    last = status.get("lastScheduleTime")
    w.write(0, f"Last Schedule Time:\t{rfc1123z(last) if last else '<unset>'}\n")
    active = [f"{ref.get('name', '')}" for ref in status.get("active") or []]
    w.write(0, f"Active Jobs:\t{', '.join(active) if active else '<none>'}\n")
    describe_events(w, events, now)


def describe_hpa(w: PrefixWriter, obj: dict, events: list | None, now: float, client) -> None:
    from kubenb.kubectl.printers.columns import _hpa_targets

    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    md = obj.get("metadata") or {}
    write_name_namespace(w, md)
    write_labels_annotations(w, md)
    w.write(0, f"CreationTimestamp:\t{rfc1123z(md.get('creationTimestamp'))}\n")
    ref = spec.get("scaleTargetRef") or {}
    w.write(0, f"Reference:\t{ref.get('kind', '')}/{ref.get('name', '')}\n")
    metrics = spec.get("metrics") or []
    if not metrics:
        w.write(0, "Metrics:\t<none>\n")
    else:
        w.write(0, "Metrics:\t( current / target )\n")
        for part in _hpa_targets(obj).split(", "):
            name, _, value = part.partition(": ")
            if value:
                w.write(1, f"resource {name} on pods  (as a percentage of request):\t{value.replace('/', ' / ')}\n")
            else:
                w.write(1, f"{part}\n")
    w.write(0, f"Min replicas:\t{spec.get('minReplicas', 1)}\n")
    w.write(0, f"Max replicas:\t{spec.get('maxReplicas', 0)}\n")
    w.write(0, f"{ref.get('kind', '')} pods:\t{status.get('currentReplicas', 0)} current / "
               f"{status.get('desiredReplicas', 0)} desired\n")
    conditions = status.get("conditions") or []
    if conditions:
        w.write(0, "Conditions:\n")
        w.write(1, "Type\tStatus\tReason\tMessage\n")
        w.write(1, "----\t------\t------\t-------\n")
        for condition in conditions:
            w.write(1, f"{condition.get('type', '')}\t{condition.get('status', '')}\t{condition.get('reason', '')}\t"
                       f"{condition.get('message', '')}\n")
    describe_events(w, events, now)


__all__ = ["describe_cron_job", "describe_daemon_set", "describe_deployment", "describe_hpa", "describe_job",
           "describe_replica_set", "describe_stateful_set", "since"]
