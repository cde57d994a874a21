"""kubectl diff (pkg/cmd/diff/diff.go): live object vs. what ``apply`` would make it.

kubectl writes each object as YAML into two temporary directories,
``/tmp/LIVE-<n>/`` and ``/tmp/MERGED-<n>/``, named
``<group>.<version>.<Kind>.<namespace>.<name>`` (``v1.Pod.default.web``,
``apps.v1.Deployment.default.web``), then runs ``diff -u -N`` on them and
exits 1 when they differ, 0 when not, >1 on errors.

kubenb builds the merged object with the same three-way patch as ``apply``
(server dry run), removes ``managedFields`` as kubectl does, and prints a
unified diff in GNU diff's format. The ``<n>`` are derived from the virtual
clock (not random) so a notebook prints the same every run; the header
timestamps are the virtual time.

Left out: ``KUBECTL_EXTERNAL_DIFF``, ``--prune``, ``--server-side``.
"""

from __future__ import annotations

import difflib
import json
import zlib

from kubenb.api import errors, objects
from kubenb.kubectl import flags as pflag
from kubenb.kubectl import resource_builder as rb
from kubenb.kubectl.cli import Command, Invocation, KubectlError
from kubenb.kubectl.commands.apply import LAST_APPLIED, modified_configuration, three_way_patch
from kubenb.kubectl.flags import Flag
from kubenb.kubectl.printers.structured import to_yaml
from kubenb.sim.clock import format_rfc3339_micro


def _file_name(info: rb.Info) -> str:
    rtype = info.rtype
    group = f"{rtype.group}." if rtype.group else ""
    namespace = f"{info.namespace}." if info.namespace else ""
    return f"{group}{rtype.version}.{rtype.kind}.{namespace}{info.name}"


def _yaml(obj: dict | None) -> list[str]:
    if obj is None:
        return []
    obj = objects.clone(obj)
    (obj.get("metadata") or {}).pop("managedFields", None)
    return to_yaml(obj).splitlines(keepends=True)


def _stamp(inv: Invocation) -> str:
    # GNU diff: "2025-01-01 00:00:00.000000000 +0000"
    text = format_rfc3339_micro(inv.client.clock.now())  # 2025-01-01T00:00:00.000000Z
    date, _, rest = text.partition("T")
    clock_part = rest.rstrip("Z")
    if "." not in clock_part:
        clock_part += ".000000"
    return f"{date} {clock_part}000 +0000"


def _merged(inv: Invocation, info: rb.Info, live: dict | None) -> dict:
    assert info.obj is not None
    client = inv.client
    annotated = modified_configuration(info.obj)[0]
    if live is None:
        return client.create(annotated, namespace=info.namespace, dry_run=True)
    original_text = (objects.annotations(live)).get(LAST_APPLIED)
    try:
        original = json.loads(original_text) if original_text else {}
    except ValueError:
        original = {}
    patch = three_way_patch(original, annotated, live)
    if not patch:
        return live
    return client.patch(info.rtype, info.name, info.namespace, patch, "strategic", dry_run=True)


def run(inv: Invocation) -> int:
    flags = inv.flags
    if not flags["filename"]:
        inv.err.write("error: must specify one of -f and -k\n")
        return 2
    try:
        selection = rb.select(inv, [], filenames=flags["filename"], recursive=flags["recursive"])
    except KubectlError as error:
        inv.err.write(f"error: {error.message}\n")
        return 2
    seed = zlib.crc32(f"{inv.client.clock.now()}|{','.join(flags['filename'])}".encode())
    live_dir = f"/tmp/LIVE-{seed}"
    merged_dir = f"/tmp/MERGED-{zlib.crc32(str(seed).encode())}"
    stamp = _stamp(inv)
    report = rb.Errors()
    different = False
    for item in selection.items:
        if isinstance(item, rb.Failure):
            report.add_failure(item)
            continue
        try:
            live = inv.client.try_get(item.rtype, item.name, item.namespace)
            merged = _merged(inv, item, live)
        except errors.StatusError as error:
            report.add_status(error)
            continue
        before, after = _yaml(live), _yaml(merged)
        if before == after:
            continue
        different = True
        name = _file_name(item)
        left, right = f"{live_dir}/{name}", f"{merged_dir}/{name}"
        inv.write(f"diff -u -N {left} {right}\n")
        for line in difflib.unified_diff(before, after, left, right, stamp, stamp, n=3):
            inv.write(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    if report:
        report.flush(inv)
        return 2  # kubectl diff: exit codes above 1 mean the diff itself failed
    return 1 if different else 0


COMMAND = Command(
    name="diff",
    short="Diff the live version against a would-be applied version",
    usage="diff -f FILENAME",
    help="Diff configurations specified by file name or stdin between the current online configuration, and the "
         "configuration as it would be if applied. Exit status: 0 no differences, 1 differences found, >1 kubectl "
         "or diff failed with an error.",
    examples="  # Diff resources included in pod.json\n  kubectl diff -f pod.json",
    run=run,
    flags=[
        *rb.filename_flags("contains the configuration to diff"),
        Flag("field-manager", pflag.STRING, "kubectl-client-side-apply", usage="Name of the manager used to track "
             "field ownership."),
        Flag("force-conflicts", pflag.BOOL, usage="If true, server-side apply will force the changes against "
             "conflicts."),
        Flag("prune", pflag.BOOL, usage="Include resources that would be deleted by pruning."),
        Flag("selector", pflag.STRING, shorthand="l", usage="Selector (label query) to filter on."),
        Flag("server-side", pflag.BOOL, usage="If true, apply runs in the server instead of the client."),
        Flag("show-managed-fields", pflag.BOOL, usage="If true, include managed fields in the diff."),
        Flag("concurrency", pflag.INT, 1, usage="Number of objects to process in parallel when diffing against the "
             "live version. Larger number = faster, but more memory, I/O and CPU over that shorter period of time."),
    ],
)
