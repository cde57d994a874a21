"""kubectl edit (pkg/cmd/edit/edit.go): not available in a notebook.

kubectl edit opens $EDITOR on the object's YAML; a notebook cell has no
terminal editor. kubenb checks the arguments as kubectl would (so typos and
missing objects get kubectl's errors), then explains what to do instead with
a ``kubenb:`` message and exit code 1. The cluster is never changed.
"""

from __future__ import annotations

from kubenb.api import errors
from kubenb.kubectl import flags as pflag
from kubenb.kubectl import resource_builder as rb
from kubenb.kubectl.cli import Command, Invocation, KubectlError
from kubenb.kubectl.flags import Flag

NO_EDITOR = ("kubenb: kubectl edit opens a text editor, which a notebook does not have. Change the object with "
             "`kubectl apply -f` (edit the %%manifest cell and apply it again), `kubectl patch`, `kubectl set`, "
             "`kubectl scale` or `kubectl label` instead.")


def run(inv: Invocation) -> int:
    selection = rb.select(inv, inv.args, filenames=inv.flags["filename"], recursive=inv.flags["recursive"],
                          list_kinds=False)
    report = rb.Errors()
    for item in selection.items:
        if isinstance(item, rb.Failure):
            report.add_failure(item)
            continue
        try:
            rb.Selection.fetch(inv.client, item)
        except errors.StatusError as error:
            report.add_status(error)
    if report:
        return report.flush(inv)
    raise KubectlError(NO_EDITOR, raw=True)


COMMAND = Command(
    name="edit",
    short="Edit a resource on the server",
    usage="edit (RESOURCE/NAME | -f FILENAME)",
    help="Edit a resource from the default editor. (In kubenb: not available; see the message it prints.)",
    examples="  # Edit the service named 'registry'\n  kubectl edit svc/registry",
    run=run,
    flags=[
        *rb.filename_flags("to use to edit the resource"),
        rb.output_flag(),
        Flag("output-patch", pflag.BOOL, usage="Output the patch if the resource is edited."),
        Flag("save-config", pflag.BOOL, usage="If true, the configuration of current object will be saved in its "
             "annotation."),
        Flag("validate", pflag.STRING, "strict", no_opt_default="strict", usage="Must be one of: strict (or true), "
             "warn, ignore (or false)."),
        Flag("windows-line-endings", pflag.BOOL, usage="Defaults to the line ending native to your platform."),
        Flag("subresource", pflag.STRING, usage="If specified, edit will operate on the subresource of the "
             "requested object."),
    ],
)
