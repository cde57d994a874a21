"""Content digests of the catalog's images (images.yaml), shared by the kubelet and the network.

A registry names an image's manifest by its sha256 digest, and pushing the same image under another
name keeps that digest (the manifest bytes do not change). kubenb has no manifests, so the digest
of catalog image REPOSITORY:TAG is the sha256 of "kubenb:REPOSITORY:TAG". Every tag a lesson pushes
(``kubenb.node.images.Registry``) points at one of these, so the digest in a container's
``imageID`` always leads back to the catalog content the container runs: the kubelet starts that
content, and the network answers HTTP requests with it.
Left out: real upstream digests, multi-platform indexes.
"""

from __future__ import annotations

import functools
import hashlib
from importlib import resources

import yaml


def content_digest(repository: str, tag: str) -> str:
    """sha256:... of catalog image ``repository:tag`` (docker.io/library/nginx, 1.27)."""
    return "sha256:" + hashlib.sha256(f"kubenb:{repository}:{tag}".encode()).hexdigest()


@functools.cache
def _by_digest() -> dict[str, str]:
    text = resources.files("kubenb.course").joinpath("images.yaml").read_text()
    catalog = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}  # noqa: S506 - safe
    index: dict[str, str] = {}
    for repository, entry in catalog.items():
        for tag in (entry or {}).get("tags") or []:
            index[content_digest(repository, str(tag))] = f"{repository}:{tag}"
    return index


def content_of(digest: str) -> str | None:
    """The catalog image ("gcr.io/google-samples/hello-app:2.0") a digest names, None when unknown."""
    return _by_digest().get(digest)
