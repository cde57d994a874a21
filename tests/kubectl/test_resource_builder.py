"""resource_builder.select: the argument forms kubectl accepts, and its usage errors."""

from __future__ import annotations

import pytest

from kubenb.kubectl import flags as pflag
from kubenb.kubectl.cli import GLOBAL_FLAGS, Invocation, KubectlError
from kubenb.kubectl.resource_builder import Failure, Info, select

CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  labels: {{app: web}}\n"


def _inv(cluster, *argv: str) -> Invocation:  # noqa: ANN001
    parsed = pflag.parse(list(argv), GLOBAL_FLAGS)
    return Invocation(cluster.kubectl_env(), ["get"], parsed, parsed.args)


def _names(items: list) -> list[str]:
    return [f"{i.rtype.plural}/{i.namespace}/{i.name}" if isinstance(i, Info) else f"!{i.message}" for i in items]


def test_type_name_forms(cluster) -> None:
    inv = _inv(cluster)
    assert _names(select(inv, ["pods", "a", "b"]).items) == ["pods/default/a", "pods/default/b"]
    assert _names(select(inv, ["deploy/x", "svc/y"]).items) == ["deployments/default/x", "services/default/y"]
    assert _names(select(inv, ["cm,secret", "n"]).items) == ["configmaps/default/n", "secrets/default/n"]
    assert _names(select(inv, ["nodes", "n1"]).items) == ["nodes/None/n1"]


def test_selector_all_and_all_namespaces(cluster) -> None:
    for name in ("a", "b"):
        cluster.files[f"{name}.yaml"] = CM.format(name=name)
        cluster.kubectl(f"apply -f {name}.yaml")
    inv = _inv(cluster)
    listed = select(inv, ["cm"], selector="app=web")
    assert listed.listed and _names(listed.items) == ["configmaps/default/a", "configmaps/default/b"]
    everywhere = select(inv, ["deployments"], all_=True, all_namespaces=True)
    assert "deployments/kube-system/coredns" in _names(everywhere.items)
    assert _names(select(_inv(cluster, "-n", "kube-system"), ["cm"], selector="app=web").items) == []


def test_files_take_the_namespace_flag_and_report_mismatch(cluster) -> None:
    cluster.files["a.yaml"] = CM.format(name="a")
    cluster.files["b.yaml"] = CM.format(name="b").replace("  labels", "  namespace: dev\n  labels")
    inv = _inv(cluster, "-n", "prod")
    items = select(inv, [], filenames=["a.yaml", "b.yaml"]).items
    assert _names(items[:1]) == ["configmaps/prod/a"]
    assert isinstance(items[1], Failure) and "You must pass '--namespace=dev'" in items[1].message


@pytest.mark.parametrize(("args", "kwargs", "message"), [
    (["pod/a", "pod"], {}, "there is no need to specify a resource type"),
    (["pod", "a"], {"selector": "x=y"}, "name cannot be provided when a selector is specified"),
    (["nosuchtype", "a"], {}, 'the server doesn\'t have a resource type "nosuchtype"'),
    ([], {}, "You must provide one or more resources"),
    (["pod"], {"list_kinds": False}, "You must provide one or more resources"),
])
def test_usage_errors(cluster, args: list[str], kwargs: dict, message: str) -> None:
    with pytest.raises(KubectlError, match=message.replace("(", r"\(")):
        select(_inv(cluster), args, **kwargs)
