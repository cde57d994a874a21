"""``%kubenb registry push IMAGE --as NAME:TAG`` and ``%kubenb registry list [REPOSITORY]``."""

from __future__ import annotations

from kubenb.course import image_digests
from kubenb.jupyter.control import run_control

D1 = image_digests.content_digest("gcr.io/google-samples/hello-app", "1.0")
D2 = image_digests.content_digest("gcr.io/google-samples/hello-app", "2.0")


def test_help_lists_the_registry_commands(session, capsys):
    assert run_control(session, "help") == 0
    out = capsys.readouterr().out
    assert "%kubenb registry push IMAGE --as NAME:TAG" in out
    assert "%kubenb registry list [REPOSITORY]" in out
    session.lang = "ja"
    run_control(session, "help")
    assert "レジストリの NAME:TAG を IMAGE の中身に向ける" in capsys.readouterr().out


def test_push_then_list_prints_kubenb_lines(session, capsys):
    assert run_control(session, "registry list") == 0
    assert capsys.readouterr().out == ("kubenb: no tags pushed yet (%kubenb registry push IMAGE --as NAME:TAG)\n")
    assert run_control(session, "registry push gcr.io/google-samples/hello-app:1.0 --as localhost:5001/store") == 0
    assert run_control(session, "registry push gcr.io/google-samples/hello-app:2.0 --as localhost:5001/store:2.0") == 0
    out = capsys.readouterr().out
    assert out == (f"kubenb: pushed localhost:5001/store:latest (digest {D1}); nodes get it at their next pull of "
                   "the name\n"
                   f"kubenb: pushed localhost:5001/store:2.0 (digest {D2}); nodes get it at their next pull of "
                   "the name\n")
    assert run_control(session, "registry list localhost:5001/store") == 0
    assert capsys.readouterr().out == (
        f"kubenb: localhost:5001/store:2.0 -> {D2} (the image gcr.io/google-samples/hello-app:2.0)\n"
        f"kubenb: localhost:5001/store:latest -> {D1} (the image gcr.io/google-samples/hello-app:1.0)\n")
    session.lang = "ja"
    assert run_control(session, "registry list") == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        f"kubenb: localhost:5001/store:2.0 -> {D2}（中身は gcr.io/google-samples/hello-app:2.0）")


def test_mistakes_are_one_kubenb_line_and_change_nothing(session, capsys):
    cases = {
        "registry push gcr.io/google-samples/hello-app:1.0":
            "kubenb: registry push needs IMAGE and --as NAME:TAG (see %kubenb help)\n",
        "registry push nginx:0.0.0-nope --as localhost:5001/store:latest":
            "kubenb: image docker.io/library/nginx:0.0.0-nope not found: push an image the catalog or an earlier "
            "push has\n",
        "registry push nginx:1.27 --as Store:1":
            'kubenb: "Store:1" is not a valid tag to push to (REPOSITORY[:TAG])\n',
        "registry list --as x:1": "kubenb: --as belongs to registry push (see %kubenb help)\n",
        "registry tag a b": "kubenb: argument action: invalid choice: 'tag' (choose from 'push', 'list') "
                            "(see %kubenb help)\n",
    }
    for line, message in cases.items():
        assert run_control(session, line) == 1, line
        out, err = capsys.readouterr()
        assert (out, err) == ("", message), line
    assert session.cluster.registry_tags() == []
