"""RBAC through kubectl --as, and kubectl auth can-i / whoami (api/authorization.py)."""

from __future__ import annotations

SA = "system:serviceaccount:dev:default"


def _setup(cluster) -> None:
    for line in ("create namespace dev", "create role pod-reader --verb=get --resource=pods -n dev",
                 "create rolebinding read-pods --role=pod-reader --serviceaccount=dev:default -n dev"):
        assert cluster.kubectl(line).exit_code == 0


def test_can_i_for_a_role_granting_only_get_pods(cluster) -> None:
    _setup(cluster)
    no = cluster.kubectl(f"auth can-i create deployments --as={SA} -n dev")
    assert (no.stdout, no.stderr, no.exit_code) == ("no\n", "", 1)
    yes = cluster.kubectl(f"auth can-i get pods --as={SA} -n dev")
    assert (yes.stdout, yes.exit_code) == ("yes\n", 0)
    assert cluster.kubectl(f"auth can-i list pods --as={SA} -n dev").stdout == "no\n"
    assert cluster.kubectl(f"auth can-i get pods --as={SA} -n default").stdout == "no\n"
    quiet = cluster.kubectl(f"auth can-i create pods -q --as={SA} -n dev")
    assert (quiet.stdout, quiet.exit_code) == ("", 1)
    # The admin of the kubeconfig may do anything.
    assert cluster.kubectl("auth can-i '*' '*'").stdout == "yes\n"


def test_forbidden_errors_as_the_apiserver_words_them(cluster) -> None:
    _setup(cluster)
    listing = cluster.kubectl(f"get pods -n dev --as={SA}")
    assert listing.stderr == (f'Error from server (Forbidden): pods is forbidden: User "{SA}" cannot list resource '
                              f'"pods" in API group "" in the namespace "dev"\n')
    assert listing.exit_code == 1
    create = cluster.kubectl(f"create deployment web --image=nginx:1.27 -n dev --as={SA}")
    assert ('deployments.apps is forbidden: User "system:serviceaccount:dev:default" cannot create resource '
            '"deployments" in API group "apps" in the namespace "dev"') in create.stderr
    nodes = cluster.kubectl("get nodes --as=jane")
    assert nodes.stderr == ('Error from server (Forbidden): nodes is forbidden: User "jane" cannot list resource '
                            '"nodes" in API group "" at the cluster scope\n')
    assert cluster.kubectl("get deployments -n dev").exit_code == 0  # nothing was created


def test_cluster_role_binding_and_groups(cluster) -> None:
    assert cluster.kubectl("create clusterrolebinding viewers --clusterrole=view --group=viewers").exit_code == 0
    assert cluster.kubectl("auth can-i list deployments --as=jane --as-group=viewers").stdout == "yes\n"
    assert cluster.kubectl("auth can-i delete deployments --as=jane --as-group=viewers").stdout == "no\n"
    assert cluster.kubectl("auth can-i get secrets --as=jane --as-group=viewers").stdout == "no\n"
    assert cluster.kubectl("get pods --as=jane --as-group=viewers").exit_code == 0


def test_can_i_warnings_and_usage(cluster) -> None:
    nodes = cluster.kubectl("auth can-i get nodes --as=jane")
    assert nodes.stderr == "Warning: resource 'nodes' is not namespace scoped\n"
    unknown = cluster.kubectl("auth can-i get foos --as=jane")
    assert unknown.stderr == "Warning: the server doesn't have a resource type 'foos'\n"
    usage = cluster.kubectl("auth can-i get")
    assert usage.stderr == ("error: you must specify two arguments: verb resource or verb resource/resourceName.\n"
                            "See 'kubectl auth can-i -h' for help and examples.\n")
    assert usage.exit_code == 1


def test_whoami(cluster, golden) -> None:
    admin = cluster.kubectl("auth whoami")
    sa = cluster.kubectl(f"auth whoami --as={SA}")
    golden("kubectl/auth/whoami", admin.stdout + sa.stdout)
    assert "Groups      [system:serviceaccounts system:serviceaccounts:dev system:authenticated]" in sa.stdout


def test_usage_errors_match_real_kubectl(cluster, real_kubectl) -> None:
    for args in (["auth", "can-i", "get"], ["auth", "can-i", "a", "b", "c"]):
        real = real_kubectl(*args)
        ours = cluster.kubectl(args)
        assert (ours.stdout, ours.stderr, ours.exit_code) == (real.stdout, real.stderr, real.returncode)


def test_describe_without_events_permission_still_describes(cluster) -> None:
    _setup(cluster)
    cluster.kubectl("run p --image=nginx:1.27 -n dev")
    assert cluster.kubectl("create role getter --verb=get,list --resource=pods -n dev").exit_code == 0
    cluster.kubectl("create rolebinding getter --role=getter --serviceaccount=dev:default -n dev")
    outcome = cluster.kubectl(f"describe pod p -n dev --as={SA}")
    assert outcome.exit_code == 0 and outcome.stdout.startswith("Name:")
