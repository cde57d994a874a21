"""kubectl api-resources, api-versions and events."""

import pytest

from tests.kubectl.commands.test_get import WEB

COMMANDS = {
    "api-resources": "api-resources",
    "api-resources-wide-cluster": "api-resources -o wide --namespaced=false",
    "api-resources-name-apps": "api-resources -o name --api-group=apps",
    "api-versions": "api-versions",
    "events": "events",
    "events-for": "events --for deployment/web",
    "events-warning-A": "events -A --types=Warning",
    "events-bad-type": "events --types=Bogus",
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_golden(cluster, golden, name):
    cluster.client.create(WEB)
    cluster.advance(30)
    outcome = cluster.kubectl(COMMANDS[name])
    golden(f"kubectl/discovery/{name}", f"$ kubectl {COMMANDS[name]}\n{outcome.stdout}--- stderr\n{outcome.stderr}"
                                        f"--- exit {outcome.exit_code}\n")


def test_events_are_sorted_oldest_first(cluster):
    cluster.client.create(WEB)
    cluster.advance(30)
    rows = cluster.kubectl("events").stdout.splitlines()[1:]
    ages = [int(row.split()[0].rstrip("s")) for row in rows]
    assert ages == sorted(ages, reverse=True)
