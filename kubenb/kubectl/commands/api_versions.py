"""kubectl api-versions (kubectl pkg/cmd/apiresources/apiversions.go): every served group/version, sorted.

Only the groups kubenb serves are listed (a kind cluster serves more).
"""

from __future__ import annotations

from kubenb.api import resources
from kubenb.kubectl.cli import Command, Invocation


def run(inv: Invocation) -> int:
    inv.client  # noqa: B018 - needs a configured cluster, as discovery does
    versions = {t.api_version for t in resources.RESOURCE_TYPES}
    versions.add("autoscaling/v1")  # HorizontalPodAutoscaler is served at v1 and v2
    inv.write("".join(f"{v}\n" for v in sorted(versions)))
    return 0


COMMAND = Command(
    name="api-versions",
    short='Print the supported API versions on the server, in the form of "group/version"',
    usage="api-versions",
    help='Print the supported API versions on the server, in the form of "group/version".',
    examples="  # Print the supported API versions\n  kubectl api-versions",
    run=run,
)
