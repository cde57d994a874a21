"""kubectl rollout (pkg/cmd/rollout/*.go, pkg/polymorphichelpers/{rollout_status,history,rollback,
objectpauser,objectresumer,objectrestarter}.go): status, history, undo, pause, resume, restart.

``status`` lets virtual time pass through the Waiter and prints the status
line each time the object changed since it last looked (the real kubectl
prints one per watch event, so it may repeat lines more often).
History and undo of DaemonSets and StatefulSets read their ControllerRevisions
(daemonSetHistory / statefulSetHistory, printHistory, findHistory).
Left out: ``-o`` printers other than name/yaml/json, ``--kustomize``.
"""

from __future__ import annotations

from kubenb.api import errors, objects
from kubenb.controllers import history as revisions
from kubenb.controllers.deployment import sync
from kubenb.kubectl import flags as pflag
from kubenb.kubectl import resource_builder as rb
from kubenb.kubectl.cli import Command, Invocation, KubectlError
from kubenb.kubectl.flags import Flag
from kubenb.kubectl.printers.describe.pod import describe_pod_template
from kubenb.kubectl.printers.describe.writer import PrefixWriter

ROLLOUT_KINDS = ("Deployment", "DaemonSet", "StatefulSet")
CHANGE_CAUSE = "kubernetes.io/change-cause"
RESTARTED_AT = "kubectl.kubernetes.io/restartedAt"
# How long ``rollout status`` without --timeout may run in virtual time before kubenb stops it.
STATUS_LIMIT_SECONDS = 3600.0


def _infos(inv: Invocation) -> tuple[list[rb.Info], rb.Errors]:
    flags = inv.flags
    if not inv.args and not flags["filename"]:
        raise KubectlError("required resource not specified")
    selection = rb.select(inv, inv.args, filenames=flags["filename"], recursive=flags["recursive"],
                          selector=flags["selector"])
    report = rb.Errors()
    infos: list[rb.Info] = []
    for item in selection.items:
        if isinstance(item, rb.Failure):
            report.add_failure(item)
        else:
            infos.append(item)
    return infos, report


def _resource_string(info: rb.Info) -> str:
    return info.rtype.group_resource


def _fetch(inv: Invocation, info: rb.Info, report: rb.Errors) -> dict | None:
    obj = inv.client.try_get(info.rtype, info.name, info.namespace)
    if obj is None:
        report.add_status(errors.not_found(info.rtype.group_resource, info.name))
    return obj


# --- status ----------------------------------------------------------------------------------------------

def status_message(obj: dict, revision: int = 0) -> tuple[str, bool]:
    """StatusViewer.Status: (message, done); raises KubectlError for the error cases."""
    kind = obj.get("kind")
    name = objects.name(obj)
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    generation = obj["metadata"].get("generation", 0)
    observed = status.get("observedGeneration", 0)
    if kind == "Deployment":
        if revision > 0:
            current = int(objects.annotations(obj).get(sync.REVISION, "0") or 0)
            if current != revision:
                raise KubectlError(f"desired revision ({revision}) is different from the running revision ({current})")
        if generation <= observed:
            cond = next((c for c in status.get("conditions") or [] if c["type"] == "Progressing"), None)
            if cond is not None and cond.get("reason") == "ProgressDeadlineExceeded":
                raise KubectlError(f'deployment "{name}" exceeded its progress deadline')
            replicas = 1 if spec.get("replicas") is None else int(spec["replicas"])
            updated = status.get("updatedReplicas", 0)
            if updated < replicas:
                return (f'Waiting for deployment "{name}" rollout to finish: {updated} out of {replicas} new replicas '
                        "have been updated...\n"), False
            if status.get("replicas", 0) > updated:
                return (f'Waiting for deployment "{name}" rollout to finish: {status.get("replicas", 0) - updated} '
                        "old replicas are pending termination...\n"), False
            if status.get("availableReplicas", 0) < updated:
                return (f'Waiting for deployment "{name}" rollout to finish: {status.get("availableReplicas", 0)} of '
                        f"{updated} updated replicas are available...\n"), False
            return f'deployment "{name}" successfully rolled out\n', True
        return "Waiting for deployment spec update to be observed...\n", False
    if kind == "DaemonSet":
        if ((spec.get("updateStrategy") or {}).get("type") or "RollingUpdate") != "RollingUpdate":
            raise KubectlError("rollout status is only available for RollingUpdate strategy type")
        if generation <= observed:
            desired = status.get("desiredNumberScheduled", 0)
            if status.get("updatedNumberScheduled", 0) < desired:
                return (f'Waiting for daemon set "{name}" rollout to finish: {status.get("updatedNumberScheduled", 0)} '
                        f"out of {desired} new pods have been updated...\n"), False
            if status.get("numberAvailable", 0) < desired:
                return (f'Waiting for daemon set "{name}" rollout to finish: {status.get("numberAvailable", 0)} of '
                        f"{desired} updated pods are available...\n"), False
            return f'daemon set "{name}" successfully rolled out\n', True
        return "Waiting for daemon set spec update to be observed...\n", False
    if kind == "StatefulSet":
        strategy = spec.get("updateStrategy") or {}
        if (strategy.get("type") or "RollingUpdate") != "RollingUpdate":
            raise KubectlError("rollout status is only available for RollingUpdate strategy type")
        if observed == 0 or generation > observed:
            return "Waiting for statefulset spec update to be observed...\n", False
        replicas = 1 if spec.get("replicas") is None else int(spec["replicas"])
        if status.get("readyReplicas", 0) < replicas:
            return f"Waiting for {replicas - status.get('readyReplicas', 0)} pods to be ready...\n", False
        rolling = strategy.get("rollingUpdate")
        updated = status.get("updatedReplicas", 0)
        if rolling is not None:  # the apiserver defaults it (partition 0), so this is the usual path
            partition = rolling.get("partition")
            if partition is not None and updated < replicas - int(partition):
                return (f"Waiting for partitioned roll out to finish: {updated} out of {replicas - int(partition)} "
                        "new pods have been updated...\n"), False
            return f"partitioned roll out complete: {updated} new pods have been updated...\n", True
        if status.get("updateRevision") != status.get("currentRevision"):
            return (f"waiting for statefulset rolling update to complete {updated} pods at revision "
                    f"{status.get('updateRevision')}...\n"), False
        return (f"statefulset rolling update complete {status.get('currentReplicas', 0)} pods at revision "
                f"{status.get('currentRevision')}...\n"), True
    raise KubectlError(f"no status viewer has been implemented for {kind}")


def run_status(inv: Invocation) -> int:
    flags = inv.flags
    infos, report = _infos(inv)
    if report:
        return report.flush(inv)
    if flags["revision"] < 0:
        raise KubectlError(f"revision must be a positive integer: {flags['revision']}")
    client = inv.client
    for info in infos:
        obj = _fetch(inv, info, report)
        if obj is None:
            return report.flush(inv)
        message, done = status_message(obj, flags["revision"])
        inv.write(message)
        if done or not flags["watch"]:
            continue
        seen = {"rv": obj["metadata"].get("resourceVersion"), "uid": objects.uid(obj), "done": False}

        def check(info: rb.Info = info, seen: dict = seen) -> bool:
            current = client.try_get(info.rtype, info.name, info.namespace)
            if current is None or objects.uid(current) != seen["uid"]:
                raise KubectlError("object has been deleted")
            if current["metadata"].get("resourceVersion") == seen["rv"]:
                return False
            seen["rv"] = current["metadata"].get("resourceVersion")
            text, finished = status_message(current, flags["revision"])
            inv.write(text)
            seen["done"] = finished
            return finished

        timeout = flags["timeout"]
        limit = timeout if timeout > 0 else STATUS_LIMIT_SECONDS
        if not inv.env.waiter.run_until(check, limit):
            if timeout > 0:
                raise KubectlError("timed out waiting for the condition")
            raise KubectlError("kubenb: rollout status stopped after 1h of virtual time without the rollout finishing "
                               "(the real kubectl would keep waiting); see 'kubectl describe' for why")
    return 0


# --- history -----------------------------------------------------------------------------------------------

def deployment_history(inv: Invocation, d: dict) -> dict[int, dict]:
    history: dict[int, dict] = {}
    for rs in inv.client.list("replicasets", objects.namespace(d)):
        ref = objects.controller_ref(rs)
        if ref is None or ref.get("uid") != objects.uid(d):
            continue
        revision = sync.revision_of(rs)
        if revision:
            history[revision] = rs
    return history


def _tabbed(rows: list[tuple[str, str]]) -> str:
    width = max(len(r[0]) for r in rows) + 2
    return "".join(f"{a.ljust(width)}{b}\n" for a, b in rows)


def run_history(inv: Invocation) -> int:
    revision = inv.flags["revision"]
    if revision < 0:
        raise KubectlError(f"revision must be a positive integer: {revision}")
    infos, report = _infos(inv)
    printed = [0]
    for info in infos:
        obj = _fetch(inv, info, report)
        if obj is None:
            continue
        if inv.flags["output"]:
            _print_history_objects(inv, info, obj, revision, report, printed)
            continue
        if obj["kind"] != "Deployment":
            _revision_history(inv, info, obj, revision, report)
            continue
        history = deployment_history(inv, obj)
        if revision > 0:
            rs = history.get(revision)
            if rs is None:
                report.add("unable to find the specified revision")
                continue
            w = PrefixWriter()
            describe_pod_template(w, rs["spec"].get("template"))
            text = w.getvalue()
            inv.write(f"{info.ref} with revision #{revision}\n{text}\n")
            continue
        if not history:
            inv.write(f"{info.ref} \nNo rollout history found.\n")
            continue
        rows = [("REVISION", "CHANGE-CAUSE")]
        for number in sorted(history):
            rows.append((str(number), objects.annotations(history[number]).get(CHANGE_CAUSE) or "<none>"))
        inv.write(f"{info.ref} \n{_tabbed(rows)}\n")
    return report.flush(inv)


def _print_history_objects(inv: Invocation, info: rb.Info, obj: dict, revision: int, report: rb.Errors,
                           printed: list[int]) -> None:
    """history with -o: the ReplicaSets / ControllerRevisions themselves (HistoryViewer.GetHistory)."""
    if obj["kind"] == "Deployment":
        history = deployment_history(inv, obj)
    else:
        history = {int(h.get("revision") or 0): h for h in controlled_history(inv, obj)}
    if revision > 0:
        if revision not in history:
            report.add("unable to find the specified revision")
            return
        chosen = [history[revision]]
    else:
        chosen = [history[number] for number in sorted(history)]
    output = inv.flags["output"]
    for item in chosen:
        if output == "name":
            inv.write(f"{item['kind'].lower()}.apps/{objects.name(item)}\n")
            continue
        if output == "yaml" and printed[0]:
            inv.write("---\n")  # the YAML printer separates every object after the first
        rb.print_object(inv, info, item, "", output)
        printed[0] += 1


def controlled_history(inv: Invocation, obj: dict) -> list[dict]:
    """controlledHistoryV1: the ControllerRevisions matching the selector and controlled by obj."""
    return revisions.controlled_revisions(inv.client, obj)


def _revision_history(inv: Invocation, info: rb.Info, obj: dict, revision: int, report: rb.Errors) -> None:
    """printHistory for DaemonSets and StatefulSets (no history is checked before the revision)."""
    by_number = {int(h.get("revision") or 0): h for h in controlled_history(inv, obj)}
    if not by_number:
        inv.write(f"{info.ref} \nNo rollout history found.\n")
        return
    if revision > 0:
        found = by_number.get(revision)
        if found is None:
            report.add("unable to find the specified revision")
            return
        w = PrefixWriter()
        describe_pod_template(w, revisions.apply_revision(obj, found)["spec"].get("template"))
        inv.write(f"{info.ref} with revision #{revision}\n{w.getvalue()}\n")
        return
    rows = [("REVISION", "CHANGE-CAUSE")]
    for number in sorted(by_number):
        rows.append((str(number), objects.annotations(by_number[number]).get(CHANGE_CAUSE) or "<none>"))
    inv.write(f"{info.ref} \n{_tabbed(rows)}\n")


# --- undo ----------------------------------------------------------------------------------------------------

def find_history(to_revision: int, history: list[dict]) -> dict | None:
    """findHistory: the given revision, or for 0 the one before the newest."""
    if to_revision == 0:
        if len(history) <= 1:
            return None
        return sorted(history, key=lambda h: int(h.get("revision") or 0))[-2]
    return next((h for h in history if int(h.get("revision") or 0) == to_revision), None)


def _print_undone(inv: Invocation, info: rb.Info, obj: dict, operation: str) -> None:
    """undo.go prints with its operation as the name printer's, and with -o the object the builder read
    (before the rollback: the patch's answer is not kept)."""
    rb.print_object(inv, info, obj, operation, inv.flags["output"])


def _revision_undo(inv: Invocation, info: rb.Info, obj: dict, to_revision: int, strategy: str,
                   report: rb.Errors) -> None:
    """DaemonSetRollbacker / StatefulSetRollbacker: patch the revision's data back into the object."""
    if to_revision < 0:
        report.add(f"unable to find specified revision {to_revision} in history")
        return
    history = controlled_history(inv, obj)
    if to_revision == 0 and len(history) <= 1:
        report.add("no last revision to roll back to")
        return
    target = find_history(to_revision, history)
    if target is None:
        report.add(f"unable to find specified revision {to_revision} in history")
        return
    if strategy == "client":
        # The client-side dry run shows the template it would restore instead of patching.
        w = PrefixWriter()
        describe_pod_template(w, revisions.apply_revision(obj, target)["spec"].get("template"))
        _print_undone(inv, info, obj, f"will roll back to {w.getvalue()}")
        return
    if revisions.data_equal(target, revisions.get_patch(obj)):
        # Upstream prints the requested number here, which is 0 for a plain undo.
        _print_undone(inv, info, obj, f"skipped rollback (current template already matches revision {to_revision})")
        return
    try:
        inv.client.patch(info.rtype, info.name, info.namespace, objects.clone(target.get("data") or {}),
                         "strategic", dry_run=strategy == "server")
    except errors.StatusError as error:
        report.add(f"failed restoring revision {to_revision}: {error.message}")
        return
    _print_undone(inv, info, obj, f"rolled back{rb.dry_run_suffix(strategy)}")


def run_undo(inv: Invocation) -> int:
    to_revision = inv.flags["to-revision"]
    strategy = rb.dry_run_strategy(inv)
    infos, report = _infos(inv)
    for info in infos:
        d = _fetch(inv, info, report)
        if d is None:
            continue
        if d["kind"] != "Deployment":
            _revision_undo(inv, info, d, to_revision, strategy, report)
            continue
        # DeploymentRollbacker: find the revision first, then the dry run, the pause and the no-op checks.
        if to_revision < 0:
            report.add(f"unable to find specified revision {to_revision} in history")
            continue
        history = deployment_history(inv, d)
        if to_revision == 0:
            if len(history) <= 1:
                report.add(f'no rollout history found for deployment "{objects.name(d)}"')
                continue
            rs = history[sorted(history)[-2]]
        else:
            rs = history.get(to_revision)
            if rs is None:
                report.add(f"unable to find specified revision {to_revision} in history")
                continue
        if strategy == "client":
            w = PrefixWriter()
            describe_pod_template(w, rs["spec"].get("template"))
            _print_undone(inv, info, d, w.getvalue())
            continue
        if d["spec"].get("paused"):
            report.add("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' "
                       "and try again")
            continue
        if sync.equal_ignore_hash(rs["spec"]["template"], d["spec"]["template"]):
            # The requested number, so 0 for a plain undo, as upstream prints it.
            _print_undone(inv, info, d, f"skipped rollback (current template already matches revision {to_revision})")
            continue
        template = sync.template_without_hash(rs["spec"]["template"])
        annotations = {k: v for k, v in objects.annotations(d).items() if k in sync.SKIP_COPY}
        annotations.update({k: v for k, v in objects.annotations(rs).items() if k not in sync.SKIP_COPY})
        patch = [{"op": "replace", "path": "/spec/template", "value": template},
                 {"op": "replace", "path": "/metadata/annotations", "value": annotations}]
        try:
            inv.client.patch(info.rtype, info.name, info.namespace, patch, "json", dry_run=strategy == "server")
        except errors.StatusError as error:
            report.add(f"failed restoring revision {to_revision}: {error.message}")
            continue
        _print_undone(inv, info, d, f"rolled back{rb.dry_run_suffix(strategy)}")
    return report.flush(inv)


# --- pause, resume, restart -------------------------------------------------------------------------------

def _patch_each(inv: Invocation, operation: str, change) -> int:  # noqa: ANN001 - (obj) -> patch | str error
    infos, report = _infos(inv)
    output = inv.flags["output"]
    for info in infos:
        obj = _fetch(inv, info, report)
        if obj is None:
            continue
        patch = change(obj)
        if isinstance(patch, str):
            report.add(f"error: {_resource_string(info)} \"{info.name}\" {patch}")
            continue
        try:
            updated = inv.client.patch(info.rtype, info.name, info.namespace, patch, "strategic")
        except errors.StatusError as error:
            report.add(f"failed to patch: {error.message}")
            continue
        rb.print_object(inv, info, updated, operation, output)
    return report.flush(inv)


def run_pause(inv: Invocation) -> int:
    def change(obj: dict) -> dict | str:
        if obj["kind"] != "Deployment":
            return "pausing is not supported"
        if obj["spec"].get("paused"):
            return "is already paused"
        return {"spec": {"paused": True}}

    return _patch_each(inv, "paused", change)


def run_resume(inv: Invocation) -> int:
    def change(obj: dict) -> dict | str:
        if obj["kind"] != "Deployment":
            return "resuming is not supported"
        if not obj["spec"].get("paused"):
            return "is not paused"
        return {"spec": {"paused": None}}

    return _patch_each(inv, "resumed", change)


def run_restart(inv: Invocation) -> int:
    now = inv.client.now()

    def change(obj: dict) -> dict | str:
        if obj["kind"] not in ROLLOUT_KINDS:
            return "restarting is not supported"
        if obj["kind"] == "Deployment" and obj["spec"].get("paused"):
            return "can't restart paused deployment (run rollout resume first)"
        return {"spec": {"template": {"metadata": {"annotations": {RESTARTED_AT: now}}}}}

    return _patch_each(inv, "restarted", change)


# --- command table -------------------------------------------------------------------------------------------

def _common(purpose: str) -> list[Flag]:
    return [*rb.filename_flags(purpose),
            Flag("selector", pflag.STRING, shorthand="l", usage="Selector (label query) to filter on, supports '=', "
                 "'==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects "
                 "must satisfy all of the specified label constraints.")]


def _printing() -> list[Flag]:
    return [Flag("allow-missing-template-keys", pflag.BOOL, True, usage="If true, ignore any errors in templates "
                 "when a field or map key is missing in the template. Only applies to golang and jsonpath output "
                 "formats."),
            rb.output_flag(),
            Flag("show-managed-fields", pflag.BOOL, usage="If true, keep the managedFields when printing objects "
                 "in JSON or YAML format."),
            Flag("template", pflag.STRING, usage="Template string or path to template file to use when "
                 "-o=go-template, -o=go-template-file.")]


def _field_manager() -> Flag:
    return Flag("field-manager", pflag.STRING, "kubectl-rollout", usage="Name of the manager used to track field "
                "ownership.")


COMMAND = Command(
    name="rollout",
    bare_help_on_stdout=True,
    short="Manage the rollout of a resource",
    usage="rollout SUBCOMMAND",
    help="Manage the rollout of one or many resources: deployments, daemonsets and statefulsets.",
    examples="  # Rollback to the previous deployment\n  kubectl rollout undo deployment/abc",
    subcommands={
        "history": Command(name="history", short="View rollout history",
                           usage="rollout history (TYPE NAME | TYPE/NAME) [flags]", run=run_history,
                           help="View previous rollout revisions and configurations.",
                           examples="  # View the rollout history of a deployment\n"
                                    "  kubectl rollout history deployment/abc",
                           flags=[*_common("identifying the resource to get from a server."), *_printing(),
                                  Flag("revision", pflag.INT64, 0, usage="See the details, including podTemplate "
                                       "of the revision specified")]),
        "pause": Command(name="pause", short="Mark the provided resource as paused", usage="rollout pause RESOURCE",
                         run=run_pause, help="Mark the provided resource as paused; a paused Deployment is not "
                                             "reconciled for template changes until it is resumed.",
                         examples="  kubectl rollout pause deployment/nginx",
                         flags=[*_common("identifying the resource to get from a server."), *_printing(),
                                _field_manager()]),
        "restart": Command(name="restart", short="Restart a resource", usage="rollout restart RESOURCE",
                           run=run_restart, help="Restart a resource: its Pods are replaced through a rollout.",
                           examples="  kubectl rollout restart deployment/nginx",
                           flags=[*_common("identifying the resource to get from a server."), *_printing(),
                                  _field_manager()]),
        "resume": Command(name="resume", short="Resume a paused resource", usage="rollout resume RESOURCE",
                          run=run_resume, help="Resume a paused resource.",
                          examples="  kubectl rollout resume deployment/nginx",
                          flags=[*_common("identifying the resource to get from a server."), *_printing(),
                                 _field_manager()]),
        "status": Command(name="status", short="Show the status of the rollout",
                          usage="rollout status (TYPE NAME | TYPE/NAME) [flags]", run=run_status,
                          help="Show the status of the rollout; in kubenb the watch runs in virtual time.",
                          examples="  kubectl rollout status deployment/nginx",
                          flags=[*_common("identifying the resource to get from a server."),
                                 Flag("revision", pflag.INT64, 0, usage="Pin to a specific revision for showing "
                                      "its status. Defaults to 0 (last revision)."),
                                 Flag("timeout", pflag.DURATION, 0.0, usage="The length of time to wait before "
                                      "ending watch, zero means never. Any other values should contain a "
                                      "corresponding time unit (e.g. 1s, 2m, 3h)."),
                                 Flag("watch", pflag.BOOL, True, shorthand="w", usage="Watch the status of the "
                                      "rollout until it's done.")]),
        "undo": Command(name="undo", short="Undo a previous rollout", usage="rollout undo (TYPE NAME | TYPE/NAME) "
                        "[flags]", run=run_undo, help="Roll back to a previous rollout.",
                        examples="  kubectl rollout undo deployment/abc",
                        flags=[*_common("identifying the resource to get from a server."), *_printing(),
                               rb.dry_run_flag(),
                               Flag("to-revision", pflag.INT64, 0, usage="The revision to rollback to. Default to "
                                    "0 (last revision).")]),
    },
)
