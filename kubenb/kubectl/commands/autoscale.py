"""kubectl autoscale (pkg/cmd/autoscale/autoscale.go): an autoscaling/v2 HorizontalPodAutoscaler for a target.

The target is looked up (TYPE NAME, TYPE/NAME or -f) and must have a scale
subresource (Deployment, ReplicaSet, StatefulSet, ReplicationController).
``--cpu-percent`` becomes a Resource metric on cpu with a Utilization
target. Left out: the autoscaling/v1 fallback (kubenb serves v2),
``--save-config`` and ``--record``.
"""

from __future__ import annotations

from kubenb.api import errors
from kubenb.kubectl import flags as pflag
from kubenb.kubectl import resource_builder as rb
from kubenb.kubectl.cli import Command, Invocation, KubectlError
from kubenb.kubectl.flags import Flag
from kubenb.kubectl.printers.structured import to_json, to_yaml

SCALABLE = {"Deployment", "ReplicaSet", "StatefulSet", "ReplicationController"}


def build_hpa(name: str, kind: str, api_version: str, target: str, max_replicas: int, min_replicas: int,
              cpu_percent: int) -> dict:
    spec: dict = {"maxReplicas": max_replicas}
    if cpu_percent >= 0:
        spec["metrics"] = [{"resource": {"name": "cpu", "target": {"averageUtilization": cpu_percent,
                                                                   "type": "Utilization"}},
                            "type": "Resource"}]
    if min_replicas > 0:
        spec["minReplicas"] = min_replicas
    spec["scaleTargetRef"] = {"apiVersion": api_version, "kind": kind, "name": target}
    return {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": {"creationTimestamp": None, "name": name}, "spec": spec,
            "status": {"desiredReplicas": 0}}


def run(inv: Invocation) -> int:
    flags = inv.flags
    if not flags.was_set("max"):
        raise KubectlError('required flag(s) "max" not set')
    strategy = rb.dry_run_strategy(inv)
    output = flags["output"]
    if flags["max"] < 1:
        raise KubectlError(f"--max=MAXPODS is required and must be at least 1, max: {flags['max']}")
    if flags["max"] < flags["min"]:
        raise KubectlError(f"--max=MAXPODS must be larger or equal to --min=MINPODS, max: {flags['max']}, "
                           f"min: {flags['min']}")
    selection = rb.select(inv, inv.args, filenames=flags["filename"], recursive=flags["recursive"])
    report = rb.Errors()
    count = 0
    for item in selection.items:
        if isinstance(item, rb.Failure):
            report.add_failure(item)
            break
        info = item
        if not selection.from_files and inv.client.try_get(info.rtype, info.name, info.namespace) is None:
            report.add_status(errors.not_found(info.rtype.group_resource, info.name))
            break
        if info.rtype.kind not in SCALABLE:
            report.add(f"cannot autoscale a {info.rtype.kind}: could not find scale subresource for "
                       f"{info.rtype.group}/{info.rtype.version}, Resource={info.rtype.plural} in discovery "
                       "information")
            break
        hpa = build_hpa(flags["name"] or info.name, info.rtype.kind, info.rtype.api_version, info.name,
                        flags["max"], flags["min"], flags["cpu-percent"])
        hpa_info = rb.Info(rb.resolve_type("horizontalpodautoscalers"), info.namespace, hpa["metadata"]["name"])
        count += 1
        if strategy == "client":
            _print(inv, hpa_info, hpa, "created (dry run)", output)
            continue
        body = {k: v for k, v in hpa.items() if k != "status"}
        body["metadata"] = {"name": hpa["metadata"]["name"], "namespace": info.namespace}
        try:
            created = inv.client.create(body, dry_run=strategy == "server")
        except errors.StatusError as error:
            report.add_status(error)
            break
        _print(inv, hpa_info, created, "autoscaled" + rb.dry_run_suffix(strategy), output)
    if not report and count == 0:
        raise KubectlError("no objects passed to autoscale")
    return report.flush(inv)


def _print(inv: Invocation, info: rb.Info, obj: dict, operation: str, output: str) -> None:
    if output == "yaml":
        inv.write(to_yaml(obj))
    elif output == "json":
        inv.write(to_json(obj))
    else:
        rb.print_object(inv, info, obj, operation, output)


COMMAND = Command(
    name="autoscale",
    short="Auto-scale a deployment, replica set, stateful set, or replication controller",
    usage="autoscale (-f FILENAME | TYPE NAME | TYPE/NAME) [--min=MINPODS] --max=MAXPODS [--cpu-percent=CPU]",
    help="Create a HorizontalPodAutoscaler for a deployment, replica set, stateful set or replication controller: "
         "it sets the number of Pods between --min and --max from their CPU use.",
    examples="  # Auto scale a deployment \"foo\", with the number of pods between 2 and 10\n"
             "  kubectl autoscale deployment foo --min=2 --max=10",
    run=run,
    flags=[
        Flag("allow-missing-template-keys", pflag.BOOL, True, usage="If true, ignore any errors in templates when a "
             "field or map key is missing in the template. Only applies to golang and jsonpath output formats."),
        Flag("cpu-percent", pflag.INT32, -1, usage="The target average CPU utilization (represented as a percent of "
             "requested CPU) over all the pods. If it's not specified or negative, a default autoscaling policy will "
             "be used."),
        rb.dry_run_flag(),
        Flag("field-manager", pflag.STRING, "kubectl-autoscale", usage="Name of the manager used to track field "
             "ownership."),
        *rb.filename_flags("identifying the resource to autoscale."),
        Flag("max", pflag.INT32, -1, usage="The upper limit for the number of pods that can be set by the "
             "autoscaler. Required."),
        Flag("min", pflag.INT32, -1, usage="The lower limit for the number of pods that can be set by the "
             "autoscaler. If it's not specified or negative, the server will apply a default value."),
        Flag("name", pflag.STRING, usage="The name for the newly created object. If not specified, the name of the "
             "input resource will be used."),
        rb.output_flag(),
        Flag("record", pflag.BOOL, usage="Record current kubectl command in the resource annotation. If set to "
             "false, do not record the command. If set to true, record the command. If not set, default to "
             "updating the existing annotation value only if one already exists.", hidden=True),
        Flag("save-config", pflag.BOOL, usage="If true, the configuration of current object will be saved in its "
             "annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform "
             "kubectl apply on this object in the future."),
        Flag("show-managed-fields", pflag.BOOL, usage="If true, keep the managedFields when printing objects in "
             "JSON or YAML format."),
        Flag("template", pflag.STRING, usage="Template string or path to template file to use when "
             "-o=go-template, -o=go-template-file. The template format is golang templates "
             "[http://golang.org/pkg/text/template/#pkg-overview]."),
    ],
)
