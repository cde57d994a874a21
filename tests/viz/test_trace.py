"""viz.trace: the control-plane activity of one command as a table and a sequence picture."""

from kubenb.api.store import TraceEntry
from kubenb.viz import trace

T0 = 1735689600.0  # 2025-01-01T00:00:00Z

ENTRIES = [
    TraceEntry(1, T0, "kubectl", "create", "deployments", "default", "web"),
    TraceEntry(2, T0, "deployment-controller", "create", "replicasets", "default", "web-6d4f"),
    TraceEntry(3, T0 + 1.5, "default-scheduler", "bind", "pods", "default", "web-6d4f-x2", "to kubenb-worker"),
]


def test_table_lists_entries_in_order():
    assert trace.trace_table(ENTRIES) == (
        "kubenb: trace from 2025-01-01T00:00:00Z\n"
        "#   TIME    COMPONENT               VERB     OBJECT                         DETAIL\n"
        "1   +0s     kubectl                 create   deployments/default/web\n"
        "2   +0s     deployment-controller   create   replicasets/default/web-6d4f\n"
        "3   +1.5s   default-scheduler       bind     pods/default/web-6d4f-x2       to kubenb-worker\n")


def test_empty_trace_says_so():
    assert trace.trace_table([]) == "kubenb: the last command made no change through the API server\n"


def test_sequence_picture_has_a_lifeline_per_component_and_an_arrow_per_entry():
    svg = trace.sequence_svg(ENTRIES)
    assert svg.count('class="participant"') == 4  # the API server plus three callers
    assert svg.index("<title>kube-apiserver</title>") < svg.index("<title>kubectl</title>")
    assert svg.count('class="message"') == 3
    assert "3. bind pods/default/web-6d4f-x2" in svg
