"""--help of create's generators and run: flag names, shorthands, defaults and Usage lines as the real kubectl."""

from __future__ import annotations

import re

import pytest

from kubenb import Cluster

COMMANDS = [
    "create", "create deployment", "create service clusterip", "create service nodeport",
    "create service loadbalancer", "create service externalname", "create configmap", "create secret generic",
    "create secret tls", "create secret docker-registry", "create namespace", "create job", "create cronjob",
    "create ingress", "create serviceaccount", "create role", "create rolebinding", "create clusterrole",
    "create clusterrolebinding", "create quota", "create priorityclass", "create poddisruptionbudget",
    "create token", "run", "expose", "scale", "set image",
]


def _skeleton(text: str) -> list[str]:
    """The Options flag lines (``-o, --output='':``) and the Usage line."""
    lines = text.splitlines()
    keep = [line.strip() for line in lines if re.match(r"^\s+(-\w, )?--[\w-]+=.*:$", line)]
    if "Usage:" in lines:
        keep.append(lines[lines.index("Usage:") + 1])
    return keep


@pytest.mark.parametrize("command", COMMANDS)
def test_help_flags_and_usage_match_real(command: str, real_kubectl) -> None:
    ours = Cluster(seed=0).kubectl([*command.split(), "--help"])
    real = real_kubectl(*command.split(), "--help")
    assert ours.exit_code == 0
    assert _skeleton(ours.stdout) == _skeleton(real.stdout)


def test_options_lists_the_global_flags_as_real(real_kubectl) -> None:
    ours = Cluster(seed=0).kubectl("options")
    real = real_kubectl("options")
    assert ours.exit_code == 0
    flag_lines = [line for line in ours.stdout.splitlines() if not line.startswith("\t")]
    real_lines = [line.replace("'/nonexistent/.kube/cache'", "'/root/.kube/cache'")
                  for line in real.stdout.splitlines() if not line.startswith("\t")]
    assert flag_lines == real_lines
