"""Size and count limits: the real ones a cluster has, and the few the simulator adds.

Real limits, with the real messages:

- the apiserver refuses a request body above 3 MiB (``DefaultMaxRequestSizeBytes``,
  k8s.io/apiserver/pkg/server/config.go; handlers/rest.go ``limitedReadBody``):
  413 RequestEntityTooLarge ``Request entity too large: limit is 3145728``;
- etcd refuses a value above 1.5 MiB (``--max-request-bytes``, etcd embed/config.go);
  the apiserver passes the error on as a 500 without a reason:
  ``etcdserver: request is too large``.

Request and stored sizes are measured on compact JSON. The real apiserver stores
protobuf, which is somewhat smaller, so an object close to 1.5 MiB may pass in a
real cluster and fail here.

Simulator limits (kubenb's, so the message starts with ``kubenb:``): everything
runs inside one notebook kernel, and a controller told to make a billion Pods
would never return. A workload may ask for at most ``MAX_REPLICAS`` replicas
(also Job parallelism/completions and HPA maxReplicas), and the cluster holds
at most ``MAX_PODS`` Pods. Beyond either, the write is refused with 403 Forbidden
and nothing is stored; a controller that meets the Pod limit records a
FailedCreate event, as it does for a real ResourceQuota.
"""

from __future__ import annotations

import json

from kubenb.api import errors
from kubenb.api.resources import ResourceType

MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024
MAX_ETCD_VALUE_BYTES = 3 * 1024 * 1024 // 2

MAX_REPLICAS = 1000
# Large enough for the 10,000-Pod stress demonstration (benchmarks/run.py), small enough that a
# runaway workload stops within a couple of minutes of CPU.
MAX_PODS = 10_000
MAX_OBJECTS_PER_RESOURCE = 200_000

# (kind, path to an integer field) -> limited by MAX_REPLICAS.
_REPLICA_FIELDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "Deployment": (("spec", "replicas"),),
    "ReplicaSet": (("spec", "replicas"),),
    "StatefulSet": (("spec", "replicas"),),
    "ReplicationController": (("spec", "replicas"),),
    "Job": (("spec", "parallelism"), ("spec", "completions")),
    "CronJob": (("spec", "jobTemplate", "spec", "parallelism"), ("spec", "jobTemplate", "spec", "completions")),
    "HorizontalPodAutoscaler": (("spec", "maxReplicas"),),
    "Scale": (("spec", "replicas"),),
}


def json_size(obj: object) -> int:
    """Bytes of ``obj`` as compact JSON (what a client sends, roughly what etcd keeps)."""
    return len(json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8", "surrogatepass"))


def check_request_size(obj: object) -> None:
    if json_size(obj) > MAX_REQUEST_BODY_BYTES:
        raise errors.request_entity_too_large(f"limit is {MAX_REQUEST_BODY_BYTES}")


def check_stored_size(obj: object) -> None:
    if json_size(obj) > MAX_ETCD_VALUE_BYTES:
        raise errors.unknown_server_error("etcdserver: request is too large")


def check_workload(rtype: ResourceType, obj: dict) -> None:
    """Refuse replica counts the simulator cannot run (after validation: negatives are already refused)."""
    for path in _REPLICA_FIELDS.get(rtype.kind, ()):
        value: object = obj
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, int) and not isinstance(value, bool) and value > MAX_REPLICAS:
            field = ".".join(path)
            raise errors.forbidden_error(
                f"kubenb: {field} is {value}, but this simulator runs at most {MAX_REPLICAS} replicas "
                f"per {rtype.kind} (a real cluster would try)")


def check_pod_count(count: int) -> None:
    if count >= MAX_PODS:
        raise errors.forbidden_error(f"kubenb: this simulator holds at most {MAX_PODS} pods")
