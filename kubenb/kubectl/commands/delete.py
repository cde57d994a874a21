"""kubectl delete (pkg/cmd/delete/delete.go, delete_flags.go).

- Targets: names, ``TYPE/NAME``, ``-f``, ``-l``, ``--all``, ``-A``.
- ``--cascade=background|foreground|orphan`` (legacy ``true``/``false``
  with kubectl's deprecation warning), ``--grace-period``, ``--now``,
  ``--force`` (its warning; ``force deleted``), ``--ignore-not-found``,
  ``--dry-run``, ``-o name``.
- ``--wait`` (default true) lets virtual time pass through the Waiter until
  every deleted object is gone (same uid no longer stored), bounded by
  ``--timeout`` (0 means kubectl's one week).
- Output is kubectl 1.33's ``pod "nginx" deleted`` (the ``from <ns>
  namespace`` suffix only arrived in 1.34).

Left out: ``--raw``, ``--interactive`` (no terminal), ``--field-selector``
beyond what the Client supports.
"""

from __future__ import annotations

from kubenb.api import errors
from kubenb.kubectl import flags as pflag
from kubenb.kubectl import resource_builder as rb
from kubenb.kubectl.cli import Command, InvalidNamespaceError, Invocation, KubectlError
from kubenb.kubectl.flags import Flag

FORCE_WARNING = ("Warning: Immediate deletion does not wait for confirmation that the running resource has been "
                 "terminated. The resource may continue to run on the cluster indefinitely.")
ONE_WEEK = 7 * 24 * 3600.0


def _propagation(inv: Invocation) -> str:
    value = inv.flags["cascade"]
    if value in ("true", "false"):
        replacement = "background" if value == "true" else "orphan"
        inv.warn(f"warning: --cascade={value} is deprecated (boolean value) and can be replaced with "
                 f"--cascade={replacement}.")
        value = replacement
    mapping = {"background": "Background", "foreground": "Foreground", "orphan": "Orphan"}
    if value not in mapping:
        raise KubectlError(f'invalid cascade value ({value}). Must be "background", "foreground", or "orphan"')
    return mapping[value]


def run(inv: Invocation) -> int:
    flags = inv.flags
    if flags.get("interactive"):
        raise KubectlError("kubenb: --interactive needs a terminal; the notebook has none")
    propagation = _propagation(inv)
    grace = flags["grace-period"]
    if flags["now"]:
        if grace != -1:
            raise KubectlError("--now and --grace-period cannot be specified together")
        grace = 1
    force = flags["force"]
    if force and grace == -1:
        grace = 0
    if grace == 0 and not force:
        grace = 1  # kubectl turns --grace-period=0 into 1 unless --force is given
    strategy = rb.dry_run_strategy(inv)
    output = flags["output"]
    # Only "-o name" changes delete's output; kubectl ignores other values.
    args = inv.args
    if args and not flags["filename"] and "/" not in args[0] and len(args) == 1 and not (
            flags["selector"] or flags["all"]):
        rb.resolve_type(args[0].split(",")[0])
        raise KubectlError("resource(s) were provided, but no name was specified")
    selection = rb.select(inv, args, filenames=flags["filename"], recursive=flags["recursive"],
                          selector=flags["selector"], all_=flags["all"], all_namespaces=flags["all-namespaces"],
                          list_kinds=False)
    if force and grace == 0:
        inv.warn(FORCE_WARNING)
    report = rb.Errors()
    client = inv.client
    deleted: list[tuple[rb.Info, str]] = []
    found = 0
    for item in selection.items:
        if isinstance(item, rb.Failure):
            report.add_failure(item)
            continue
        try:
            live = client.get(item.rtype, item.name, item.namespace)
        except InvalidNamespaceError as error:
            report.add(f'error when deleting "{item.source}": {error.message}' if item.source else error.message)
            continue
        except errors.StatusError as error:
            if error.reason == "NotFound" and flags["ignore-not-found"]:
                continue
            report.add_status(error)
            continue
        found += 1
        try:
            client.delete(item.rtype, item.name, item.namespace, propagation_policy=propagation,
                          grace_period_seconds=None if grace < 0 else grace,
                          dry_run=strategy != "none")
        except errors.StatusError as error:
            report.add_status(error)
            continue
        deleted.append((item, live["metadata"].get("uid", "")))
        if output == "name":
            inv.write(f"{item.ref}\n")
        else:
            verb = "force deleted" if force and grace == 0 else "deleted"
            inv.write(f'{item.rtype.kind_prefix} "{item.name}" {verb}{rb.dry_run_suffix(strategy)}\n')
    if found == 0 and not report and not flags["ignore-not-found"]:
        inv.write("No resources found\n")
    if deleted and flags["wait"] and strategy == "none":
        timeout = flags["timeout"] or ONE_WEEK

        def gone() -> bool:
            for info, uid in deleted:
                current = client.try_get(info.rtype, info.name, info.namespace)
                if current is not None and current["metadata"].get("uid") == uid:
                    return False
            return True

        if not inv.env.waiter.run_until(gone, timeout):
            for info, uid in deleted:
                current = client.try_get(info.rtype, info.name, info.namespace)
                if current is not None and current["metadata"].get("uid") == uid:
                    report.add(f"timed out waiting for the condition on {info.rtype.plural}/{info.name}")
    return report.flush(inv)


COMMAND = Command(
    name="delete",
    short="Delete resources by file names, stdin, resources and names, or by resources and label selector",
    usage="delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)])",
    help="Delete resources by file names, stdin, resource and names, or by resources and label selector.",
    examples="  # Delete a pod with minimal delay\n  kubectl delete pod foo --now",
    run=run,
    flags=[
        *rb.filename_flags("containing the resource to delete."),
        Flag("all", pflag.BOOL, usage="Delete all resources, in the namespace of the specified resource types."),
        Flag("all-namespaces", pflag.BOOL, shorthand="A", usage="If present, list the requested object(s) across "
             "all namespaces. Namespace in current context is ignored even if specified with --namespace."),
        Flag("cascade", pflag.STRING, "background", no_opt_default="background", usage='Must be "background", '
             '"orphan", or "foreground". Selects the deletion cascading strategy for the dependents (e.g. Pods '
             'created by a ReplicationController). Defaults to background.'),
        rb.dry_run_flag(),
        Flag("field-selector", pflag.STRING, usage="Selector (field query) to filter on."),
        Flag("force", pflag.BOOL, usage="If true, immediately remove resources from API and bypass graceful "
             "deletion. Note that immediate deletion of some resources may result in inconsistency or data loss "
             "and requires confirmation."),
        Flag("grace-period", pflag.INT, -1, usage="Period of time in seconds given to the resource to terminate "
             "gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force "
             "is true (force deletion)."),
        Flag("ignore-not-found", pflag.BOOL, usage='Treat "resource not found" as a successful delete. Defaults to '
             '"true" when --all is specified.'),
        Flag("interactive", pflag.BOOL, shorthand="i", usage="If true, delete resource only when user confirms."),
        Flag("now", pflag.BOOL, usage="If true, resources are signaled for immediate shutdown (same as "
             "--grace-period=1)."),
        Flag("output", pflag.STRING, shorthand="o", usage="Output mode. Use \"-o name\" for shorter output "
             "(resource/name)."),
        Flag("raw", pflag.STRING, usage="Raw URI to DELETE to the server.  Uses the transport specified by the "
             "kubeconfig file."),
        Flag("selector", pflag.STRING, shorthand="l", usage="Selector (label query) to filter on, supports '=', "
             "'==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must "
             "satisfy all of the specified label constraints."),
        Flag("timeout", pflag.DURATION, 0.0, usage="The length of time to wait before giving up on a delete, zero "
             "means determine a timeout from the size of the object"),
        Flag("wait", pflag.BOOL, True, usage="If true, wait for resources to be gone before returning. This waits "
             "for finalizers."),
    ],
)
