"""kubectl replace (pkg/cmd/replace/replace.go): PUT the whole object from ``-f``.

- Each object replaces the live one (``pod/nginx replaced``); a missing one
  is ``Error from server (NotFound): error when replacing "x.yaml": ...``.
- ``--force``: delete (waiting until gone, in virtual time) then create,
  printing ``pod "nginx" deleted`` then ``pod/nginx replaced``.
- ``--save-config`` writes the last-applied annotation, as create does.
- ``--dry-run``, ``-o yaml|json|name``.

Left out: ``--raw``, ``--subresource``, ``-k``.
"""

from __future__ import annotations

from kubenb.api import errors
from kubenb.kubectl import flags as pflag
from kubenb.kubectl import resource_builder as rb
from kubenb.kubectl.cli import Command, InvalidNamespaceError, Invocation, KubectlError
from kubenb.kubectl.commands.apply import modified_configuration
from kubenb.kubectl.flags import Flag


def run(inv: Invocation) -> int:
    flags = inv.flags
    if flags.get("kustomize"):
        raise KubectlError("kubenb: kustomize (-k) is not simulated; use -f")
    if not flags["filename"]:
        raise KubectlError("must specify one of -f and -k")
    strategy = rb.dry_run_strategy(inv)
    if flags["force"] and strategy != "none":
        raise KubectlError("--dry-run can not be used when --force is set")
    output = flags["output"]
    selection = rb.select(inv, [], filenames=flags["filename"], recursive=flags["recursive"])
    report = rb.Errors()
    client = inv.client
    for item in selection.items:
        if isinstance(item, rb.Failure):
            report.add_failure(item)
            continue
        assert item.obj is not None
        obj = modified_configuration(item.obj)[0] if flags["save-config"] else item.obj
        try:
            if flags["force"]:
                live = client.try_get(item.rtype, item.name, item.namespace)
                if live is not None:
                    client.delete(item.rtype, item.name, item.namespace,
                                  grace_period_seconds=None if flags["grace-period"] < 0 else flags["grace-period"])
                    inv.write(f'{item.rtype.kind_prefix} "{item.name}" deleted\n')
                    uid = live["metadata"].get("uid")

                    def gone(item: rb.Info = item, uid: str | None = uid) -> bool:
                        now = client.try_get(item.rtype, item.name, item.namespace)
                        return now is None or now["metadata"].get("uid") != uid

                    if not inv.env.waiter.run_until(gone, flags["timeout"] or 7 * 24 * 3600.0):
                        report.add(f"timed out waiting for the condition on {item.rtype.plural}/{item.name}")
                        continue
                result = client.create(obj, namespace=item.namespace)
            else:
                client.get(item.rtype, item.name, item.namespace)
                result = obj if strategy == "client" else client.update(obj, dry_run=strategy == "server")
        except errors.StatusError as error:
            report.add_status(error, source=item.source, verb="replacing")
            continue
        except InvalidNamespaceError as error:
            report.add(f'error when replacing "{item.source}": {error.message}')
            continue
        rb.print_object(inv, item, result, "replaced" + rb.dry_run_suffix(strategy), output)
    return report.flush(inv)


COMMAND = Command(
    name="replace",
    short="Replace a resource by file name or stdin",
    usage="replace -f FILENAME",
    help="Replace a resource by file name or stdin. The whole object is replaced: fields missing from the file "
         "are dropped.",
    examples="  # Replace a pod using the data in pod.json\n  kubectl replace -f ./pod.json",
    run=run,
    flags=[
        *rb.filename_flags("to use to replace the resource."),
        rb.dry_run_flag(),
        rb.output_flag(),
        Flag("force", pflag.BOOL, usage="If true, immediately remove resources from API and bypass graceful "
             "deletion."),
        Flag("grace-period", pflag.INT, -1, usage="Period of time in seconds given to the resource to terminate "
             "gracefully. Ignored if negative."),
        Flag("cascade", pflag.STRING, "background", no_opt_default="background", usage='Must be "background", '
             '"orphan", or "foreground".'),
        Flag("save-config", pflag.BOOL, usage="If true, the configuration of current object will be saved in its "
             "annotation."),
        Flag("validate", pflag.STRING, "strict", no_opt_default="strict", usage="Must be one of: strict (or true), "
             "warn, ignore (or false)."),
        Flag("timeout", pflag.DURATION, 0.0, usage="The length of time to wait before giving up on a delete."),
        Flag("wait", pflag.BOOL, usage="If true, wait for resources to be gone before returning."),
    ],
)
