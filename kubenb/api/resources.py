"""The resource table: what ``kubectl api-resources`` lists, one row per kind.

Mirrors the discovery documents a v1.33 kube-apiserver serves (group,
version, plural, singular, short names, namespaced, categories, verbs). Adding
a kind means adding a row here; nothing else branches on the list.

Left out: subresources in discovery, CRDs, aggregated APIs.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

KUBERNETES_VERSION = "v1.33.1"
KUBECTL_VERSION = "v1.33.1"
KUSTOMIZE_VERSION = "v5.6.0"

_ALL_VERBS = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")


@dataclass(frozen=True, slots=True)
class ResourceType:
    kind: str
    plural: str
    singular: str
    group: str
    version: str
    namespaced: bool
    short_names: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    verbs: tuple[str, ...] = _ALL_VERBS
    list_kind: str = field(default="")

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def group_resource(self) -> str:
        """"deployments.apps", or "pods" for the core group (used in error messages)."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def kind_prefix(self) -> str:
        """"deployment.apps" or "pod": the prefix kubectl prints before a NAME (``-o name``)."""
        lower = self.kind.lower()
        return f"{lower}.{self.group}" if self.group else lower


def _rt(kind, plural, group, version, namespaced, short=(), categories=(), verbs=_ALL_VERBS):  # noqa: ANN001, ANN202
    return ResourceType(
        kind=kind,
        plural=plural,
        singular=kind.lower(),
        group=group,
        version=version,
        namespaced=namespaced,
        short_names=tuple(short),
        categories=tuple(categories),
        verbs=tuple(verbs),
        list_kind=kind + "List",
    )


_NS_VERBS = ("create", "delete", "get", "list", "patch", "update", "watch")

# Order is the order of `kubectl api-resources` (sorted by group then name, core first).
RESOURCE_TYPES: tuple[ResourceType, ...] = (
    _rt("Binding", "bindings", "", "v1", True, verbs=("create",)),
    _rt("ComponentStatus", "componentstatuses", "", "v1", False, ("cs",), verbs=("get", "list")),
    _rt("ConfigMap", "configmaps", "", "v1", True, ("cm",)),
    _rt("Endpoints", "endpoints", "", "v1", True, ("ep",)),
    _rt("Event", "events", "", "v1", True, ("ev",)),
    _rt("LimitRange", "limitranges", "", "v1", True, ("limits",)),
    _rt("Namespace", "namespaces", "", "v1", False, ("ns",), verbs=_NS_VERBS),
    _rt("Node", "nodes", "", "v1", False, ("no",)),
    _rt("PersistentVolumeClaim", "persistentvolumeclaims", "", "v1", True, ("pvc",)),
    _rt("PersistentVolume", "persistentvolumes", "", "v1", False, ("pv",)),
    _rt("Pod", "pods", "", "v1", True, ("po",), ("all",)),
    _rt("PodTemplate", "podtemplates", "", "v1", True),
    _rt("ReplicationController", "replicationcontrollers", "", "v1", True, ("rc",), ("all",)),
    _rt("ResourceQuota", "resourcequotas", "", "v1", True, ("quota",)),
    _rt("Secret", "secrets", "", "v1", True),
    _rt("ServiceAccount", "serviceaccounts", "", "v1", True, ("sa",)),
    _rt("Service", "services", "", "v1", True, ("svc",), ("all",), verbs=_NS_VERBS),
    _rt("ControllerRevision", "controllerrevisions", "apps", "v1", True),
    _rt("DaemonSet", "daemonsets", "apps", "v1", True, ("ds",), ("all",)),
    _rt("Deployment", "deployments", "apps", "v1", True, ("deploy",), ("all",)),
    _rt("ReplicaSet", "replicasets", "apps", "v1", True, ("rs",), ("all",)),
    _rt("StatefulSet", "statefulsets", "apps", "v1", True, ("sts",), ("all",)),
    _rt("HorizontalPodAutoscaler", "horizontalpodautoscalers", "autoscaling", "v2", True, ("hpa",), ("all",)),
    _rt("CronJob", "cronjobs", "batch", "v1", True, ("cj",), ("all",)),
    _rt("Job", "jobs", "batch", "v1", True, (), ("all",)),
    _rt("Lease", "leases", "coordination.k8s.io", "v1", True),
    _rt("EndpointSlice", "endpointslices", "discovery.k8s.io", "v1", True),
    _rt("Event", "events", "events.k8s.io", "v1", True, ("ev",)),
    _rt("IngressClass", "ingressclasses", "networking.k8s.io", "v1", False),
    _rt("Ingress", "ingresses", "networking.k8s.io", "v1", True, ("ing",)),
    _rt("NetworkPolicy", "networkpolicies", "networking.k8s.io", "v1", True, ("netpol",)),
    _rt("PodDisruptionBudget", "poddisruptionbudgets", "policy", "v1", True, ("pdb",)),
    _rt("ClusterRoleBinding", "clusterrolebindings", "rbac.authorization.k8s.io", "v1", False),
    _rt("ClusterRole", "clusterroles", "rbac.authorization.k8s.io", "v1", False),
    _rt("RoleBinding", "rolebindings", "rbac.authorization.k8s.io", "v1", True),
    _rt("Role", "roles", "rbac.authorization.k8s.io", "v1", True),
    _rt("PriorityClass", "priorityclasses", "scheduling.k8s.io", "v1", False, ("pc",)),
    _rt("StorageClass", "storageclasses", "storage.k8s.io", "v1", False, ("sc",)),
)

# Preferred type per plural (events: core v1 wins, as kubectl resolves "events").
_BY_PLURAL: dict[str, ResourceType] = {}
for _t in RESOURCE_TYPES:
    _BY_PLURAL.setdefault(_t.plural, _t)

_BY_KIND_GROUP: dict[tuple[str, str], ResourceType] = {(t.kind, t.group): t for t in RESOURCE_TYPES}


def by_plural(plural: str) -> ResourceType:
    return _BY_PLURAL[plural]


def for_api_version_kind(api_version: str, kind: str) -> ResourceType | None:
    """The type for an object's apiVersion and kind, or None when the server has no such kind."""
    group, _, version = api_version.rpartition("/")
    rtype = _BY_KIND_GROUP.get((kind, group))
    if rtype is None or rtype.version != version:
        # autoscaling/v1 and v2 both serve HorizontalPodAutoscaler.
        if rtype is not None and rtype.group == "autoscaling" and version in ("v1", "v2"):
            return rtype
        return None
    return rtype


def for_object(obj: dict) -> ResourceType | None:
    return for_api_version_kind(str(obj.get("apiVersion", "")), str(obj.get("kind", "")))


@functools.lru_cache(maxsize=1024)  # the table is fixed, and every Client call resolves a name
def resolve(text: str) -> ResourceType | None:
    """What kubectl's RESTMapper does with a resource argument.

    Accepts plural, singular, short name or kind, case-insensitively, with an
    optional ``.group`` or ``.version.group`` suffix (``deployments.apps``,
    ``deploy.v1.apps``).
    """
    lowered = text.lower()
    name, _, rest = lowered.partition(".")
    candidates = [t for t in RESOURCE_TYPES if name in (t.plural, t.singular, *t.short_names, t.kind.lower())]
    if rest:
        version_or_group = rest
        filtered = [
            t
            for t in candidates
            if t.group == version_or_group or f"{t.version}.{t.group}" == version_or_group
        ]
        candidates = filtered
    if not candidates:
        return None
    # Prefer the core group (events -> core/v1 events), then the table order.
    candidates.sort(key=lambda t: (t.group != "", RESOURCE_TYPES.index(t)))
    return candidates[0]


def in_category(category: str) -> list[ResourceType]:
    """Types in a category, in the order ``kubectl get all`` prints them."""
    order = [
        "pods", "replicationcontrollers", "services", "daemonsets", "deployments", "replicasets",
        "statefulsets", "horizontalpodautoscalers", "cronjobs", "jobs",
    ]
    members = [t for t in RESOURCE_TYPES if category in t.categories]
    members.sort(key=lambda t: order.index(t.plural) if t.plural in order else len(order))
    return members
