"""Semantic validation: exact upstream field-error messages through Client.create/update."""

import pytest

from kubenb.api import errors

SUBDOMAIN = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
             "must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
             "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")


def refused(cluster, obj):
    with pytest.raises(errors.StatusError) as error:
        cluster.client.create(obj)
    assert error.value.reason == "Invalid"
    return error.value.message


def pod(name="p", **container):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": [{"name": "c", "image": "nginx", **container}]}}


def deployment(labels=None, selector=None, **spec):
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"selector": selector if selector is not None else {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": labels or {"app": "web"}},
                                  "spec": {"containers": [{"name": "c", "image": "nginx"}]}}, **spec}}


def test_pod_name(cluster):
    assert refused(cluster, pod("My_Pod")) == f'Pod "My_Pod" is invalid: metadata.name: Invalid value: "My_Pod": {SUBDOMAIN}'


def test_container_rules(cluster):
    message = refused(cluster, pod(image="", ports=[{"containerPort": 70000, "protocol": "HTTP"}],
                                   resources={"requests": {"cpu": "2"}, "limits": {"cpu": "1"}}))
    assert message == (
        'Pod "p" is invalid: [spec.containers[0].image: Required value, '
        "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive, "
        'spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP", '
        'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1]')


def test_duplicate_container_names_and_restart_policy(cluster):
    body = pod()
    body["spec"]["containers"].append({"name": "c", "image": "busybox"})
    body["spec"]["restartPolicy"] = "Sometimes"
    assert refused(cluster, body) == (
        'Pod "p" is invalid: [spec.containers[1].name: Duplicate value: "c", spec.restartPolicy: Unsupported '
        'value: "Sometimes": supported values: "Always", "OnFailure", "Never"]')


def test_no_containers(cluster):
    body = pod()
    body["spec"]["containers"] = []
    assert refused(cluster, body) == 'Pod "p" is invalid: spec.containers: Required value'


def test_labels(cluster):
    body = pod()
    body["metadata"]["labels"] = {"app": "-bad"}
    assert refused(cluster, body).startswith(
        'Pod "p" is invalid: metadata.labels: Invalid value: "-bad": a valid label must be an empty string')


def test_selector_must_match_template(cluster):
    assert refused(cluster, deployment(labels={"app": "other"})) == (
        'Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: '
        'map[string]string{"app":"other"}: `selector` does not match template `labels`')


def test_deployment_counts_and_template_restart_policy(cluster):
    body = deployment(replicas=-1)
    body["spec"]["template"]["spec"]["restartPolicy"] = "Never"
    assert refused(cluster, body) == (
        'Deployment.apps "web" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, '
        'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"]')


def test_deployment_selector_is_immutable(cluster):
    cluster.client.create(deployment())
    changed = cluster.client.get("deployments", "web", "default")
    changed["spec"]["selector"] = {"matchLabels": {"app": "web", "tier": "x"}}
    changed["spec"]["template"]["metadata"]["labels"]["tier"] = "x"
    with pytest.raises(errors.StatusError) as error:
        cluster.client.update(changed)
    assert error.value.message == (
        'Deployment.apps "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:'
        'map[string]string{"app":"web", "tier":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: '
        "field is immutable")


def test_pod_spec_is_mostly_immutable(cluster):
    cluster.client.create(pod())
    current = cluster.client.get("pods", "p", "default")
    current["spec"]["containers"][0]["image"] = "nginx:1.27"
    cluster.client.update(current)  # the image may change
    current = cluster.client.get("pods", "p", "default")
    current["spec"]["containers"][0]["ports"] = [{"containerPort": 81}]
    with pytest.raises(errors.StatusError) as error:
        cluster.client.update(current)
    assert error.value.message.startswith(
        'Pod "p" is invalid: spec: Forbidden: pod updates may not change fields other than '
        "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
        "`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` "
        "(allow it to be set to 1 if it was previously negative)")


def test_service(cluster):
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "1svc"}, "spec": {"type": "Foo"}}
    assert refused(cluster, svc) == (
        'Service "1svc" is invalid: [metadata.name: Invalid value: "1svc": a DNS-1035 label must consist of lower '
        "case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric "
        "character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?'), "
        'spec.ports: Required value, spec.type: Unsupported value: "Foo": supported values: "ClusterIP", '
        '"ExternalName", "LoadBalancer", "NodePort"]')
    two = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
           "spec": {"ports": [{"port": 80}, {"port": 443}]}}
    assert refused(cluster, two) == ('Service "s" is invalid: [spec.ports[0].name: Required value, '
                                     "spec.ports[1].name: Required value]")


def test_job_restart_policy_and_cron_schedule(cluster):
    job = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"},
           "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "x"}]}}}}
    assert refused(cluster, job) == ('Job.batch "j" is invalid: spec.template.spec.restartPolicy: Unsupported '
                                     'value: "Always": supported values: "OnFailure", "Never"')
    cj = {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "c"},
          "spec": {"schedule": "bad", "jobTemplate": {"spec": {"template": {"spec": {
              "restartPolicy": "OnFailure", "containers": [{"name": "c", "image": "x"}]}}}}}}
    assert refused(cluster, cj) == ('CronJob.batch "c" is invalid: spec.schedule: Invalid value: "bad": '
                                    "expected exactly 5 fields, found 1: [bad]")
    cj["spec"]["schedule"] = "61 * * * *"
    assert refused(cluster, cj) == ('CronJob.batch "c" is invalid: spec.schedule: Invalid value: "61 * * * *": '
                                    "end of range (61) above maximum (59): 61")


def test_config_map_keys(cluster):
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm"}, "data": {"bad key": "x"}}
    assert refused(cluster, cm) == (
        'ConfigMap "cm" is invalid: data[bad key]: Invalid value: "bad key": a valid config key must consist of '
        "alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used "
        "for validation is '[-._a-zA-Z0-9]+')")


def test_ingress_path(cluster):
    ing = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "ing"}, "spec": {"rules": [
        {"http": {"paths": [{"path": "foo", "pathType": "Prefix",
                             "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]}}
    assert refused(cluster, ing) == ('Ingress.networking.k8s.io "ing" is invalid: '
                                     'spec.rules[0].http.paths[0].path: Invalid value: "foo": must be an absolute path')


def test_namespace_name_is_a_label(cluster):
    ns = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a.b"}}
    assert refused(cluster, ns) == 'Namespace "a.b" is invalid: metadata.name: Invalid value: "a.b": must not contain dots'
