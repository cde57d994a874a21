"""Strategic merge patch with merge keys from the schema."""

from kubenb.api import patch


def deployment():
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": {"template": {"spec": {
        "containers": [{"name": "a", "image": "nginx", "args": ["x"], "ports": [{"containerPort": 80}]},
                       {"name": "b", "image": "busybox"}]}}}}


def test_containers_merge_by_name_and_args_replace():
    result = patch.apply_patch(deployment(), {"spec": {"template": {"spec": {"containers": [
        {"name": "b", "image": "busybox:1.36"}, {"name": "a", "args": ["y"]}]}}}}, "strategic")
    containers = result["spec"]["template"]["spec"]["containers"]
    assert containers == [
        {"name": "a", "image": "nginx", "args": ["y"], "ports": [{"containerPort": 80}]},
        {"name": "b", "image": "busybox:1.36"}]


def test_delete_directive_and_service_ports_by_port():
    result = patch.apply_patch(deployment(), {"spec": {"template": {"spec": {"containers": [
        {"name": "b", "$patch": "delete"}]}}}}, "strategic")
    assert [c["name"] for c in result["spec"]["template"]["spec"]["containers"]] == ["a"]
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
           "spec": {"ports": [{"port": 80, "targetPort": 8080}]}}
    result = patch.apply_patch(svc, {"spec": {"ports": [{"port": 80, "targetPort": 9090}]}}, "strategic")
    assert result["spec"]["ports"] == [{"port": 80, "targetPort": 9090}]


def test_lists_without_merge_strategy_are_replaced():
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "finalizers": ["a"]},
           "spec": {"containers": [{"name": "c", "image": "x", "command": ["a", "b"]}]}}
    result = patch.apply_patch(pod, {"spec": {"containers": [{"name": "c", "command": ["z"]}]}}, "strategic")
    assert result["spec"]["containers"][0]["command"] == ["z"]


def test_merge_patch_removes_nulls():
    assert patch.apply_patch({"a": {"b": 1, "c": 2}}, {"a": {"b": None}}, "merge") == {"a": {"c": 2}}
