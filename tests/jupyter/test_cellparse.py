"""The %%kubectl cell syntax."""

import pytest

from kubenb.jupyter.cellparse import CellSyntaxError, parse_commands, parse_duration


def test_lines_comments_continuations_and_prompts():
    commands = parse_commands("# intro\nkubectl get pods  # trailing\n\n$ kubectl get \\\n   nodes -o wide\n")
    assert [(c.argv, c.lineno) for c in commands] == [(["get", "pods"], 2), (["get", "nodes", "-o", "wide"], 4)]
    assert commands[1].line == "get nodes -o wide"


def test_heredoc_variants():
    for opener in ("<<EOF", "<< EOF", "<<'EOF'", '<<"EOF"'):
        (command,) = parse_commands(f"apply -f - {opener}\nkind: A\nEOF\n")
        assert command.argv == ["apply", "-f", "-"] and command.stdin == "kind: A\n"
    (command,) = parse_commands("cat <<END | kubectl apply -f -\nkind: B\nEND\n")
    assert command.argv == ["apply", "-f", "-"] and command.stdin == "kind: B\n"
    (command,) = parse_commands("apply -f - <<-EOF\n\tkind: C\n\tEOF\n")
    assert command.stdin == "kind: C\n"


def test_commands_after_a_heredoc_still_run():
    commands = parse_commands("apply -f - <<EOF\nkind: A\nEOF\nget pods\n")
    assert [c.argv for c in commands] == [["apply", "-f", "-"], ["get", "pods"]]


def test_rest_of_cell_is_stdin_without_heredoc():
    (command,) = parse_commands("create -f -\nkind: A\n# kept: YAML comment\n")
    assert command.stdin == "kind: A\n# kept: YAML comment\n"


def test_quoting_keeps_hashes_inside_quotes():
    (command,) = parse_commands("get pods -o jsonpath='{.items[*].metadata.name}#x'\n")
    assert command.argv == ["get", "pods", "-o", "jsonpath={.items[*].metadata.name}#x"]


def test_errors():
    with pytest.raises(CellSyntaxError, match="line 2: No closing quotation"):
        parse_commands("get pods\nget 'pods\n")


@pytest.mark.parametrize(("text", "seconds"), [("30s", 30), ("2m", 120), ("1h30m", 5400), ("1m30s", 90),
                                               ("45", 45), ("0.5s", 0.5)])
def test_durations(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "-5", "5x", "1e9", "nan"])
def test_bad_durations(text):
    with pytest.raises(ValueError, match="kubenb: "):
        parse_duration(text)
