"""kubectl's JSONPath templates compared with the real kubectl on a client-side object."""

import json

import pytest

from kubenb.kubectl.printers.jsonpath import JSONPathError, render

TEMPLATES = [
    "{.metadata.name}",
    '{.metadata.name}{"\\n"}',
    "{.spec.replicas} {.spec.template.spec.containers[*].image}",
    "{.spec.selector}",
    "{.metadata.labels}",
    "{.metadata.creationTimestamp}",
    "{.status}",
    "{.nope}|{.spec.replicas.foo}",
    '{range .spec.template.spec.containers[*]}{.name}{"\\t"}{.image}{"\\n"}{end}',
    '{.spec.template.spec.containers[?(@.name=="y")].image}',
    "{.spec.template.spec.containers[0].name}",
    "{.spec.template.spec.containers[-1:].name}",
    "{.metadata.labels.app}",
    "{.metadata.labels['app']}",
    "{.kind}/{.apiVersion}",
    "text only",
    "{$.metadata.name}",
    "{..image}",
    "{.spec.strategy}",
]


@pytest.fixture
def deployment(real_kubectl):
    real = real_kubectl("create", "deployment", "x", "--image=y", "--dry-run=client", "-o", "json")
    return json.loads(real.stdout)


@pytest.mark.parametrize("template", TEMPLATES)
def test_matches_real_kubectl(real_kubectl, deployment, template):
    real = real_kubectl("create", "deployment", "x", "--image=y", "--dry-run=client", "-o", f"jsonpath={template}")
    assert real.returncode == 0, real.stderr
    assert render(template, deployment) == real.stdout


def test_lists_and_filters_without_the_binary():
    data = {"items": [{"metadata": {"name": "a", "labels": {"app.kubernetes.io/name": "x"}},
                       "status": {"conditions": [{"type": "Ready", "status": "True"}]}},
                      {"metadata": {"name": "b"}}]}
    assert render("{.items[*].metadata.name}", data) == "a b"
    assert render('{.items[0].status.conditions[?(@.type=="Ready")].status}', data) == "True"
    assert render("{.items[*].metadata.labels.app\\.kubernetes\\.io/name}", data) == "x"
    assert render('{range .items[*]}{.metadata.name}{"\\n"}{end}', data) == "a\nb\n"


@pytest.mark.parametrize(("template", "message"), [
    ("{.items[}", "unterminated array"),
    ("{.a", "unclosed action"),
    ("{end}", "not in range, nothing to end"),
])
def test_parse_errors(template, message):
    with pytest.raises(JSONPathError, match=message):
        render(template, {})
