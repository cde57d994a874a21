"""kubectl version (pkg/cmd/version/version.go): client, Kustomize and server versions.

The build facts (git commit, build date, Go version) are those of the
kubectl v1.33.1 release that kubenb mimics.
"""

from __future__ import annotations

import json

from kubenb.api.resources import KUBECTL_VERSION, KUBERNETES_VERSION, KUSTOMIZE_VERSION
from kubenb.kubectl import flags as pflag
from kubenb.kubectl.cli import Command, Invocation, KubectlError
from kubenb.kubectl.flags import Flag
from kubenb.kubectl.printers.structured import to_yaml


def _info(version: str) -> dict:
    major, minor, _ = version.lstrip("v").split(".")
    return {
        "major": major,
        "minor": minor,
        "gitVersion": version,
        "gitCommit": "8adc0f041b8e7ad1d30e29cc59c6ae7a15e19828",
        "gitTreeState": "clean",
        "buildDate": "2025-05-15T08:27:33Z",
        "goVersion": "go1.24.2",
        "compiler": "gc",
        "platform": "linux/amd64",
    }


def run(inv: Invocation) -> int:
    output = inv.flags["output"]
    if output not in ("", "yaml", "json"):
        raise KubectlError("--output must be 'yaml' or 'json'")
    client_only = inv.flags["client"]
    document: dict = {"clientVersion": _info(KUBECTL_VERSION), "kustomizeVersion": KUSTOMIZE_VERSION}
    if not client_only:
        inv.client  # noqa: B018 - fails as kubectl does when no cluster is configured
        document["serverVersion"] = _info(KUBERNETES_VERSION)
    if output == "json":
        inv.write(json.dumps(document, indent=2) + "\n")
        return 0
    if output == "yaml":
        # version.go prints the marshalled YAML with Println, hence the blank line at the end.
        inv.write(to_yaml(document) + "\n")
        return 0
    inv.write(f"Client Version: {KUBECTL_VERSION}\nKustomize Version: {KUSTOMIZE_VERSION}\n")
    if not client_only:
        inv.write(f"Server Version: {KUBERNETES_VERSION}\n")
    return 0


COMMAND = Command(
    name="version",
    short="Print the client and server version information",
    help="Print the client and server version information for the current context.",
    examples="  # Print the client and server versions for the current context\n  kubectl version",
    run=run,
    flags=[
        Flag("client", pflag.BOOL, usage="If true, shows client version only (no server required)."),
        Flag("output", pflag.STRING, shorthand="o", usage="One of 'yaml' or 'json'."),
    ],
)
