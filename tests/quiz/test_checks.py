"""Each named check over a live cluster: what passes, what fails and what the failure says."""

from __future__ import annotations

import pytest

import kubenb.quiz as quiz
from kubenb.quiz.checks import CHECKS, image_pin_problem
from tests.quiz.conftest import deployment

SERVICE = ("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: {type}\n  selector:\n"
           "    app: {app}\n  ports:\n  - port: 80\n    targetPort: 80\n")
CLIENT_POD = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: client\n  labels: {role: client}\nspec:\n"
              "  containers:\n  - name: c\n    image: nginx:1.27\n")
INGRESS = ("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  rules:\n"
           "  - host: web.example.com\n    http:\n      paths:\n      - path: /app\n        pathType: Prefix\n"
           "        backend:\n          service:\n            name: {svc}\n            port:\n"
           "              number: 80\n")


def one(result):
    assert len(result.checks) == 1
    return result.checks[0]


def test_exists_with_field_comparisons(apply, grade):
    apply(deployment())
    ok = one(grade("id: q\nchecks:\n- exists: deployment/web\n  fields:\n    spec.replicas: {'>=': 2}\n"
                   "    spec.template.spec.containers[0].image: {matches: 'nginx:.*'}\n"))
    assert ok.passed and ok.message == ("deployment/web: spec.replicas is 3; "
                                        "deployment/web: spec.template.spec.containers[0].image is 'nginx:1.27'")
    bad = one(grade("id: q\nchecks:\n- exists: deployment/web\n  fields: {spec.replicas: 5}\n"))
    assert not bad.passed and bad.message == "deployment/web: spec.replicas is 3, expected 5"
    missing = one(grade("id: q\nchecks:\n- exists: deployment/web\n  fields: {spec.paused: {'==': true}}\n"))
    assert missing.message == "deployment/web: spec.paused is not set, expected True"
    absent = one(grade("id: q\nchecks:\n- exists: service/nope\n  namespace: kube-system\n"))
    assert absent.message == "service/nope: not found in namespace kube-system"


def test_rolled_out_waits_for_the_new_generation(cluster, apply, grade):
    apply(deployment())
    cluster.files["x.yaml"] = deployment("nginx:1.28")
    cluster.kubectl("apply -f x.yaml")
    result = one(grade("id: q\nchecks:\n- rolled_out: deployment/web\n"))
    assert not result.passed and result.message.startswith("deployment/web: 3/3 ready (")
    assert one(grade("id: q\nwait: 2m\nchecks:\n- rolled_out: deployment/web\n")).passed


def test_pods_ready_by_selector(apply, grade):
    apply(deployment("nginx:1.27", 2))
    assert one(grade("id: q\nchecks:\n- pods_ready: app=web\n  count: 2\n")).message == "2 Pods Ready with app=web"
    bad = one(grade("id: q\nchecks:\n- pods_ready: app=web\n  count: 3\n"))
    assert not bad.passed and bad.message == "2/3 Pods Ready with app=web (2 found)"


def test_service_type_selector_and_endpoints(apply, grade):
    apply(deployment() + "---\n" + SERVICE.format(type="NodePort", app="web"))
    ok = one(grade("id: q\nchecks:\n- service: web\n  type: NodePort\n  endpoints: 3\n"))
    assert ok.passed and ok.message == "service/web: type NodePort, selector matches 3 Pods, 3 endpoints"
    assert one(grade("id: q\nchecks:\n- service: web\n  type: LoadBalancer\n")).message == (
        "service/web: type is NodePort, expected LoadBalancer")
    apply(SERVICE.format(type="NodePort", app="webb"))
    assert one(grade("id: q\nchecks:\n- service: web\n")).message == (
        "service/web: selector app=webb matches no Pods; check the labels in the Pod template")


def test_service_endpoints_explained_by_pods(apply, grade):
    apply(deployment("ngnix:1.14") + "---\n" + SERVICE.format(type="ClusterIP", app="web"))
    bad = one(grade("id: q\nchecks:\n- service: web\n  endpoints: 3\n"))
    assert bad.message == ("service/web: 0 ready endpoints, expected 3; 3 Pod(s) in ImagePullBackOff: "
                           "image 'ngnix:1.14' not found")


def test_ingress_routes_host_and_path(apply, grade):
    apply(INGRESS.format(svc="web"), wait=0)
    assert one(grade("id: q\nchecks:\n- routes: web.example.com/app/x\n  to: web\n")).passed
    assert one(grade("id: q\nchecks:\n- routes: web.example.com/other\n  to: web\n")).message == (
        "no Ingress in namespace default routes web.example.com/other to service/web")
    apply(INGRESS.format(svc="api"), wait=0)
    assert one(grade("id: q\nchecks:\n- routes: web.example.com/app\n  to: web\n")).message == (
        "ingress/web routes web.example.com/app to service/api, expected service/web")


def test_request_from_a_pod(apply, grade):
    apply(deployment() + "---\n" + SERVICE.format(type="ClusterIP", app="web") + "---\n" + CLIENT_POD)
    ok = one(grade("id: q\nchecks:\n- request: http://web/\n  from_pod: client\n  body_contains: nginx\n"))
    assert ok.passed and ok.message == "GET http://web/ answered 200"
    bad = one(grade("id: q\nchecks:\n- request: http://nothing/\n  from_pod: client\n"))
    assert not bad.passed and bad.message.startswith("GET http://nothing/ failed: curl: (6) ")


def test_image_pinned_resources_and_probes(apply, grade):
    apply(deployment("nginx", 1))
    assert one(grade("id: q\nchecks:\n- image_pinned: deployment/web\n")).message == (
        "deployment/web: container nginx uses image 'nginx': no tag means latest; pin a version such as "
        "nginx:1.27")
    assert one(grade("id: q\nchecks:\n- resources: deployment/web\n")).message == (
        "deployment/web: container nginx does not set resources.requests.cpu")
    assert one(grade("id: q\nchecks:\n- probes: deployment/web\n")).message == (
        "deployment/web: container nginx has no readinessProbe")
    extra = ("        resources:\n          requests: {cpu: 100m, memory: 64Mi}\n"
             "          limits: {cpu: 200m, memory: 128Mi}\n"
             "        readinessProbe:\n          httpGet: {path: /, port: 80}\n"
             "        livenessProbe:\n          httpGet: {path: /, port: 80}\n")
    apply(deployment("nginx@sha256:" + "a" * 64, 1, extra))
    result = grade("id: q\nchecks:\n- image_pinned: deployment/web\n- resources: deployment/web\n"
                   "- probes: deployment/web\n")
    assert [c.passed for c in result.checks] == [True, True, True]


@pytest.mark.parametrize(("image", "problem"), [("nginx", "none"), ("nginx:latest", "latest"),
                                                 ("localhost:5000/app", "none"), ("localhost:5000/app:1.0", None),
                                                 ("nginx@sha256:abc", None), ("nginx:1.27", None)])
def test_image_pin_rule(image, problem):
    assert image_pin_problem(image) == problem


def test_concept_questions_read_notebook_variables(grade):
    choice = "id: q\nchecks:\n- choice: ans\n  options: {a: apiserver, b: scheduler}\n  correct: b\n"
    assert one(grade(choice, {"ans": "B"})).passed
    assert one(grade(choice, {"ans": "a"})).message == "ans: 'a' is not the right answer"
    assert one(grade(choice, {"ans": "z"})).message == "ans: 'z' is not one of the choices a, b"
    assert one(grade(choice, {})).message == "ans: no answer yet (set ans in a cell above)"
    released = "id: q\nchecks:\n- choice: ans\n  options: {a: apiserver, b: scheduler}\n"
    assert one(grade(released, {"ans": "a"})).passed
    short = "id: q\nchecks:\n- short_answer: ans\n  accept: [NodePort, 'node ?port']\n"
    assert one(grade(short, {"ans": "  nodeport "})).passed
    assert one(grade(short, {"ans": "node port"})).passed
    assert not one(grade(short, {"ans": "ClusterIP"})).passed


def test_points_partial_and_hidden(apply, grade):
    apply(deployment("nginx:latest"))
    text = ("id: q\npoints: 4\ncheckz: 1\n")
    with pytest.raises(quiz.QuizError, match="unknown key 'checkz'"):
        grade(text)
    partial = grade("id: q\npoints: 4\nchecks:\n- rolled_out: deployment/web\n  points: 3\n"
                    "- image_pinned: deployment/web\n  hidden: true\n")
    assert partial.score == 3 and [c.max_points for c in partial.checks] == [3, 1]
    assert quiz.render_text(partial).splitlines()[2] == "  ✘ (hidden check)  [0/1]"
    strict = grade("id: q\npoints: 4\npartial: false\nchecks:\n- rolled_out: deployment/web\n"
                   "- image_pinned: deployment/web\n")
    assert strict.score == 0


@pytest.mark.parametrize(("text", "message"), [
    ("- 1", "a quiz is a YAML mapping"),
    ("id: q\nchecks: []\n", "checks must be a non-empty list"),
    ("checks: [{exists: pod/x}]\n", "the quiz needs an id"),
    ("id: q\nchecks: [{exists: pod/x, image_pinned: pod/x}]\n", "must name exactly one check"),
    ("id: q\nchecks: [{exists: pod/x, colour: red}]\n", "does not know 'colour'"),
    ("id: q\npoints: 1\nchecks: [{exists: pod/x, points: 2}]\n", "add up to 2, not points: 1"),
    ("id: q\nwait: soon\nchecks: [{exists: pod/x}]\n", "wait must be a duration"),
    ("id: q\nchecks: [\n", "the YAML is broken on line"),
])
def test_malformed_quizzes_say_what_is_wrong(text, message):
    with pytest.raises(quiz.QuizError) as error:
        quiz.load(text)
    assert str(error.value).startswith("kubenb: quiz") and message in str(error.value)


def test_every_check_documents_itself():
    assert sorted(CHECKS) == ["choice", "exists", "follows_practices", "image_pinned", "pods_ready", "probes",
                              "request", "resources", "rolled_out", "routes", "service", "short_answer"]
    assert all(function.__doc__ for function in CHECKS.values())


def test_unschedulable_pods_quote_the_scheduler_event(apply, grade):
    apply(deployment("nginx:1.27", 1, "        resources:\n          requests: {cpu: '500'}\n"))
    result = one(grade("id: q\nchecks:\n- pods_ready: app=web\n"))
    assert result.message.startswith("0/1 Pods Ready with app=web (1 found); 1 Pod(s) in Pending (not scheduled): "
                                     "FailedScheduling: 0/3 nodes are available: ")
