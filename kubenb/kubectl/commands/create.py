"""kubectl create (kubectl ``pkg/cmd/create/create.go`` and every ``create_*.go`` generator).

``create -f`` reads manifests and creates each object; the generators build
one object from flags (``kubenb.kubectl.generators``) and either print it
(``--dry-run=client``) or send it to the API server, wrapping server errors
the way each upstream generator does. Left out: ``--edit``, ``--raw``,
``-k`` (kustomize), ``--windows-line-endings``, ``create token`` (kubenb has
no token issuer), go-template/jsonpath output.
"""

from __future__ import annotations

import json
import re

from kubenb.api import errors, resources
from kubenb.api.quantity import QuantityError
from kubenb.api.quantity import parse as parse_quantity
from kubenb.api.selectors import SelectorError
from kubenb.api.selectors import parse as parse_selector
from kubenb.kubectl import flags as pflag
from kubenb.kubectl.cli import (
    Command,
    InvalidNamespaceError,
    Invocation,
    KubectlError,
    UsageError,
    format_status_error,
)
from kubenb.kubectl.flags import Flag
from kubenb.kubectl.generators import objects, output, sources
from kubenb.kubectl.generators.output import create_flags, finish


def name_from_args(inv: Invocation) -> str:
    """NameFromCommandArgs: exactly one NAME before ``--``."""
    count = inv.flags.dash_index if inv.flags.dash_index >= 0 else len(inv.args)
    if count != 1:
        raise UsageError(f"exactly one NAME is required, got {count}")
    return inv.args[0]


def require(inv: Invocation, *names: str) -> None:
    """cobra's MarkFlagRequired check (runs before the command, without the usage hint)."""
    missing = [name for name in names if not inv.flags.was_set(name)]
    if missing:
        raise KubectlError(f'required flag(s) {", ".join(chr(34) + n + chr(34) for n in missing)} not set')


def _random_suffix(inv: Invocation):  # noqa: ANN202
    def suffix() -> str:
        try:
            return inv.client.rand.string(5)
        except KubectlError:
            return "x" * 5
    return suffix


# --- deployment ----------------------------------------------------------------------------------------------

def run_deployment(inv: Invocation) -> int:
    require(inv, "image")
    name = name_from_args(inv)
    command = inv.args[1:]
    images = inv.flags["image"]
    if len(images) > 1 and command:
        raise KubectlError("cannot specify multiple --image options and command")
    obj = objects.deployment(name, images, command, inv.flags["replicas"], inv.flags["port"], _random_suffix(inv))
    return finish(inv, obj, wrap="failed to create deployment: ")


# --- service -------------------------------------------------------------------------------------------------

def _service_runner(service_type: str, wrap_type: str):  # noqa: ANN202
    def run(inv: Invocation) -> int:
        if service_type == "ExternalName":
            require(inv, "external-name")
        name = name_from_args(inv)
        tcp = inv.flags.get("tcp", [])
        cluster_ip = inv.flags.get("clusterip", "")
        external_name = inv.flags.get("external-name", "")
        if not tcp and service_type not in ("ClusterIP", "ExternalName"):
            raise KubectlError("at least one tcp port specifier must be provided")
        if service_type == "ClusterIP":
            if cluster_ip != "None" and not tcp:
                raise KubectlError("at least one tcp port specifier must be provided")
        obj = objects.service(name, service_type, tcp, cluster_ip=cluster_ip,
                              node_port=inv.flags.get("node-port", 0), external_name=external_name)
        return finish(inv, obj, wrap=f"failed to create {wrap_type} service: ")
    return run


# --- configmap and secrets -----------------------------------------------------------------------------------

def _collect(inv: Invocation, kind: str, name: str, *, literal: bool = True, env: bool = True) -> list[tuple[str, bytes]]:
    pairs: list[tuple[str, bytes]] = []
    seen: set[str] = set()

    def add(key: str, value: bytes, validate: bool = True) -> None:
        if validate:
            errs = sources.config_key_errors(key)
            if errs:
                raise sources.key_error(kind, key, errs)
        if key in seen:
            if kind == "ConfigMap":
                raise KubectlError(f'cannot add key "{key}", another key by that name already exists in Data for '
                                   f'ConfigMap "{name}"')
            raise KubectlError(f"cannot add key {key}, another key by that name already exists")
        seen.add(key)
        pairs.append((key, value))

    for key, value in sources.file_sources(inv, inv.flags.get("from-file", []), kind):
        add(key, value, validate=False)
    if literal:
        for source in inv.flags.get("from-literal", []):
            key, value = sources.parse_literal(source)
            add(key, value.encode())
    if env:
        for path in inv.flags.get("from-env-file", []):
            for key, value in sources.env_file_pairs(inv, path):
                add(key, value.encode())
    return pairs


def run_configmap(inv: Invocation) -> int:
    name = name_from_args(inv)
    if inv.flags.get("from-env-file") and (inv.flags.get("from-file") or inv.flags.get("from-literal")):
        raise KubectlError("from-env-file cannot be combined with from-file or from-literal")
    pairs = _collect(inv, "ConfigMap", name)
    data: dict[str, str] = {}
    binary: dict[str, str] = {}
    for key, value in pairs:
        try:
            data[key] = value.decode("utf-8")
        except UnicodeDecodeError:
            binary[key] = sources.b64(value)
    obj: dict = {"kind": "ConfigMap", "apiVersion": "v1", "metadata": objects.meta(name)}
    if data:
        obj["data"] = data
    if binary:
        obj["binaryData"] = binary
    if inv.flags.get("append-hash"):
        obj["metadata"]["name"] = f"{name}-{sources.configmap_hash(obj)}"
    return finish(inv, obj, wrap="failed to create configmap: ")


def _secret(name: str, data: dict[str, str], secret_type: str) -> dict:
    obj: dict = {"kind": "Secret", "apiVersion": "v1", "metadata": objects.meta(name)}
    if data:
        obj["data"] = data
    if secret_type:
        obj["type"] = secret_type
    return obj


def _finish_secret(inv: Invocation, obj: dict) -> int:
    if inv.flags.get("append-hash"):
        obj["metadata"]["name"] = f'{obj["metadata"]["name"]}-{sources.secret_hash(obj)}'
    return finish(inv, obj, wrap="failed to create secret ")


def run_secret_generic(inv: Invocation) -> int:
    name = name_from_args(inv)
    if inv.flags.get("from-env-file") and (inv.flags.get("from-file") or inv.flags.get("from-literal")):
        raise KubectlError("from-env-file cannot be combined with from-file or from-literal")
    pairs = _collect(inv, "Secret", name)
    return _finish_secret(inv, _secret(name, {k: sources.b64(v) for k, v in pairs}, inv.flags["type"]))


def run_secret_tls(inv: Invocation) -> int:
    name = name_from_args(inv)
    cert_path, key_path = inv.flags["cert"], inv.flags["key"]
    if not cert_path or not key_path:
        raise KubectlError("key and cert must be specified")
    blobs = []
    for path in (cert_path, key_path):
        try:
            blobs.append(sources.read_bytes(inv, path))
        except FileNotFoundError:
            raise KubectlError(f"Cannot read file {path}, open {path}: no such file or directory") from None
    if b"-----BEGIN" not in blobs[0]:
        raise KubectlError("failed to load key pair tls: failed to find any PEM data in certificate input")
    if b"-----BEGIN" not in blobs[1]:
        raise KubectlError("failed to load key pair tls: failed to find any PEM data in key input")
    data = {"tls.crt": sources.b64(blobs[0]), "tls.key": sources.b64(blobs[1])}
    return _finish_secret(inv, _secret(name, data, "kubernetes.io/tls"))


def run_secret_docker_registry(inv: Invocation) -> int:
    name = name_from_args(inv)
    files = inv.flags.get("from-file", [])
    user, password = inv.flags["docker-username"], inv.flags["docker-password"]
    server, email = inv.flags["docker-server"], inv.flags["docker-email"]
    if not files and (not user or not password or not server):
        raise KubectlError("either --from-file or the combination of --docker-username, --docker-password and "
                           "--docker-server is required")
    data: dict[str, str] = {}
    if not files:
        entry: dict = {"username": user, "password": password}
        if email:
            entry["email"] = email
        entry["auth"] = sources.b64(f"{user}:{password}".encode())
        config = output.go_json({"auths": {server: entry}}, indent=None)
        data[".dockerconfigjson"] = sources.b64(config.encode())
    else:
        for key, value in _collect(inv, "Secret", name, literal=False, env=False):
            data[key] = sources.b64(value)
    return _finish_secret(inv, _secret(name, data, "kubernetes.io/dockerconfigjson"))


# --- namespace, serviceaccount, job, cronjob, ingress --------------------------------------------------------

def run_namespace(inv: Invocation) -> int:
    name = name_from_args(inv)
    obj = {"kind": "Namespace", "apiVersion": "v1", "metadata": objects.meta(name), "spec": {}, "status": {}}
    return finish(inv, obj, wrap=None, namespace=False)


def run_serviceaccount(inv: Invocation) -> int:
    name = name_from_args(inv)
    obj = {"kind": "ServiceAccount", "apiVersion": "v1", "metadata": objects.meta(name)}
    return finish(inv, obj, wrap="failed to create serviceaccount: ")


def run_job(inv: Invocation) -> int:
    name = name_from_args(inv)
    image, source = inv.flags["image"], inv.flags["from"]
    if bool(image) == bool(source):
        raise KubectlError("either --image or --from must be specified")
    if source:
        if inv.args[1:]:
            raise KubectlError("cannot specify --from and command")
        obj = _job_from_cronjob(inv, name, source)
    else:
        obj = objects.job(name, image, inv.args[1:])
    return finish(inv, obj, wrap="failed to create job: ")


def _job_from_cronjob(inv: Invocation, name: str, source: str) -> dict:
    kind, _, cron_name = source.partition("/")
    rtype = resources.resolve(kind)
    if rtype is None or rtype.kind != "CronJob" or not cron_name:
        raise KubectlError(f"from must be an existing cronjob: {source}" if rtype is None or rtype.kind != "CronJob"
                           else "from must be of the form <resource>/<name>")
    cron = inv.client.get("cronjobs", cron_name, inv.namespace)
    template = cron["spec"]["jobTemplate"]
    annotations = {"cronjob.kubernetes.io/instantiate": "manual", **(template.get("metadata", {}).get("annotations")
                                                                    or {})}
    metadata: dict = {"name": name, "creationTimestamp": None}
    if template.get("metadata", {}).get("labels"):
        metadata["labels"] = dict(template["metadata"]["labels"])
    metadata["annotations"] = annotations
    metadata["ownerReferences"] = [{"apiVersion": "batch/v1", "kind": "CronJob", "name": cron["metadata"]["name"],
                                    "uid": cron["metadata"]["uid"], "controller": True}]
    return {"kind": "Job", "apiVersion": "batch/v1", "metadata": metadata,
            "spec": json.loads(json.dumps(template.get("spec", {}))), "status": {}}


def run_cronjob(inv: Invocation) -> int:
    require(inv, "image", "schedule")
    name = name_from_args(inv)
    obj = objects.cronjob(name, inv.flags["image"], inv.flags["schedule"], inv.flags["restart"], inv.args[1:])
    return finish(inv, obj, wrap="failed to create cronjob: ")


def run_ingress(inv: Invocation) -> int:
    name = name_from_args(inv)
    obj = objects.ingress(name, inv.flags["rule"], inv.flags["class"], inv.flags["default-backend"],
                          inv.flags["annotation"])
    return finish(inv, obj, wrap="failed to create ingress: ")


# --- RBAC ----------------------------------------------------------------------------------------------------

_VALID_VERBS = ("*", "get", "delete", "list", "create", "update", "patch", "watch", "proxy", "deletecollection",
                "use", "bind", "escalate", "impersonate")


def _policy_rules(inv: Invocation, *, cluster: bool) -> list[dict]:
    verbs = inv.flags["verb"]
    resource_args = inv.flags["resource"]
    names = inv.flags["resource-name"]
    urls = inv.flags.get("non-resource-url", []) if cluster else []
    if not verbs:
        raise KubectlError("at least one verb must be specified")
    if not resource_args and not urls:
        raise KubectlError("at least one resource must be specified" if not cluster else
                           "one of resource or nonResourceURL must be specified")
    for verb in verbs:
        if verb not in _VALID_VERBS and not (cluster and urls):
            raise KubectlError(f"invalid verb: '{verb}'")
    if "*" in verbs:
        verbs = ["*"]
    groups: dict[str, list[str]] = {}
    for arg in resource_args:
        base, _, sub = arg.partition("/")
        plural, _, group = base.partition(".")
        rtype = resources.resolve(base)
        if rtype is not None:
            plural, group = rtype.plural, rtype.group
        elif plural != "*":
            raise KubectlError(f'the server doesn\'t have a resource type "{plural}"')
        if sub:
            plural = f"{plural}/{sub}"
        bucket = groups.setdefault(group, [])
        if plural not in bucket:
            bucket.append(plural)
    rules = []
    for group in sorted(groups):
        rule: dict = {"verbs": list(verbs), "apiGroups": [group], "resources": groups[group]}
        if names:
            rule["resourceNames"] = list(names)
        rules.append(rule)
    if urls:
        rules.append({"verbs": list(verbs), "nonResourceURLs": list(urls)})
    return rules


def run_role(inv: Invocation) -> int:
    name = name_from_args(inv)
    obj = {"kind": "Role", "apiVersion": "rbac.authorization.k8s.io/v1", "metadata": objects.meta(name),
           "rules": _policy_rules(inv, cluster=False)}
    return finish(inv, obj, wrap=None)


def run_clusterrole(inv: Invocation) -> int:
    name = name_from_args(inv)
    aggregation = inv.flags.get("aggregation-rule", {})
    obj: dict = {"kind": "ClusterRole", "apiVersion": "rbac.authorization.k8s.io/v1", "metadata": objects.meta(name)}
    if aggregation:
        obj["rules"] = None
        obj["aggregationRule"] = {"clusterRoleSelectors": [{"matchLabels": dict(sorted(aggregation.items()))}]}
    else:
        obj["rules"] = _policy_rules(inv, cluster=True)
    return finish(inv, obj, wrap=None, namespace=False)


def _subjects(inv: Invocation) -> list[dict]:
    subjects = []
    for user in inv.flags["user"]:
        subjects.append({"kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": user})
    for group in inv.flags["group"]:
        subjects.append({"kind": "Group", "apiGroup": "rbac.authorization.k8s.io", "name": group})
    for account in inv.flags["serviceaccount"]:
        parts = account.split(":")
        if len(parts) != 2 or not parts[0] or not parts[1]:
            raise KubectlError("serviceaccount must be <namespace>:<name>")
        subjects.append({"kind": "ServiceAccount", "name": parts[1], "namespace": parts[0]})
    return subjects


def run_rolebinding(inv: Invocation) -> int:
    name = name_from_args(inv)
    role, cluster_role = inv.flags["role"], inv.flags["clusterrole"]
    if bool(role) == bool(cluster_role):
        raise KubectlError("exactly one of clusterrole or role must be specified")
    subjects = _subjects(inv)
    obj: dict = {"kind": "RoleBinding", "apiVersion": "rbac.authorization.k8s.io/v1",
                 "metadata": objects.meta(name)}
    if subjects:
        obj["subjects"] = subjects
    obj["roleRef"] = {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role" if role else "ClusterRole",
                      "name": role or cluster_role}
    return finish(inv, obj, wrap="failed to create rolebinding: ")


def run_clusterrolebinding(inv: Invocation) -> int:
    require(inv, "clusterrole")
    name = name_from_args(inv)
    subjects = _subjects(inv)
    obj: dict = {"kind": "ClusterRoleBinding", "apiVersion": "rbac.authorization.k8s.io/v1",
                 "metadata": objects.meta(name)}
    if subjects:
        obj["subjects"] = subjects
    obj["roleRef"] = {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                      "name": inv.flags["clusterrole"]}
    return finish(inv, obj, wrap="failed to create clusterrolebinding: ", namespace=False)


# --- quota, priorityclass, poddisruptionbudget, token --------------------------------------------------------

def run_quota(inv: Invocation) -> int:
    name = name_from_args(inv)
    hard: dict[str, str] = {}
    if inv.flags["hard"]:
        for pair in inv.flags["hard"].split(","):
            key, sep, value = pair.partition("=")
            if not sep or not key or not value:
                raise KubectlError(f"Invalid argument syntax {pair}, expected <resource>=<value>")
            try:
                hard[key] = str(parse_quantity(value))
            except QuantityError as error:
                raise KubectlError(str(error)) from None
    spec: dict = {}
    if hard:
        spec["hard"] = dict(sorted(hard.items()))
    scopes = [s.strip() for s in inv.flags["scopes"].split(",") if s.strip()] if inv.flags["scopes"] else []
    if scopes:
        spec["scopes"] = scopes
    obj = {"kind": "ResourceQuota", "apiVersion": "v1", "metadata": objects.meta(name), "spec": spec, "status": {}}
    return finish(inv, obj, wrap="failed to create quota: ")


def run_priorityclass(inv: Invocation) -> int:
    name = name_from_args(inv)
    obj: dict = {"kind": "PriorityClass", "apiVersion": "scheduling.k8s.io/v1", "metadata": objects.meta(name),
                 "value": inv.flags["value"]}
    if inv.flags["global-default"]:
        obj["globalDefault"] = True
    if inv.flags["description"]:
        obj["description"] = inv.flags["description"]
    obj["preemptionPolicy"] = inv.flags["preemption-policy"]
    return finish(inv, obj, wrap="failed to create priorityclass: ", namespace=False)


def _label_selector(text: str) -> dict:
    """metav1.ParseToLabelSelector."""
    try:
        selector = parse_selector(text)
    except SelectorError as error:
        raise KubectlError(str(error)) from None
    match_labels: dict[str, str] = {}
    expressions: list[dict] = []
    names = {"in": "In", "notin": "NotIn", "exists": "Exists", "!": "DoesNotExist"}
    for requirement in selector.requirements:
        if requirement.operator in ("=", "=="):
            match_labels[requirement.key] = requirement.values[0]
        elif requirement.operator in names:
            expression: dict = {"key": requirement.key, "operator": names[requirement.operator]}
            if requirement.values:
                expression["values"] = sorted(requirement.values)
            expressions.append(expression)
        else:
            raise KubectlError(f'"{requirement.operator}" is not a valid label selector operator')
    result: dict = {}
    if match_labels:
        result["matchLabels"] = match_labels
    if expressions:
        result["matchExpressions"] = expressions
    return result


def _int_or_string(text: str) -> int | str:
    number = objects.go_atoi(text)
    return number if number is not None else text


def run_pdb(inv: Invocation) -> int:
    name = name_from_args(inv)
    selector, min_available, max_unavailable = inv.flags["selector"], inv.flags["min-available"], \
        inv.flags["max-unavailable"]
    if not selector:
        raise KubectlError("a selector must be specified")
    if not min_available and not max_unavailable:
        raise KubectlError("one of min-available or max-unavailable must be specified")
    if min_available and max_unavailable:
        raise KubectlError("min-available and max-unavailable cannot be both specified")
    for flag_name, value in (("min-available", min_available), ("max-unavailable", max_unavailable)):
        if value and not re.fullmatch(r"[0-9]+%?", value):
            raise KubectlError(f"invalid format specified for {flag_name}")
    spec: dict = {}
    if min_available:
        spec["minAvailable"] = _int_or_string(min_available)
    if max_unavailable:
        spec["maxUnavailable"] = _int_or_string(max_unavailable)
    spec["selector"] = _label_selector(selector)
    obj = {"kind": "PodDisruptionBudget", "apiVersion": "policy/v1", "metadata": objects.meta(name), "spec": spec,
           "status": {"disruptionsAllowed": 0, "currentHealthy": 0, "desiredHealthy": 0, "expectedPods": 0}}
    return finish(inv, obj, wrap="failed to create poddisruptionbudget: ")


def run_token(inv: Invocation) -> int:
    name_from_args(inv)
    raise KubectlError("kubenb: the simulated cluster issues no service account tokens, so `kubectl create "
                       "token` is not available", raw=False)


# --- create -f -----------------------------------------------------------------------------------------------

def run_create(inv: Invocation) -> int:
    if inv.args:  # an unknown generator name lands here, as in kubectl's Complete
        raise UsageError("Unexpected args: [" + " ".join(inv.args) + "]")
    if inv.flags.get("edit"):
        raise KubectlError("kubenb: --edit opens an editor, which a notebook cannot; use `kubectl create -f` with "
                           "a %%manifest cell instead")
    if not inv.flags["filename"] and not inv.flags["kustomize"]:
        raise KubectlError("must specify one of -f and -k")
    if inv.flags["kustomize"]:
        raise KubectlError("kubenb: kustomize (-k) is not simulated")
    try:
        from kubenb.kubectl import manifests  # noqa: PLC0415 - written by another part of kubenb
    except ImportError:
        raise KubectlError("kubenb: create -f is not available yet") from None
    dry_run = output.dry_run_strategy(inv)
    output.check_output_format(inv)
    validate = inv.flags["validate"] not in ("false", "ignore", "False", "0", "f", "F", "FALSE")
    items = manifests.read_objects(inv, inv.flags["filename"], recursive=inv.flags["recursive"], validate=validate)
    failed = False
    printed = 0
    for source, obj in items:
        rtype = resources.for_object(obj)
        if rtype is not None and rtype.namespaced:
            # The resource builder fills in the namespace in force (-n or the kubeconfig's).
            obj = {**obj, "metadata": {**(obj.get("metadata") or {}),
                                       "namespace": (obj.get("metadata") or {}).get("namespace") or inv.namespace}}
        if inv.flags.get("save-config"):
            obj = output.add_last_applied(obj, unstructured=True)
        if dry_run != "client":
            try:
                obj = inv.client.create(_strip_null_timestamp(obj), namespace=inv.namespace,
                                        dry_run=dry_run == "server")
            except errors.StatusError as error:
                inv.err.write(format_status_error(error, source=source, verb="creating") + "\n")
                failed = True
                continue
            except InvalidNamespaceError as error:
                inv.err.write(f'error: error when creating "{source}": {error.message}\n')
                failed = True
                continue
        if printed and inv.flags.get("output") == "yaml":
            inv.write("---\n")
        output.print_object(inv, obj, "created", dry_run, sort_json=True)
        printed += 1
    return 1 if failed else 0


def _strip_null_timestamp(obj: dict) -> dict:
    obj = json.loads(json.dumps(obj))
    if isinstance(obj.get("metadata"), dict) and obj["metadata"].get("creationTimestamp") is None:
        obj["metadata"].pop("creationTimestamp", None)
    return obj


# --- the command tree ----------------------------------------------------------------------------------------

S, B, INT_, A = pflag.STRING, pflag.BOOL, pflag.INT, pflag.STRING_ARRAY


def _sub(name: str, run, usage: str, short: str, own: list[Flag], *, aliases: tuple[str, ...] = (),  # noqa: ANN001
         examples: str = "", append_hash: bool = False, validate: bool = True, save_config: bool = True) -> Command:
    extra = [Flag("append-hash", B, usage="Append a hash of the object to its name.")] if append_hash else []
    return Command(name=name, short=short, usage=usage + " [options]", run=run, aliases=aliases, examples=examples,
                   flags=[*own, *extra, *create_flags(validate=validate, save_config=save_config)])


SOURCE_FLAGS = [
    Flag("from-env-file", A, usage="Specify the path to a file to read lines of key=val pairs to create a "
         "configmap or secret."),
    Flag("from-file", A, usage="Key file can be specified using its file path, in which case file basename will "
         "be used as key, or optionally with a key and file path, in which case the given key will be used."),
    Flag("from-literal", A, usage="Specify a key and literal value to insert (i.e. mykey=somevalue)"),
]

_SERVICE_SUBS = {
    "clusterip": _sub("clusterip", _service_runner("ClusterIP", "ClusterIP"),
                      "create service clusterip NAME [--tcp=<port>:<targetPort>] [--dry-run=server|client|none]",
                      "Create a ClusterIP service",
                      [Flag("clusterip", S, usage="Assign your own ClusterIP or set to 'None' for a 'headless' "
                            "service (no loadbalancing)."),
                       Flag("tcp", pflag.STRING_SLICE, usage="Port pairs can be specified as '<port>:<targetPort>'.")]),
    "nodeport": _sub("nodeport", _service_runner("NodePort", "NodePort"),
                     "create service nodeport NAME [--tcp=port:targetPort] [--dry-run=server|client|none]",
                     "Create a NodePort service",
                     [Flag("node-port", INT_, usage="Port used to expose the service on each node in a cluster."),
                      Flag("tcp", pflag.STRING_SLICE, usage="Port pairs can be specified as '<port>:<targetPort>'.")]),
    "loadbalancer": _sub("loadbalancer", _service_runner("LoadBalancer", "LoadBalancer"),
                         "create service loadbalancer NAME [--tcp=port:targetPort] [--dry-run=server|client|none]",
                         "Create a LoadBalancer service",
                         [Flag("tcp", pflag.STRING_SLICE, usage="Port pairs can be specified as "
                               "'<port>:<targetPort>'.")]),
    "externalname": _sub("externalname", _service_runner("ExternalName", "ExternalName"),
                         "create service externalname NAME --external-name external.name "
                         "[--dry-run=server|client|none]",
                         "Create an ExternalName service",
                         [Flag("external-name", S, usage="External name of service"),
                          Flag("tcp", pflag.STRING_SLICE, usage="Port pairs can be specified as "
                               "'<port>:<targetPort>'.")]),
}

_SECRET_SUBS = {
    "docker-registry": _sub(
        "docker-registry", run_secret_docker_registry,
        "create secret docker-registry NAME --docker-username=user --docker-password=password "
        "--docker-email=email [--docker-server=string] [--from-file=[key=]source] [--dry-run=server|client|none]",
        "Create a secret for use with a Docker registry",
        [Flag("docker-email", S, usage="Email for Docker registry"),
         Flag("docker-password", S, usage="Password for Docker registry authentication"),
         Flag("docker-server", S, "https://index.docker.io/v1/", usage="Server location for Docker registry"),
         Flag("docker-username", S, usage="Username for Docker registry authentication"),
         Flag("from-file", A, usage="Key files can be specified using their file path, in which case a default "
              "name of .dockerconfigjson will be given to them, or optionally with a name and file path.")],
        append_hash=True),
    "generic": _sub("generic", run_secret_generic,
                    "create secret generic NAME [--type=string] [--from-file=[key=]source] "
                    "[--from-literal=key1=value1] [--dry-run=server|client|none]",
                    "Create a secret from a local file, directory, or literal value",
                    [*SOURCE_FLAGS, Flag("type", S, usage="The type of secret to create")], append_hash=True),
    "tls": _sub("tls", run_secret_tls,
                "create secret tls NAME --cert=path/to/cert/file --key=path/to/key/file "
                "[--dry-run=server|client|none]",
                "Create a TLS secret",
                [Flag("cert", S, usage="Path to PEM encoded public key certificate."),
                 Flag("key", S, usage="Path to private key associated with given certificate.")], append_hash=True),
}

RBAC_RULE_FLAGS = [
    Flag("resource", pflag.STRING_SLICE, usage="Resource that the rule applies to"),
    Flag("resource-name", A, usage="Resource in the white list that the rule applies to, repeat this flag for "
         "multiple items"),
    Flag("verb", pflag.STRING_SLICE, usage="Verb that applies to the resources contained in the rule"),
]
SUBJECT_FLAGS = [
    Flag("group", A, usage="Groups to bind to the role. The flag can be repeated to add multiple groups."),
    Flag("serviceaccount", A, usage="Service accounts to bind to the role, in the format <namespace>:<name>. The "
         "flag can be repeated to add multiple service accounts."),
    Flag("user", A, usage="Usernames to bind to the role. The flag can be repeated to add multiple users."),
]

_SUBS = [
    _sub("clusterrole", run_clusterrole,
         "create clusterrole NAME --verb=verb --resource=resource.group [--resource-name=resourcename] "
         "[--dry-run=server|client|none]", "Create a cluster role",
         [Flag("aggregation-rule", pflag.STRING_TO_STRING, usage="An aggregation label selector for combining "
               "ClusterRoles."),
          Flag("non-resource-url", pflag.STRING_SLICE, usage="A partial url that user should have access to."),
          *RBAC_RULE_FLAGS]),
    _sub("clusterrolebinding", run_clusterrolebinding,
         "create clusterrolebinding NAME --clusterrole=NAME [--user=username] [--group=groupname] "
         "[--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none]",
         "Create a cluster role binding for a particular cluster role",
         [Flag("clusterrole", S, usage="ClusterRole this ClusterRoleBinding should reference"), *SUBJECT_FLAGS]),
    _sub("configmap", run_configmap,
         "create configmap NAME [--from-file=[key=]source] [--from-literal=key1=value1] "
         "[--dry-run=server|client|none]", "Create a config map from a local file, directory or literal value",
         SOURCE_FLAGS, aliases=("cm",), append_hash=True),
    _sub("cronjob", run_cronjob,
         "create cronjob NAME --image=image --schedule='0/5 * * * ?' -- [COMMAND] [args...] [flags]",
         "Create a cron job with the specified name",
         [Flag("image", S, usage="Image name to run."),
          Flag("restart", S, usage="job's restart policy. supported values: OnFailure, Never"),
          Flag("schedule", S, usage="A schedule in the Cron format the job should be run with.")],
         aliases=("cj",)),
    _sub("deployment", run_deployment,
         "create deployment NAME --image=image -- [COMMAND] [args...]",
         "Create a deployment with the specified name",
         [Flag("image", pflag.STRING_SLICE, usage="Image names to run. A deployment can have multiple images set "
               "for multi-container pod."),
          Flag("port", pflag.INT32, -1, usage="The containerPort that this deployment exposes."),
          Flag("replicas", pflag.INT32, 1, shorthand="r", usage="Number of replicas to create. Default is 1.")],
         aliases=("deploy",)),
    _sub("ingress", run_ingress, "create ingress NAME --rule=host/path=service:port[,tls[=secret]] ",
         "Create an ingress with the specified name",
         [Flag("annotation", A, usage="Annotation to insert in the ingress object, in the format "
               "annotation=value"),
          Flag("class", S, usage="Ingress Class to be used"),
          Flag("default-backend", S, usage="Default service for backend, in format of svcname:port"),
          Flag("rule", A, usage="Rule in format host/path=service:port[,tls=secretname]. Paths containing the "
               "leading character '*' are considered pathType=Prefix. tls argument is optional.")],
         aliases=("ing",)),
    _sub("job", run_job, "create job NAME --image=image [--from=cronjob/name] -- [COMMAND] [args...]",
         "Create a job with the specified name",
         [Flag("from", S, usage="The name of the resource to create a Job from (only cronjob is supported)."),
          Flag("image", S, usage="Image name to run.")]),
    _sub("namespace", run_namespace, "create namespace NAME [--dry-run=server|client|none]",
         "Create a namespace with the specified name", [], aliases=("ns",)),
    _sub("poddisruptionbudget", run_pdb,
         "create poddisruptionbudget NAME --selector=SELECTOR --min-available=N [--dry-run=server|client|none]",
         "Create a pod disruption budget with the specified name",
         [Flag("max-unavailable", S, usage="The maximum number or percentage of unavailable pods this budget "
               "requires."),
          Flag("min-available", S, usage="The minimum number or percentage of available pods this budget "
               "requires."),
          Flag("selector", S, usage="A label selector to use for this budget. Only equality-based selector "
               "requirements are supported.")],
         aliases=("pdb",)),
    _sub("priorityclass", run_priorityclass,
         "create priorityclass NAME --value=VALUE --global-default=BOOL [--dry-run=server|client|none]",
         "Create a priority class with the specified name",
         [Flag("description", S, usage="description is an arbitrary string that usually provides guidelines on "
               "when this priority class should be used."),
          Flag("global-default", B, usage="global-default specifies whether this PriorityClass should be "
               "considered as the default priority."),
          Flag("preemption-policy", S, "PreemptLowerPriority", usage="preemption-policy is the policy for "
               "preempting pods with lower priority."),
          Flag("value", pflag.INT32, usage="the value of this priority class.")],
         aliases=("pc",)),
    _sub("quota", run_quota,
         "create quota NAME [--hard=key1=value1,key2=value2] [--scopes=Scope1,Scope2] "
         "[--dry-run=server|client|none]", "Create a quota with the specified name",
         [Flag("hard", S, usage="A comma-delimited set of resource=quantity pairs that define a hard limit."),
          Flag("scopes", S, usage="A comma-delimited set of quota scopes that must all match each object tracked "
               "by the quota.")],
         aliases=("resourcequota",)),
    _sub("role", run_role,
         "create role NAME --verb=verb --resource=resource.group/subresource [--resource-name=resourcename] "
         "[--dry-run=server|client|none]", "Create a role with single rule", RBAC_RULE_FLAGS),
    _sub("rolebinding", run_rolebinding,
         "create rolebinding NAME --clusterrole=NAME|--role=NAME [--user=username] [--group=groupname] "
         "[--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none]",
         "Create a role binding for a particular role or cluster role",
         [Flag("clusterrole", S, usage="ClusterRole this RoleBinding should reference"),
          Flag("role", S, usage="Role this RoleBinding should reference"), *SUBJECT_FLAGS]),
    Command(name="secret", short="Create a secret using a specified subcommand",
            usage="create secret (docker-registry | generic | tls) [options]", subcommands=_SECRET_SUBS,
            help="Create a secret with specified type.\n\n"
                 " A docker-registry type secret is for accessing a container registry.\n\n"
                 " A generic type secret indicate an Opaque secret type.\n\n"
                 " A tls type secret holds TLS certificate and its associated key."),
    Command(name="service", short="Create a service using a specified subcommand", aliases=("svc",),
            usage="create service [flags] [options]", subcommands=_SERVICE_SUBS,
            help="Create a service using a specified subcommand."),
    _sub("serviceaccount", run_serviceaccount, "create serviceaccount NAME [--dry-run=server|client|none]",
         "Create a service account with the specified name", [], aliases=("sa",)),
    Command(name="token", short="Request a service account token", usage="create token SERVICE_ACCOUNT_NAME [options]",
            run=run_token,
            flags=[*output.print_flags(),
                   Flag("audience", A, usage="Intended audience of the requested token."),
                   Flag("bound-object-kind", S, usage="Kind of an object to bind the token to."),
                   Flag("bound-object-name", S, usage="Name of an object to bind the token to."),
                   Flag("bound-object-uid", S, usage="UID of an object to bind the token to."),
                   Flag("duration", pflag.DURATION, usage="Requested lifetime of the issued token.")]),
]

COMMAND = Command(
    name="create",
    short="Create a resource from a file or from stdin",
    usage="create -f FILENAME [options]",
    help="Create a resource from a file or from stdin.\n\n JSON and YAML formats are accepted.",
    examples="  # Create a pod using the data in pod.json\n  kubectl create -f ./pod.json",
    run=run_create,
    subcommands={sub.name: sub for sub in _SUBS},
    flags=[
        *output.print_flags(), output.dry_run_flag(),
        Flag("edit", B, usage="Edit the API resource before creating"),
        Flag("field-manager", S, "kubectl-create", usage="Name of the manager used to track field ownership."),
        Flag("filename", pflag.STRING_SLICE, shorthand="f", usage="Filename, directory, or URL to files to use to "
             "create the resource"),
        Flag("kustomize", S, shorthand="k", usage="Process the kustomization directory. This flag can't be used "
             "together with -f or -R."),
        Flag("raw", S, usage="Raw URI to POST to the server.  Uses the transport specified by the kubeconfig file."),
        Flag("recursive", B, shorthand="R", usage="Process the directory used in -f, --filename recursively. "
             "Useful when you want to manage related manifests organized within the same directory."),
        Flag("save-config", B, usage="If true, the configuration of current object will be saved in its "
             "annotation."),
        Flag("selector", S, shorthand="l", usage="Selector (label query) to filter on, supports '=', '==', '!=', "
             "'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value1, value2))."),
        Flag("validate", S, "strict", no_opt_default="strict", usage="Must be one of: strict (or true), warn, "
             "ignore (or false)."),
        Flag("windows-line-endings", B, usage="Only relevant if --edit=true. Defaults to the line ending native "
             "to your platform."),
    ],
)
