"""The image catalog the simulated container runtime plays (course data: kubenb/course/images.yaml).

Mirrors what containerd knows about an image after a pull (reference
normalisation as docker/distribution's reference package does it, a
repository digest, a size) plus what a lesson needs to know about the
process inside: its default command, ports, log lines, HTTP answers. The
YAML schema is documented at the top of images.yaml; the network helper
reads ``ports`` and ``http`` through ``lookup``.

Pull failures use containerd's wording as kubelet reports it:
``rpc error: code = NotFound desc = failed to pull and unpack image ...``.
Left out: registries that need credentials (everything is public), digests
pinned by users being checked against the catalog.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from importlib import resources

import yaml

# reference.ReferenceRegexp, loosely: lower-case path components, optional tag and digest.
_REFERENCE = re.compile(
    r"^(?:(?P<domain>[a-zA-Z0-9.-]+(?::[0-9]+)?)/)??(?P<path>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
    r"(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::(?P<tag>[\w][\w.-]{0,127}))?(?:@(?P<digest>sha256:[0-9a-f]{64}))?$")


@dataclass(frozen=True, slots=True)
class ImageRef:
    text: str  # as written in the Pod spec
    repository: str  # docker.io/library/nginx
    tag: str  # "latest" when none is given
    digest: str = ""

    @property
    def full(self) -> str:
        """docker.io/library/nginx:1.14.2, the name containerd resolves."""
        if self.digest:
            return f"{self.repository}@{self.digest}"
        return f"{self.repository}:{self.tag}"


def parse_reference(image: str) -> ImageRef | None:
    """Normalise as containerd does ("nginx" -> docker.io/library/nginx:latest); None when invalid."""
    match = _REFERENCE.match(image or "")
    if match is None or image != image.strip():
        return None
    first = image.split("/", 1)[0]
    has_domain = "/" in image and ("." in first or ":" in first or first == "localhost")
    if has_domain:
        repository = image.split("@")[0]
        if ":" in repository.rsplit("/", 1)[-1]:
            repository = repository.rsplit(":", 1)[0]
    else:
        path = image.split("@")[0]
        if ":" in path:
            path = path.rsplit(":", 1)[0]
        repository = "docker.io/" + (path if "/" in path else "library/" + path)
    return ImageRef(image, repository, match.group("tag") or "latest", match.group("digest") or "")


@functools.cache
def catalog() -> dict[str, dict]:
    text = resources.files("kubenb.course").joinpath("images.yaml").read_text()
    # libyaml's loader when PyYAML has it: the same data, parsed about ten times faster.
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader


def lookup(image: str) -> dict | None:
    """The catalog entry of an image reference (any tag of the repository), or None."""
    ref = parse_reference(image)
    if ref is None:
        return None
    return catalog().get(ref.repository)


def exists(ref: ImageRef) -> bool:
    entry = catalog().get(ref.repository)
    if entry is None:
        return False
    return bool(ref.digest) or ref.tag in [str(t) for t in entry.get("tags", [])]


def image_digest(ref: ImageRef) -> str:
    """A stable repository digest for a catalog image (what imageID shows after the @)."""
    if ref.digest:
        return ref.digest
    return "sha256:" + hashlib.sha256(f"kubenb:{ref.repository}:{ref.tag}".encode()).hexdigest()


def image_id(ref: ImageRef) -> str:
    """status.containerStatuses[].imageID: docker.io/library/nginx@sha256:..."""
    return f"{ref.repository}@{image_digest(ref)}"


def status_image(ref: ImageRef) -> str:
    """status.containerStatuses[].image: containerd reports the normalised name with its tag."""
    return ref.full


def size_of(ref: ImageRef) -> int:
    entry = catalog().get(ref.repository) or {}
    return int(entry.get("size", 10_000_000))


def pull_seconds(ref: ImageRef) -> float:
    entry = catalog().get(ref.repository) or {}
    return float(entry.get("pullSeconds", 2.0))


def is_private(ref: ImageRef) -> bool:
    return bool((catalog().get(ref.repository) or {}).get("private"))


def registry_host(ref: ImageRef) -> str:
    return ref.repository.split("/", 1)[0]


def pull_denied_error(ref: ImageRef) -> str:
    """A private image pulled without credentials for its registry."""
    full = ref.full
    return (f'failed to pull and unpack image "{full}": failed to resolve reference "{full}": pull access denied, '
            "repository does not exist or may require authorization: authorization failed: no basic auth "
            "credentials")


def pull_error(ref: ImageRef) -> str:
    """The runtime error for an image that cannot be pulled, as containerd words it."""
    full = ref.full
    head = f'rpc error: code = NotFound desc = failed to pull and unpack image "{full}": failed to resolve reference "{full}"'
    if ref.repository in catalog():
        return f"{head}: {full}: not found"
    if ref.repository.startswith("docker.io/"):
        return (f"{head}: pull access denied, repository does not exist or may require authorization: "
                "server message: insufficient_scope: authorization failed")
    return f"{head}: {full}: not found"
