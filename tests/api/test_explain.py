"""kubectl explain: header, descriptions from the schema, field types, required markers, --recursive."""


def test_explain_pods(cluster):
    out = cluster.kubectl("explain pods")
    assert out.exit_code == 0
    assert out.stdout.startswith(
        "KIND:       Pod\nVERSION:    v1\n\nDESCRIPTION:\n"
        "    Pod is a collection of containers that can run on a host. This resource is\n"
        "    created by clients and scheduled onto hosts.\n    \nFIELDS:\n  apiVersion\t<string>\n"
        "    APIVersion defines the versioned schema of this representation of an\n    object.")
    assert "  spec\t<PodSpec>\n" in out.stdout
    assert "  metadata\t<ObjectMeta>\n" in out.stdout


def test_explain_field(cluster):
    out = cluster.kubectl("explain deployment.spec.replicas")
    assert out.stdout == (
        "GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\nFIELD: replicas <integer>\n\n\n"
        "DESCRIPTION:\n    Number of desired pods. This is a pointer to distinguish between explicit\n"
        "    zero and not specified. Defaults to 1.\n    \n")


def test_required_and_list_types(cluster):
    out = cluster.kubectl("explain pods.spec")
    assert "  containers\t<[]Container> -required-\n" in out.stdout
    assert "  nodeSelector\t<map[string]string>\n" in out.stdout


def test_recursive_lists_names_only(cluster):
    out = cluster.kubectl("explain deploy.spec.strategy --recursive")
    assert out.stdout.endswith(
        "FIELDS:\n  rollingUpdate\t<RollingUpdateDeployment>\n    maxSurge\t<IntOrString>\n"
        "    maxUnavailable\t<IntOrString>\n  type\t<string>\n\n")


def test_errors(cluster):
    out = cluster.kubectl("explain foo")
    assert (out.stderr, out.exit_code) == ('error: the server doesn\'t have a resource type "foo"\n', 1)
    out = cluster.kubectl("explain pods.spec.nope")
    assert (out.stderr, out.exit_code) == ('error: field "nope" does not exist\n', 1)
