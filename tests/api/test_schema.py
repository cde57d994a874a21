"""Strict decoding: unknown fields and type errors with the apiserver's wording."""

import pytest

from kubenb.api import errors, schema


def deployment(**spec):
    body = {"replicas": 3, "selector": {"matchLabels": {"app": "nginx"}},
            "template": {"metadata": {"labels": {"app": "nginx"}},
                         "spec": {"containers": [{"name": "nginx", "image": "nginx:1.14.2"}]}}}
    body.update(spec)
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": body}


def test_unknown_fields_are_listed_with_paths_and_indexes():
    d = deployment(replica=3)
    d["spec"]["template"]["spec"]["containers"][0]["imagee"] = "x"
    assert schema.strict_errors(d) == [
        'unknown field "spec.replica"',
        'unknown field "spec.template.spec.containers[0].imagee"',
    ]


def test_valid_objects_have_no_errors():
    assert schema.check(deployment()) == (None, [])


def test_type_error_wording():
    assert schema.check(deployment(replicas="three"))[0] == (
        "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32")
    d = deployment()
    d["spec"]["template"]["spec"]["containers"][0]["image"] = 5
    assert schema.check(d)[0] == (
        "json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.image "
        "of type string")
    assert schema.check(deployment(replicas=2**40))[0] == (
        "json: cannot unmarshal number 1099511627776 into Go struct field DeploymentSpec.spec.replicas "
        "of type int32")


def test_bad_quantity_fails_decoding():
    d = deployment()
    d["spec"]["template"]["spec"]["containers"][0]["resources"] = {"limits": {"memory": "1gb"}}
    assert schema.check(d)[0] == ("quantities must match the regular expression "
                                  "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")


def test_create_reports_strict_decoding_error(cluster):
    with pytest.raises(errors.StatusError) as error:
        cluster.client.create(deployment(replica=3))
    assert error.value.reason == "BadRequest"
    assert error.value.message == ('Deployment in version "v1" cannot be handled as a Deployment: '
                                   'strict decoding error: unknown field "spec.replica"')
    with pytest.raises(errors.StatusError) as error:
        cluster.client.create(deployment(replicas="three"))
    assert error.value.message == (
        'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go '
        "struct field DeploymentSpec.spec.replicas of type int32")
    assert cluster.client.try_get("deployments", "d", "default") is None


def test_merge_keys_and_descriptions_come_from_the_schema():
    assert schema.patch_merge_key("v1", "Pod", ["spec", "containers"]) == "name"
    assert schema.patch_merge_key("apps/v1", "Deployment",
                                  ["spec", "template", "spec", "containers", "ports"]) == "containerPort"
    assert schema.patch_strategy("apps/v1", "Deployment", ["spec", "strategy"]) == "retainKeys"
    assert schema.description("apps/v1", "Deployment", ["spec", "replicas"]).startswith("Number of desired pods.")
