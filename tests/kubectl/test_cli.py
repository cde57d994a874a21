"""Dispatch, flag parsing and the errors kubectl prints before any API call."""

import pytest


@pytest.mark.parametrize("argv", [
    ["foo"],
    ["version", "--bogus"],
    ["version", "-x"],
    ["version", "--client", "--output=foo"],
    ["version", "--client", "-o", "json"],
    ["version", "--client", "-o", "yaml"],
    ["version", "--client"],
    ["version", "--help"],
    [],
    ["get", "-n"],
])
def test_matches_real_kubectl(cluster, real_kubectl, argv):
    real = real_kubectl(*argv)
    ours = cluster.kubectl(argv)
    assert (ours.stdout, ours.stderr, ours.exit_code) == (real.stdout, real.stderr, real.returncode)


def test_leading_kubectl_is_optional(cluster):
    assert cluster.kubectl("kubectl version --client").stdout == cluster.kubectl("version --client").stdout


def test_unbalanced_quote_is_a_clear_error(cluster):
    outcome = cluster.kubectl("get pods -l 'app=web")
    assert outcome.exit_code == 1
    assert outcome.stderr.startswith("error: kubenb: cannot parse the command line")
