"""The image catalog the simulated container runtime plays (course data: kubenb/course/images.yaml).

Mirrors what containerd knows about an image after a pull (reference
normalisation as docker/distribution's reference package does it, a
repository digest, a size) plus what a lesson needs to know about the
process inside: its default command, ports, log lines, HTTP answers. The
YAML schema is documented at the top of images.yaml; the network helper
reads ``ports`` and ``http`` through ``lookup``.

Pull failures use containerd's wording as kubelet reports it:
``rpc error: code = NotFound desc = failed to pull and unpack image ...``.

``Registry`` is the registries' side of a pull: what a name like
``localhost:5001/shop:latest`` points at *now*. A lesson moves a tag as
``docker tag X Y && docker push Y`` would (``Cluster.registry_push``,
``%kubenb registry push``); the pushed name keeps the content's digest, as a
real push keeps the manifest digest. Each node keeps what it pulled (name ->
digest and content), so a node that already has a moved tag keeps the old
content under IfNotPresent, while Always or a fresh node gets the new one.
Left out: registries that need credentials (everything is public), digests
pinned by users being checked against the catalog, deleting tags.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

import yaml

from kubenb.course import image_digests

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


@functools.lru_cache(maxsize=4096)  # a pure function of the text (ImageRef is frozen); called at every sync
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
    return image_digests.content_digest(ref.repository, ref.tag)


def image_id(ref: ImageRef, digest: str = "") -> str:
    """status.containerStatuses[].imageID: docker.io/library/nginx@sha256:...

    ``digest`` is the one the container's node pulled (a moved tag's old or new content)."""
    return f"{ref.repository}@{digest or image_digest(ref)}"


def running_image(c: dict) -> str:
    """The image whose catalog entry a container record runs: the content its node pulled, else its name."""
    return c.get("content") or c.get("image", "")


class Registry:
    """The registries every node pulls from: the catalog's tags, plus the tags a lesson pushed.

    ``pushed`` maps repository -> tag -> content (a catalog reference such as
    ``gcr.io/google-samples/hello-app:2.0``); ``manifests`` keeps every digest a repository was
    given, so a Pod pinned to an old digest still pulls after the tag moved on (as in a real
    registry, an untagged manifest stays until garbage collection).
    """

    def __init__(self) -> None:
        self.pushed: dict[str, dict[str, str]] = {}
        self.manifests: dict[str, list[str]] = {}

    def resolve(self, ref: ImageRef) -> str | None:
        """The catalog content ``ref`` names now ("docker.io/library/nginx:1.27"), None when it does not exist."""
        if ref.digest:
            content = image_digests.content_of(ref.digest)
            if ref.digest in self.manifests.get(ref.repository, []) and content:
                return content
            if ref.repository in catalog():
                return content if content and content.rsplit(":", 1)[0] == ref.repository else ref.full
            return None
        pushed = self.pushed.get(ref.repository, {})
        if ref.tag in pushed:
            return pushed[ref.tag]
        return ref.full if exists(ref) else None

    def digest_of(self, ref: ImageRef, content: str) -> str:
        """The digest a pull of ``ref`` records: the content's (a push keeps the manifest digest)."""
        if ref.digest:
            return ref.digest
        content_ref = parse_reference(content)
        assert content_ref is not None
        return image_digest(content_ref)

    def push(self, source: str, target: str) -> tuple[str, str]:
        """``docker tag SOURCE TARGET && docker push TARGET``: (TARGET normalised, its new digest).

        Raises ValueError with a kubenb message when SOURCE does not exist or TARGET is not a tag."""
        source_ref = parse_reference(source)
        if source_ref is None:
            raise ValueError(f'kubenb: "{source}" is not a valid image reference')
        content = self.resolve(source_ref)
        if content is None:
            raise ValueError(f"kubenb: image {source_ref.full} not found: push an image the catalog or "
                             "an earlier push has")
        target_ref = parse_reference(target)
        if target_ref is None or target_ref.digest:
            raise ValueError(f'kubenb: "{target}" is not a valid tag to push to (REPOSITORY[:TAG])')
        digest = self.digest_of(source_ref, content)
        self.pushed.setdefault(target_ref.repository, {})[target_ref.tag] = content
        known = self.manifests.setdefault(target_ref.repository, [])
        if digest not in known:
            known.append(digest)
        return target_ref.full, digest

    def tags(self, repository: str = "") -> list[tuple[str, str, str]]:
        """(name:tag, digest, content) of the pushed tags (of one repository, given in any form), sorted."""
        wanted = ""
        if repository:
            ref = parse_reference(repository)
            wanted = ref.repository if ref is not None else repository
        rows = []
        for repo in sorted(self.pushed):
            if wanted and repo != wanted:
                continue
            for tag in sorted(self.pushed[repo]):
                content = self.pushed[repo][tag]
                rows.append((f"{repo}:{tag}", self.digest_of(ImageRef(tag, repo, tag), content), content))
        if wanted in catalog():
            for tag in catalog()[wanted].get("tags") or []:
                ref = ImageRef(str(tag), wanted, str(tag))
                if ref.tag not in self.pushed.get(wanted, {}):
                    rows.append((ref.full, image_digest(ref), ref.full))
        return sorted(rows)

    def state(self) -> dict:
        return {"pushed": {repo: dict(tags) for repo, tags in self.pushed.items()},
                "manifests": {repo: list(digests) for repo, digests in self.manifests.items()}}

    def set_state(self, state: dict) -> None:
        self.pushed = {repo: dict(tags) for repo, tags in state.get("pushed", {}).items()}
        self.manifests = {repo: list(digests) for repo, digests in state.get("manifests", {}).items()}


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
