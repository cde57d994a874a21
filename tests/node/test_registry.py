"""The simulated registry and `latest` changing under a reschedule (anti-pattern 5).

A tag pushed again (``Cluster.registry_push``) points at new content with a new digest. The kubelet
pulls per imagePullPolicy: Always (the default for ``:latest``) gets the tag's current content for
every new container; IfNotPresent keeps a node's old copy while a node without it pulls the new one.
``imageID`` names the digest a container actually runs, and its HTTP answers come from that content.
Also notebook 11's section 5 cells, run as the notebook runs them.
"""

from __future__ import annotations

import pytest

from kubenb.course import image_digests
from kubenb.node import images
from kubenb.node.images import Registry, parse_reference
from kubenb.sim.clock import parse_rfc3339
from tests.notebook_cells import code_of, notebook_11_cells, run_code_cell

V1 = "gcr.io/google-samples/hello-app:1.0"
V2 = "gcr.io/google-samples/hello-app:2.0"
STORE = "localhost:5001/store:latest"
D1 = image_digests.content_digest("gcr.io/google-samples/hello-app", "1.0")
D2 = image_digests.content_digest("gcr.io/google-samples/hello-app", "2.0")


def create_pod(cluster, name: str, image: str, *, node: str, policy: str | None = None) -> None:
    container = {"name": "app", "image": image}
    if policy:
        container["imagePullPolicy"] = policy
    cluster.client.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": {"app": "store"}},
                           "spec": {"nodeName": node, "containers": [container]}})
    cluster.advance(5)


def image_id(cluster, name: str) -> str:
    return cluster.client.get("pods", name, "default")["status"]["containerStatuses"][0]["imageID"]


def answer(cluster, name: str) -> str:
    ip = cluster.client.get("pods", name, "default")["status"]["podIP"]
    return cluster.request(f"http://{ip}:8080/", from_pod="client").body


def pod_events(cluster, name: str) -> list[tuple[str, str]]:
    found = [e for e in cluster.client.list("events", "default") if e["involvedObject"]["name"] == name]
    # The scheduler's events (events.k8s.io) carry eventTime instead of firstTimestamp.
    found.sort(key=lambda e: (parse_rfc3339(e["firstTimestamp"] or e["eventTime"]), e["metadata"]["name"]))
    return [(e["reason"], e["message"]) for e in found]


@pytest.fixture
def client_pod(cluster):
    cluster.kubectl("run client --image=busybox:1.36 -- sleep 3600")
    cluster.advance(5)
    return cluster


# --- the registry ------------------------------------------------------------------------------------

def test_a_push_keeps_the_content_digest_and_moving_the_tag_changes_it():
    registry = Registry()
    assert registry.resolve(parse_reference("localhost:5001/store:latest")) is None
    assert registry.push(V1, STORE) == (STORE, D1)
    assert registry.resolve(parse_reference(STORE)) == V1
    assert registry.push(V2, "localhost:5001/store") == (STORE, D2)  # no tag: latest
    assert registry.resolve(parse_reference(STORE)) == V2
    # The old manifest stays: a Pod pinned to it still pulls.
    assert registry.resolve(parse_reference(f"localhost:5001/store@{D1}")) == V1
    assert registry.resolve(parse_reference("localhost:5001/store@sha256:" + "0" * 64)) is None
    # Pushing a pushed tag again copies its content, not its name.
    assert registry.push(STORE, "localhost:5001/store:2.0.0") == ("localhost:5001/store:2.0.0", D2)
    assert registry.tags("localhost:5001/store") == [("localhost:5001/store:2.0.0", D2, V2), (STORE, D2, V2)]
    assert registry.tags("other") == []


def test_catalog_tags_resolve_to_themselves_with_the_digests_they_always_had():
    registry = Registry()
    ref = parse_reference("nginx:1.14.2")
    assert registry.resolve(ref) == "docker.io/library/nginx:1.14.2"
    assert registry.digest_of(ref, "docker.io/library/nginx:1.14.2") == images.image_digest(ref)
    assert registry.resolve(parse_reference("nginx:0.0.0-nope")) is None
    assert image_digests.content_of(D2) == V2
    rows = registry.tags("gcr.io/google-samples/hello-app")
    assert rows == [(V1, D1, V1), (V2, D2, V2)]


@pytest.mark.parametrize(("source", "target", "message"), [
    ("nginx:0.0.0-nope", STORE, "kubenb: image docker.io/library/nginx:0.0.0-nope not found"),
    ("Not An Image", STORE, 'kubenb: "Not An Image" is not a valid image reference'),
    (V1, f"localhost:5001/store@{D1}", "is not a valid tag to push to"),
    (V1, "Store:1", "is not a valid tag to push to"),
])
def test_bad_pushes_are_refused_and_change_nothing(source, target, message):
    registry = Registry()
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        registry.push(source, target)
    assert registry.state() == {"pushed": {}, "manifests": {}}


# --- the kubelet ------------------------------------------------------------------------------------

def test_latest_defaults_to_always_and_a_new_pod_gets_the_moved_tag(client_pod):
    cluster = client_pod
    cluster.registry_push(V1, STORE)
    create_pod(cluster, "old", STORE, node="kubenb-worker")
    spec = cluster.client.get("pods", "old", "default")["spec"]["containers"][0]
    assert spec["imagePullPolicy"] == "Always"
    cluster.registry_push(V2, STORE)
    create_pod(cluster, "new", STORE, node="kubenb-worker")  # the same node, which has version 1
    assert image_id(cluster, "old") == f"localhost:5001/store@{D1}"
    assert image_id(cluster, "new") == f"localhost:5001/store@{D2}"
    assert answer(cluster, "old") == "Hello, world!\nVersion: 1.0.0\nHostname: old\n"
    assert answer(cluster, "new") == "Hello, world!\nVersion: 2.0.0\nHostname: new\n"
    assert pod_events(cluster, "new")[:2] == [  # bound by nodeName: no Scheduled event
        ("Pulling", f'Pulling image "{STORE}"'),
        ("Pulled", f'Successfully pulled image "{STORE}" in 1.4s (1.4s including waiting). Image size: 4525310 '
                   "bytes."),
    ]
    # The status still names the tag the spec asked for; only imageID tells the versions apart.
    statuses = [cluster.client.get("pods", n, "default")["status"]["containerStatuses"][0] for n in ("old", "new")]
    assert [s["image"] for s in statuses] == [STORE, STORE]


def test_if_not_present_keeps_the_nodes_old_copy_while_a_fresh_node_pulls_the_new_one(client_pod):
    cluster = client_pod
    cluster.registry_push(V1, STORE)
    create_pod(cluster, "first", STORE, node="kubenb-worker", policy="IfNotPresent")
    cluster.registry_push(V2, STORE)
    create_pod(cluster, "same-node", STORE, node="kubenb-worker", policy="IfNotPresent")
    create_pod(cluster, "fresh-node", STORE, node="kubenb-worker2", policy="IfNotPresent")
    assert ("Pulled", f'Container image "{STORE}" already present on machine') in pod_events(cluster, "same-node")
    assert image_id(cluster, "same-node") == f"localhost:5001/store@{D1}"
    assert answer(cluster, "same-node").startswith("Hello, world!\nVersion: 1.0.0\n")
    assert image_id(cluster, "fresh-node") == f"localhost:5001/store@{D2}"
    assert answer(cluster, "fresh-node").startswith("Hello, world!\nVersion: 2.0.0\n")


def test_a_pod_pinned_by_digest_runs_that_content_after_the_tag_moved(client_pod):
    cluster = client_pod
    cluster.registry_push(V1, STORE)
    cluster.registry_push(V2, STORE)
    create_pod(cluster, "pinned", f"localhost:5001/store@{D1}", node="kubenb-worker2")
    pod = cluster.client.get("pods", "pinned", "default")
    assert pod["spec"]["containers"][0]["imagePullPolicy"] == "IfNotPresent"
    assert pod["status"]["phase"] == "Running"
    assert image_id(cluster, "pinned") == f"localhost:5001/store@{D1}"
    assert answer(cluster, "pinned").startswith("Hello, world!\nVersion: 1.0.0\n")


def test_a_tag_nobody_pushed_fails_to_pull(cluster):
    create_pod(cluster, "nope", STORE, node="kubenb-worker")
    messages = [m for r, m in pod_events(cluster, "nope") if r == "Failed"]
    assert messages[0] == (f'Failed to pull image "{STORE}": rpc error: code = NotFound desc = failed to pull and '
                           f'unpack image "{STORE}": failed to resolve reference "{STORE}": {STORE}: not found')


def test_the_registry_travels_with_a_snapshot(cluster):
    cluster.registry_push(V1, STORE)
    saved = cluster.snapshot()
    cluster.registry_push(V2, STORE)
    cluster.registry_push(V2, "localhost:5001/other:1")
    cluster.restore(saved)
    assert cluster.registry_tags() == [(STORE, D1, V1)]
    create_pod(cluster, "after", STORE, node="kubenb-worker")
    assert image_id(cluster, "after") == f"localhost:5001/store@{D1}"


def test_the_same_seed_gives_the_same_pushes_and_pulls():
    from kubenb import Cluster

    outputs = []
    for _ in range(2):
        cluster = Cluster(seed=3)
        cluster.registry_push(V1, STORE)
        cluster.kubectl(f"create deployment store --image={STORE} --replicas=2")
        cluster.advance(5)
        cluster.registry_push(V2, STORE)
        cluster.kubectl("rollout restart deployment/store")
        cluster.advance(30)
        outputs.append(cluster.kubectl("get pods -o custom-columns=NAME:.metadata.name,"
                                       "IMAGEID:.status.containerStatuses[0].imageID").stdout)
    assert outputs[0] == outputs[1]
    assert D2 in outputs[0] and D1 not in outputs[0]


# --- notebook 11, section 5 --------------------------------------------------------------------------

def test_notebook_11_section_5_shows_two_versions_then_pins_one(capsys, golden):
    from kubenb.jupyter.control import run_control
    from kubenb.jupyter.session import Session

    cells = notebook_11_cells()
    mine = [i for i, c in enumerate(cells) if str(c.get("id", "")).startswith("11-latest-")]
    assert 4 <= mine[-1] - mine[0] + 1 <= 7  # the cells right after the section's markdown cell
    assert "## 5. The `latest` tag" in cells[mine[0] - 1]["md"]["en"]
    session = Session()
    run_control(session, "reset --seed 0")
    for cell in cells[:mine[0]]:
        if "code" in cell:
            run_code_cell(session, code_of(cell))
    capsys.readouterr()
    outputs = []
    for cell in cells[mine[0]:mine[-1] + 1]:
        if "code" not in cell:
            continue
        run_code_cell(session, cell["code"])
        captured = capsys.readouterr()
        outputs.append(f"--- {cell['code'].splitlines()[0]}\n{captured.out}{captured.err}")
    text = "".join(outputs)
    same, mixed, pinned = outputs[2], outputs[4], outputs[5]
    assert same.count("Version: 1.0.0") == 2 and same.count(D1) == 2
    assert mixed.count("Version: 1.0.0") == 1 and mixed.count("Version: 2.0.0") == 1
    assert mixed.count(D1) == 1 and mixed.count(D2) == 1
    assert pinned.count(D2) == 2 and D1 not in pinned
    assert "error" not in text.lower()
    assert text.rstrip().endswith('pod "client" deleted')
    golden("notebooks/11-section-5-latest", text)
    # The section cleans up after itself: nothing of it is left for the next sections.
    left = [p["metadata"]["name"] for p in session.cluster.client.list("pods", "default")]
    assert [name for name in left if name == "client" or name.startswith("store-")] == []
