"""RBAC: who may do what, decided from Roles, ClusterRoles and their bindings.

Mirrors plugin/pkg/auth/authorizer/rbac (rbac.go: RulesFor/VisitRulesFor,
rule matching by API group, resource[/subresource], verb and resourceName;
subjects by User, Group and ServiceAccount), the Forbidden message of
apiserver/pkg/endpoints/handlers/responsewriters (forbiddenMessage), the
groups an identity belongs to (``system:authenticated``, and
``system:serviceaccounts[:<ns>]`` for a ServiceAccount) and a small part of
bootstrappolicy: cluster-admin, admin, edit, view and the roles every
authenticated user has.

Only a Client that acts for an impersonated user (``kubectl --as``) is
checked; the cluster admin of the kubeconfig is in ``system:masters`` and
every control-plane component is trusted, as their own RBAC roles would
allow. Left out: non-resource URLs, escalation checks on Role writes,
aggregation (admin/edit/view are written out), impersonation permissions.
"""

from __future__ import annotations

from dataclasses import dataclass

from kubenb.api.store import Store

MASTERS = "system:masters"
SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:"


@dataclass(frozen=True)
class UserInfo:
    name: str
    groups: tuple[str, ...] = ()


def user_info(name: str, groups: list[str] | tuple[str, ...] = ()) -> UserInfo:
    """The identity an authenticator (or impersonation) produces for ``name`` and extra groups."""
    all_groups = list(groups)
    if name.startswith(SERVICE_ACCOUNT_PREFIX):
        namespace = name[len(SERVICE_ACCOUNT_PREFIX):].split(":", 1)[0]
        all_groups += ["system:serviceaccounts", f"system:serviceaccounts:{namespace}"]
    if name != "system:anonymous" and "system:authenticated" not in all_groups:
        all_groups.append("system:authenticated")
    return UserInfo(name, tuple(all_groups))


# The kubeconfig user kind writes: its client certificate's organisation is kubeadm:cluster-admins.
ADMIN = UserInfo("kubernetes-admin", ("kubeadm:cluster-admins", "system:authenticated"))


@dataclass(frozen=True)
class Attributes:
    """authorizer.Attributes for a resource request."""

    verb: str
    group: str
    resource: str
    namespace: str = ""
    name: str = ""
    subresource: str = ""


def _subject_matches(subject: dict, user: UserInfo, binding_namespace: str) -> bool:
    kind = subject.get("kind")
    if kind == "User":
        return subject.get("name") == user.name
    if kind == "Group":
        return subject.get("name") in user.groups
    if kind == "ServiceAccount":
        namespace = subject.get("namespace") or binding_namespace
        return user.name == f"{SERVICE_ACCOUNT_PREFIX}{namespace}:{subject.get('name', '')}"
    return False


def _rule_allows(rule: dict, attrs: Attributes) -> bool:
    verbs = rule.get("verbs") or []
    if "*" not in verbs and attrs.verb not in verbs:
        return False
    groups = rule.get("apiGroups") or []
    if "*" not in groups and attrs.group not in groups:
        return False
    combined = attrs.resource + ("/" + attrs.subresource if attrs.subresource else "")
    resources = rule.get("resources") or []
    if not ("*" in resources or combined in resources
            or (attrs.subresource and f"*/{attrs.subresource}" in resources)):
        return False
    names = rule.get("resourceNames") or []
    return not names or attrs.name in names


def rules_for(store: Store, user: UserInfo, namespace: str) -> list[dict]:
    """Every rule that applies to ``user`` for a request in ``namespace`` ("" is cluster scope)."""
    rules: list[dict] = []
    for binding in store.items("clusterrolebindings"):
        if any(_subject_matches(s, user, "") for s in binding.get("subjects") or []):
            role = store.get("clusterroles", None, (binding.get("roleRef") or {}).get("name", ""))
            rules += (role or {}).get("rules") or []
    if namespace:
        for binding in store.items("rolebindings", namespace):
            if not any(_subject_matches(s, user, namespace) for s in binding.get("subjects") or []):
                continue
            ref = binding.get("roleRef") or {}
            if ref.get("kind") == "ClusterRole":
                role = store.get("clusterroles", None, ref.get("name", ""))
            else:
                role = store.get("roles", namespace, ref.get("name", ""))
            rules += (role or {}).get("rules") or []
    return rules


def authorize(store: Store, user: UserInfo, attrs: Attributes) -> bool:
    if MASTERS in user.groups:
        return True
    return any(_rule_allows(rule, attrs) for rule in rules_for(store, user, attrs.namespace))


def forbidden_message(user: UserInfo, attrs: Attributes) -> str:
    """``<resource> "<name>" is forbidden: User "<u>" cannot <verb> resource ...`` as the apiserver says it."""
    group_resource = attrs.resource + (f".{attrs.group}" if attrs.group else "")
    head = f'{group_resource} "{attrs.name}"' if attrs.name else group_resource
    resource = attrs.resource + (f"/{attrs.subresource}" if attrs.subresource else "")
    where = f'in the namespace "{attrs.namespace}"' if attrs.namespace else "at the cluster scope"
    return (f'{head} is forbidden: User "{user.name}" cannot {attrs.verb} resource "{resource}" in API group '
            f'"{attrs.group}" {where}')


# --- bootstrap policy (a few of the roles every cluster starts with) ---------------------------------------
_READ = ["get", "list", "watch"]
_WRITE = ["create", "delete", "deletecollection", "patch", "update"]
_VIEW_RULES = [
    {"apiGroups": [""], "resources": ["configmaps", "endpoints", "persistentvolumeclaims",
                                      "persistentvolumeclaims/status", "pods", "replicationcontrollers",
                                      "replicationcontrollers/scale", "serviceaccounts", "services",
                                      "services/status", "bindings", "events", "limitranges", "namespaces/status",
                                      "pods/log", "pods/status", "replicationcontrollers/status", "resourcequotas",
                                      "resourcequotas/status", "namespaces"], "verbs": _READ},
    {"apiGroups": ["apps"], "resources": ["controllerrevisions", "daemonsets", "daemonsets/status", "deployments",
                                          "deployments/scale", "deployments/status", "replicasets",
                                          "replicasets/scale", "replicasets/status", "statefulsets",
                                          "statefulsets/scale", "statefulsets/status"], "verbs": _READ},
    {"apiGroups": ["autoscaling"], "resources": ["horizontalpodautoscalers", "horizontalpodautoscalers/status"],
     "verbs": _READ},
    {"apiGroups": ["batch"], "resources": ["cronjobs", "cronjobs/status", "jobs", "jobs/status"], "verbs": _READ},
    {"apiGroups": ["discovery.k8s.io"], "resources": ["endpointslices"], "verbs": _READ},
    {"apiGroups": ["networking.k8s.io"], "resources": ["ingresses", "ingresses/status", "networkpolicies"],
     "verbs": _READ},
    {"apiGroups": ["policy"], "resources": ["poddisruptionbudgets", "poddisruptionbudgets/status"], "verbs": _READ},
]
_EDIT_RULES = [
    {"apiGroups": [""], "resources": ["pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets",
                                      "services/proxy"], "verbs": _READ},
    {"apiGroups": [""], "resources": ["serviceaccounts"], "verbs": ["impersonate"]},
    {"apiGroups": [""], "resources": ["pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"],
     "verbs": ["create", "delete", "deletecollection", "patch", "update"]},
    {"apiGroups": [""], "resources": ["pods/eviction"], "verbs": ["create"]},
    {"apiGroups": [""], "resources": ["configmaps", "events", "persistentvolumeclaims", "replicationcontrollers",
                                      "replicationcontrollers/scale", "secrets", "serviceaccounts", "services",
                                      "services/proxy"], "verbs": _WRITE},
    {"apiGroups": ["apps"], "resources": ["daemonsets", "deployments", "deployments/rollback", "deployments/scale",
                                          "replicasets", "replicasets/scale", "statefulsets", "statefulsets/scale"],
     "verbs": _WRITE},
    {"apiGroups": ["autoscaling"], "resources": ["horizontalpodautoscalers"], "verbs": _WRITE},
    {"apiGroups": ["batch"], "resources": ["cronjobs", "jobs"], "verbs": _WRITE},
    {"apiGroups": ["networking.k8s.io"], "resources": ["ingresses", "networkpolicies"], "verbs": _WRITE},
    {"apiGroups": ["policy"], "resources": ["poddisruptionbudgets"], "verbs": _WRITE},
    {"apiGroups": ["discovery.k8s.io"], "resources": ["endpointslices"], "verbs": _WRITE},
]
_ADMIN_RULES = [
    {"apiGroups": ["authorization.k8s.io"], "resources": ["localsubjectaccessreviews"], "verbs": ["create"]},
    {"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["rolebindings", "roles"], "verbs": _READ + _WRITE},
]


def _cluster_role(name: str, rules: list[dict], *, aggregate_label: str = "", bootstrap: bool = True) -> dict:
    labels = {"kubernetes.io/bootstrapping": "rbac-defaults"} if bootstrap else {}
    if aggregate_label:
        labels[f"rbac.authorization.k8s.io/aggregate-to-{aggregate_label}"] = "true"
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
            "metadata": {"name": name, "labels": labels,
                         "annotations": {"rbac.authorization.kubernetes.io/autoupdate": "true"}},
            "rules": rules}


def _cluster_binding(name: str, role: str, subjects: list[dict]) -> dict:
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
            "metadata": {"name": name, "labels": {"kubernetes.io/bootstrapping": "rbac-defaults"},
                         "annotations": {"rbac.authorization.kubernetes.io/autoupdate": "true"}},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
            "subjects": subjects}


def _group(name: str) -> dict:
    return {"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": name}


def bootstrap_policy() -> list[dict]:
    """The ClusterRoles and ClusterRoleBindings a fresh cluster has that lessons meet."""
    return [
        _cluster_role("cluster-admin", [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]},
                                        {"nonResourceURLs": ["*"], "verbs": ["*"]}]),
        _cluster_role("admin", _VIEW_RULES + _EDIT_RULES + _ADMIN_RULES),
        _cluster_role("edit", _VIEW_RULES + _EDIT_RULES, aggregate_label="admin"),
        _cluster_role("view", _VIEW_RULES, aggregate_label="edit"),
        _cluster_role("system:basic-user", [
            {"apiGroups": ["authorization.k8s.io"], "resources": ["selfsubjectaccessreviews",
                                                                  "selfsubjectrulesreviews"], "verbs": ["create"]},
            {"apiGroups": ["authentication.k8s.io"], "resources": ["selfsubjectreviews"], "verbs": ["create"]}]),
        _cluster_role("system:discovery", [{"nonResourceURLs": ["/api", "/api/*", "/apis", "/apis/*", "/healthz",
                                                                "/livez", "/openapi", "/openapi/*", "/readyz",
                                                                "/version", "/version/"], "verbs": ["get"]}]),
        _cluster_binding("cluster-admin", "cluster-admin", [_group(MASTERS)]),
        _cluster_binding("system:basic-user", "system:basic-user", [_group("system:authenticated")]),
        _cluster_binding("system:discovery", "system:discovery", [_group("system:authenticated")]),
        {**_cluster_binding("kubeadm:cluster-admins", "cluster-admin", [_group("kubeadm:cluster-admins")]),
         "metadata": {"name": "kubeadm:cluster-admins"}},
    ]
