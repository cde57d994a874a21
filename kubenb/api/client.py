"""Client: the one narrow surface through which kubectl, controllers, kubelets and quizzes act.

Mirrors what a client-go clientset offers over REST (get, list, create,
update, patch, delete, plus the status, scale, binding, log and exec
subresources) and what the apiserver's registry does behind it (admission,
graceful deletion, finalizers). Every call copies: nothing handed out aliases
the store.

Each Client carries the identity of its caller (``component``), which names
the author of every control-plane trace entry; ``for_component`` makes a
sibling that shares the same server.

A Client made by ``for_user`` (kubectl ``--as``) is checked by RBAC
(api.authorization) on every request, as the apiserver's authorizer does.

Left out: authentication, chunked lists, watch bookmarks, server-side apply.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from typing import Any, Literal, Protocol

from kubenb.api import admission, authorization, errors, limits, objects, resources, selectors
from kubenb.api import patch as patching
from kubenb.api.events import EventRecorder
from kubenb.api.resources import ResourceType
from kubenb.api.store import Store
from kubenb.sim.clock import VirtualClock, format_rfc3339
from kubenb.sim.rand import SeededRandom

# Objects added to the model after the random stream's users were pinned by tests and notebooks:
# their uids are derived (store position + name) instead of drawn, so adding them shifts no other
# object's uid or generated name. A uid is opaque in Kubernetes; nothing reads its randomness.
SIDE_UID_RESOURCES = frozenset({"controllerrevisions"})


def _side_uid(store: Store, md: dict) -> str:
    seed = f"{store.resource_version}/{md.get('namespace', '')}/{md['name']}".encode()
    return str(uuid.UUID(bytes=hashlib.sha256(seed).digest()[:16], version=4))


PatchType = Literal["strategic", "merge", "json"]


class KubeletConnection(Protocol):
    """What the apiserver proxies to a kubelet (``kubectl logs`` and ``exec``); wired by ``cluster``."""

    def logs(self, namespace: str, pod: str, container: str | None, *, previous: bool = False,
             tail: int | None = None, timestamps: bool = False) -> str: ...

    def exec(self, namespace: str, pod: str, container: str | None, command: list[str],
             stdin: str = "") -> tuple[str, str, int]: ...


class _Server:
    """State shared by every Client view of one cluster."""

    def __init__(self, store: Store, clock: VirtualClock, rand: SeededRandom) -> None:
        self.store = store
        self.clock = clock
        self.rand = rand
        self.kubelets: KubeletConnection | None = None
        self.plugins: list[admission.AdmissionPlugin] = []
        self.recorder = EventRecorder(store, clock, rand)
        self.writes_by_component: dict[str, int] = {}
        self.max_objects = limits.MAX_OBJECTS_PER_RESOURCE
        # Off: every write takes every check. On (a non-strict Cluster): see Client._trusted.
        self.trust_components = False


# (apiVersion, kind) -> its registered type: every write resolves its body's type, and the table is
# fixed. Only registered pairs are kept, so a user's made-up kinds cannot grow it.
_TYPE_OF_BODY: dict[tuple[str, str], ResourceType] = {}


def _type_of_body(obj: dict) -> ResourceType | None:
    """``resources.for_object``, remembered per (apiVersion, kind)."""
    api_version, kind = obj.get("apiVersion", ""), obj.get("kind", "")
    if type(api_version) is not str or type(kind) is not str:
        return resources.for_object(obj)
    rtype = _TYPE_OF_BODY.get((api_version, kind))
    if rtype is None:
        rtype = resources.for_object(obj)
        if rtype is not None:
            _TYPE_OF_BODY[(api_version, kind)] = rtype
    return rtype


def _as_type(resource: str | ResourceType) -> ResourceType:
    if isinstance(resource, ResourceType):
        return resource
    rtype = resources.resolve(resource)
    if rtype is None:
        raise errors.not_found(resource, "")  # programming error in kubenb, not a user's
    return rtype


class Client:
    def __init__(self, store: Store, clock: VirtualClock, rand: SeededRandom, *,
                 component: str = "kubectl", server: _Server | None = None,
                 user: authorization.UserInfo | None = None) -> None:
        self._server = server or _Server(store, clock, rand)
        self.component = component
        # None: the kubeconfig's admin or a control-plane component (never checked); else RBAC applies.
        self.user = user
        # Whether this caller is a control-plane component (``_trusted``); fixed for the view's life,
        # so every write does not test the name again.
        self._is_component = (user is None and component not in USER_COMPONENTS
                              and not component.startswith("kubectl:"))

    # --- identity and wiring -------------------------------------------------------
    def for_component(self, component: str) -> Client:
        return Client(self._server.store, self._server.clock, self._server.rand, component=component,
                      server=self._server)

    def for_user(self, name: str, groups: list[str] | tuple[str, ...] = ()) -> Client:
        """A view acting as an impersonated user (``kubectl --as``): every request passes RBAC."""
        return Client(self._server.store, self._server.clock, self._server.rand, component=f"kubectl:as:{name}",
                      server=self._server, user=authorization.user_info(name, groups))

    def review_access(self, verb: str, group: str, resource: str, namespace: str = "", name: str = "",
                      subresource: str = "") -> bool:
        """What a SelfSubjectAccessReview answers for this client's identity."""
        if self.user is None:
            return True
        return authorization.authorize(self._server.store, self.user, authorization.Attributes(
            verb, group, resource, namespace, name, subresource))

    def who_am_i(self) -> authorization.UserInfo:
        """What a SelfSubjectReview answers: the kubeconfig's admin, or the impersonated user."""
        return self.user or authorization.ADMIN

    def _authorize(self, verb: str, rtype: ResourceType, namespace: str | None, name: str = "",
                   subresource: str = "") -> None:
        if self.user is None:
            return
        attrs = authorization.Attributes(verb, rtype.group, rtype.plural,
                                         (namespace or "") if rtype.namespaced else "", name, subresource or "")
        if not authorization.authorize(self._server.store, self.user, attrs):
            raise errors.forbidden_error(authorization.forbidden_message(self.user, attrs))

    def trust_components(self, enabled: bool) -> None:
        """Let control-plane components and kubelets skip the checks their writes cannot fail (``_trusted``).

        A Cluster turns this on unless ``strict``: tests run strict, so a component that writes a
        malformed object still fails loudly there.
        """
        self._server.trust_components = enabled

    def _trusted(self) -> bool:
        """A write by the control plane (not kubectl, not notebook Python, not an impersonated user).

        Upstream these components send typed Go structs: the strict decoder never finds an unknown
        field in them, and their requests never come near the 3 MiB body limit. So, for them only:
        no request sizing, no strict schema walk, and a status write (which keeps the stored spec
        and metadata) is validated for what it may change, which no validator constrains yet.
        """
        return self._server.trust_components and self._is_component

    def _unchecked(self) -> Client:
        """The same caller after its one authorization check (patch reads and writes as one request)."""
        if self.user is None:
            return self  # nothing to drop: no new view per write
        return Client(self._server.store, self._server.clock, self._server.rand, component=self.component,
                      server=self._server)

    @property
    def clock(self) -> VirtualClock:
        return self._server.clock

    @property
    def rand(self) -> SeededRandom:
        return self._server.rand

    @property
    def store(self) -> Store:
        """The store, for the layers that compose the cluster (watch wiring, snapshots) only."""
        return self._server.store

    @property
    def event_recorder(self) -> EventRecorder:
        """The shared event recorder, for snapshots (its sequence feeds Event names)."""
        return self._server.recorder

    def set_kubelet_connection(self, connection: KubeletConnection) -> None:
        self._server.kubelets = connection

    def add_admission_plugin(self, plugin: admission.AdmissionPlugin) -> None:
        self._server.plugins.append(plugin)

    def now(self) -> str:
        return format_rfc3339(self._server.clock.now())

    def write_count(self, component: str) -> int:
        """How many writes clients named ``component`` have made (quizzes spot writes behind kubectl)."""
        return self._server.writes_by_component.get(component, 0)

    # --- reads ---------------------------------------------------------------------------------------
    def get(self, resource: str | ResourceType, name: str, namespace: str | None = None) -> dict:
        rtype = _as_type(resource)
        self._authorize("get", rtype, namespace, name)
        obj = self._server.store.get(rtype.plural, namespace if rtype.namespaced else None, name)
        if obj is None:
            raise errors.not_found(rtype.group_resource, name)
        return objects.clone(obj)

    def try_get(self, resource: str | ResourceType, name: str, namespace: str | None = None) -> dict | None:
        rtype = _as_type(resource)
        self._authorize("get", rtype, namespace, name)
        obj = self._server.store.get(rtype.plural, namespace if rtype.namespaced else None, name)
        return None if obj is None else objects.clone(obj)

    def get_view(self, resource: str | ResourceType, name: str, namespace: str | None = None) -> dict | None:
        """Like ``try_get`` but without copying: the caller promises not to mutate (hot read paths)."""
        rtype = _as_type(resource)
        self._authorize("get", rtype, namespace, name)
        return self._server.store.get(rtype.plural, namespace if rtype.namespaced else None, name)

    def list(self, resource: str | ResourceType, namespace: str | None = None, *, label_selector: str = "",
             field_selector: str = "") -> list[dict]:
        """Objects sorted by (namespace, name), like etcd. ``namespace=None`` lists every namespace."""
        return [objects.clone(o) for o in self.list_view(resource, namespace, label_selector=label_selector,
                                                          field_selector=field_selector)]

    def list_view(self, resource: str | ResourceType, namespace: str | None = None, *,
                  label_selector: str = "", field_selector: str = "") -> list[dict]:
        """Like ``list`` but without copying: the caller promises not to mutate (hot read paths)."""
        rtype = _as_type(resource)
        self._authorize("list", rtype, namespace)
        items = self._server.store.items(rtype.plural, namespace if rtype.namespaced else None)
        if label_selector:
            selector = selectors.parse(label_selector)
            items = [o for o in items if selector.matches(objects.labels(o))]
        if field_selector:
            predicate = selectors.parse_field_selector(field_selector)
            items = [o for o in items if predicate(o)]
        return items

    def controlled_view(self, resource: str | ResourceType, namespace: str, owner_uid: str | None) -> list[dict]:
        """``list_view`` narrowed to the objects whose controller reference has ``owner_uid`` (None: the
        objects with no controller), from an index: a controller's sync stays proportional to its own."""
        rtype = _as_type(resource)
        self._authorize("list", rtype, namespace)
        store = self._server.store
        if not store.has_index(rtype.plural, CONTROLLER_INDEX):
            store.add_index(rtype.plural, CONTROLLER_INDEX, _controller_key)
        return store.by_index(rtype.plural, CONTROLLER_INDEX, (namespace, owner_uid is not None, owner_uid))

    # --- writes ----------------------------------------------------------------------------------------
    def create(self, obj: dict, *, namespace: str | None = None, dry_run: bool = False) -> dict:
        return self._create(obj, namespace=namespace, dry_run=dry_run)

    def create_owned(self, obj: dict) -> None:
        """``create`` for a caller that hands over a fresh object it never touches again and needs no
        copy back (the event recorder): the same checks, two copies fewer."""
        self._create(obj, namespace=None, dry_run=False, owned=True)

    def _create(self, obj: dict, *, namespace: str | None, dry_run: bool, owned: bool = False) -> dict:
        server = self._server
        trusted = self._trusted()
        if not trusted:
            limits.check_request_size(obj)
        if not owned:
            obj = objects.clone(obj)
        rtype = _type_of_body(obj)
        if rtype is None:
            raise errors.bad_request(f'no kind "{obj.get("kind")}" is registered for version '
                                     f'"{obj.get("apiVersion")}"')
        if not isinstance(obj.get("metadata"), dict):
            obj["metadata"] = {}
        md = obj["metadata"]
        if any(not isinstance(md.get(key, ""), str) for key in ("name", "namespace", "generateName")):
            admission.check_schema(rtype, obj)  # the body's decoder refuses it before anything else looks
        if rtype.namespaced:
            ns = md.get("namespace") or namespace or "default"
            md["namespace"] = ns
            self._authorize("create", rtype, ns)
            self._check_namespace(rtype, ns, md.get("name") or md.get("generateName", ""))
        else:
            self._authorize("create", rtype, None)
            md.pop("namespace", None)
        if not md.get("name") and md.get("generateName"):
            md["name"] = server.rand.generate_name(str(md["generateName"]))
        if not md.get("name"):
            raise errors.invalid_object(rtype.kind, "", [errors.required(
                "metadata.name", "name or generateName is required")], rtype.group)
        # System fields the client may not set.
        for key in ("uid", "resourceVersion", "creationTimestamp", "deletionTimestamp",
                    "deletionGracePeriodSeconds", "selfLink", "managedFields"):
            md.pop(key, None)
        # System fields are filled before admission, as the apiserver's create handler does
        # (the Job strategy's generated selector needs the uid).
        md["uid"] = _side_uid(server.store, md) if rtype.plural in SIDE_UID_RESOURCES else server.rand.uid()
        md["creationTimestamp"] = self.now()
        # A trusted recorder's Event (create_owned) is built from stored, validated objects only: its
        # name and namespace are theirs. Strict clusters still validate it.
        admission.admit_create(rtype, obj, trusted=trusted, validate=not (trusted and owned and rtype.kind == "Event"))
        apiserver = self._unchecked()  # admission reads as the apiserver, not as the user
        for plugin in server.plugins:
            plugin("CREATE", rtype, obj, None, apiserver)
        existing = server.store.get(rtype.plural, md.get("namespace"), md["name"])
        if existing is not None:
            raise errors.already_exists(rtype.group_resource, md["name"])
        if dry_run:
            md["resourceVersion"] = str(server.store.resource_version + 1)  # not stored
            return obj
        if server.store.count(rtype.plural) >= server.max_objects:
            raise errors.too_many_requests(f"kubenb: the simulator holds at most {server.max_objects} "
                                           f"{rtype.plural}")
        if rtype.plural == "pods":
            limits.check_pod_count(server.store.count("pods"))
        if not (trusted and rtype.kind == "Event"):  # an event's fields come from checked objects
            limits.check_stored_size(obj)
        self._record("create", rtype, obj)
        server.store.put(rtype.plural, obj, created=True)
        return obj if owned else objects.clone(obj)

    def update(self, obj: dict, *, subresource: str | None = None, dry_run: bool = False) -> dict:
        """Replace an object; ``metadata.resourceVersion``, when given, must be the current one."""
        return self._update(obj, subresource=subresource, dry_run=dry_run, owned=False)

    def update_owned(self, obj: dict, *, subresource: str | None = None) -> None:
        """``update`` for a caller that hands ``obj`` over (never reads or changes it again) and needs
        no copy back (the event recorder, a kubelet's status writes): the same checks and the same
        stored result, fewer copies."""
        self._update(obj, subresource=subresource, dry_run=False, owned=True)

    def _update(self, obj: dict, *, subresource: str | None, dry_run: bool, owned: bool) -> dict:
        server = self._server
        trusted = self._trusted()
        if not trusted:
            limits.check_request_size(obj)
        if subresource == "status" and isinstance(obj.get("metadata"), dict):
            # A status write keeps only the body's status: its spec and metadata are replaced by the
            # stored ones below. Copy the status, and the metadata's top level (read, then replaced).
            obj = {key: objects.clone(value) if key == "status" else value for key, value in obj.items()}
            obj["metadata"] = dict(obj["metadata"])
        elif (owned and obj.get("kind") == "Event" and obj.get("apiVersion") == "v1"
              and isinstance(obj.get("metadata"), dict)):
            # An Event's update (no defaulter, no strategy, no admission plugin acts on it) changes
            # only its top level and its metadata's; the rest of a handed-over body is never
            # changed again by anyone, so it may be shared (the recorder's count bumps).
            obj = {**obj, "metadata": dict(obj["metadata"])}
        else:
            obj = objects.clone(obj)
        rtype = _type_of_body(obj)
        if rtype is None:
            raise errors.bad_request(f'no kind "{obj.get("kind")}" is registered for version '
                                     f'"{obj.get("apiVersion")}"')
        md = obj.setdefault("metadata", {})
        if not isinstance(md, dict) or any(not isinstance(md.get(key, ""), str) for key in ("name", "namespace")):
            admission.check_schema(rtype, obj, on_update=True)  # the body's decoder refuses it first
        ns = (md.get("namespace") or "default") if rtype.namespaced else None
        if rtype.namespaced:
            md["namespace"] = ns
        else:
            md.pop("namespace", None)
        name = md.get("name", "")
        self._authorize("update", rtype, ns, name, subresource or "")
        old = server.store.get(rtype.plural, ns, name)
        if old is None:
            raise errors.not_found(rtype.group_resource, name)
        wanted_rv = md.get("resourceVersion")
        if wanted_rv and wanted_rv != old["metadata"]["resourceVersion"]:
            raise errors.conflict(rtype.group_resource, name, errors.MODIFIED_CONFLICT)
        # Fields the server owns.
        for key in ("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds"):
            if key in old["metadata"]:
                md[key] = old["metadata"][key]
            else:
                md.pop(key, None)
        # The strategy copies old's spec into a status write. A kubelet's Pod status write may share
        # it with the stored old version instead of a copy: stored objects are never changed in place,
        # and no admission plugin changes a Pod on update.
        shared_old = trusted and subresource == "status" and rtype.kind == "Pod"
        if subresource == "status":
            # Status writes keep the object's metadata except what the server lets them touch. Only
            # its top level changes from here on (generation, resourceVersion): a shared write may
            # keep the nested values (labels, owners) the stored old version holds.
            obj["metadata"] = dict(old["metadata"]) if shared_old else objects.clone(old["metadata"])
        # Only a kind with a status subresource takes anything from old into obj (its status, or
        # for a status write its spec); for the others the strategy only reads old.
        if not shared_old and (subresource == "status" or rtype.kind in admission.strategies.STATUS_SUBRESOURCE):
            old_for_strategy = objects.clone(old)
        else:
            old_for_strategy = old
        admission.admit_update(rtype, obj, old_for_strategy, subresource=subresource, trusted=trusted)
        apiserver = self._unchecked()  # admission reads as the apiserver, not as the user
        for plugin in server.plugins:
            plugin("UPDATE", rtype, obj, old, apiserver)
        if dry_run:
            return objects.clone(obj) if shared_old else obj  # a shared write holds the stored spec
        if _same_content(obj, old):
            # A no-op write does not bump resourceVersion, as etcd.
            return old if owned else objects.clone(old)
        # Finalizers emptied on an object being deleted: it goes now.
        if md.get("deletionTimestamp") and not md.get("finalizers") and rtype.kind != "Pod" and not (
                # A Namespace also waits for spec.finalizers ("kubernetes"), emptied by the namespace controller.
                rtype.kind == "Namespace" and (subresource == "status" or (obj.get("spec") or {}).get("finalizers"))):
            self._record("delete", rtype, obj, "finalizers removed")
            server.store.remove(rtype.plural, ns, name)
            return obj
        if not (trusted and (subresource == "status" or rtype.kind == "Event")):
            # A trusted status write keeps the checked spec and metadata; status is the writer's own.
            limits.check_stored_size(obj)
        self._record("update-status" if subresource == "status" else "update", rtype, obj)
        server.store.put(rtype.plural, obj, created=False, old=old)
        return obj if owned else objects.clone(obj)

    def update_status(self, obj: dict) -> dict:
        return self.update(obj, subresource="status")

    def patch(self, resource: str | ResourceType, name: str, namespace: str | None, patch: dict | list,
              patch_type: PatchType = "strategic", *, subresource: str | None = None,
              dry_run: bool = False) -> dict:
        rtype = _as_type(resource)
        self._authorize("patch", rtype, namespace, name, subresource or "")
        if self.user is not None:
            return self._unchecked().patch(rtype, name, namespace, patch, patch_type, subresource=subresource,
                                           dry_run=dry_run)
        current = self.get(rtype, name, namespace)
        patched = patching.apply_patch(current, patch, patch_type, rtype)
        if not isinstance(patched, dict):
            raise errors.bad_request("the patch produced a value that is not an object")
        patched.setdefault("metadata", {})["resourceVersion"] = current["metadata"]["resourceVersion"]
        if patched["metadata"].get("name") != name:
            raise errors.bad_request(f'the name of the object ({patched["metadata"].get("name")}) does not '
                                     f"match the name on the URL ({name})")
        return self.update(patched, subresource=subresource, dry_run=dry_run)

    def mutate(self, resource: str | ResourceType, name: str, namespace: str | None,
               change: Callable[[dict], Any], *, subresource: str | None = None) -> dict:
        """Read, change in place, write back: the get-modify-update loop controllers use."""
        obj = self.get(resource, name, namespace)
        change(obj)
        return self.update(obj, subresource=subresource)

    def delete(self, resource: str | ResourceType, name: str, namespace: str | None = None, *,
               propagation_policy: str | None = None, grace_period_seconds: int | None = None,
               dry_run: bool = False) -> dict:
        """Delete as the apiserver's registry does: graceful for Pods on a node, finalizers first.

        Returns the object as it now is (with deletionTimestamp) or as it was when removed.
        """
        server = self._server
        rtype = _as_type(resource)
        ns = namespace if rtype.namespaced else None
        self._authorize("delete", rtype, ns, name)
        current = server.store.get(rtype.plural, ns, name)
        if current is None:
            raise errors.not_found(rtype.group_resource, name)
        if dry_run:
            return objects.clone(current)
        # A delete changes only the top level of the object's metadata (and a Namespace's status
        # phase): the new version copies those levels and shares the rest with the stored one, which
        # is never changed in place. What goes back to the caller is a full copy.
        obj = {**current, "metadata": dict(current["metadata"])}
        md = obj["metadata"]
        policy = propagation_policy or "Background"
        finalizers = list(md.get("finalizers") or [])
        if policy == "Orphan" and "orphan" not in finalizers and rtype.kind not in ("Pod", "Event"):
            finalizers.append("orphan")
        if policy == "Foreground" and "foregroundDeletion" not in finalizers and rtype.kind not in ("Pod", "Event"):
            finalizers.append("foregroundDeletion")
        if rtype.kind == "Namespace":
            if md.get("deletionTimestamp"):
                return objects.clone(obj)
            md["deletionTimestamp"] = self.now()
            md["deletionGracePeriodSeconds"] = 0
            obj["status"] = {**(obj.get("status") or {}), "phase": "Terminating"}
            self._record("delete", rtype, obj, "namespace terminating")
            server.store.put(rtype.plural, obj, created=False, old=current)
            return objects.clone(obj)
        if rtype.kind == "Pod":
            grace = grace_period_seconds
            if grace is None:
                grace = int(obj.get("spec", {}).get("terminationGracePeriodSeconds", 30))
            scheduled = bool(obj.get("spec", {}).get("nodeName"))
            finished = obj.get("status", {}).get("phase") in ("Succeeded", "Failed")
            if scheduled and not finished and grace > 0 and not finalizers:
                if md.get("deletionTimestamp"):
                    # A second delete may only shorten the grace period.
                    if grace < int(md.get("deletionGracePeriodSeconds", grace)):
                        md["deletionGracePeriodSeconds"] = grace
                        md["deletionTimestamp"] = format_rfc3339(server.clock.now() + grace)
                        server.store.put(rtype.plural, obj, created=False, old=current)
                    return objects.clone(obj)
                md["deletionTimestamp"] = format_rfc3339(server.clock.now() + grace)
                md["deletionGracePeriodSeconds"] = grace
                self._record("delete", rtype, obj, f"graceful, {grace}s")
                server.store.put(rtype.plural, obj, created=False, old=current)
                return objects.clone(obj)
        if finalizers:
            if not md.get("deletionTimestamp"):
                md["finalizers"] = finalizers
                md["deletionTimestamp"] = self.now()
                md["deletionGracePeriodSeconds"] = 0
                if rtype.kind in admission.strategies.TRACKS_GENERATION and rtype.kind != "Pod":
                    md["generation"] = md.get("generation", 1) + 1
                self._record("delete", rtype, obj, "waiting for finalizers " + ",".join(finalizers))
                server.store.put(rtype.plural, obj, created=False, old=current)
            return objects.clone(obj)
        self._record("delete", rtype, obj)
        server.store.remove(rtype.plural, ns, name)
        return objects.clone(obj)

    # --- subresources -----------------------------------------------------------------------------------
    def bind(self, pod_name: str, namespace: str, node_name: str) -> dict:
        """pods/binding: sets spec.nodeName and the PodScheduled condition, as the registry does."""
        rtype = resources.by_plural("pods")
        self._authorize("get", rtype, namespace, pod_name)
        server = self._server
        old = server.store.get("pods", namespace, pod_name)
        if old is None:
            raise errors.not_found(rtype.group_resource, pod_name)
        if old["spec"].get("nodeName"):
            raise errors.conflict("pods", pod_name, f"pod {pod_name} is already assigned to node "
                                  f'"{old["spec"]["nodeName"]}"')
        # Stored objects are never changed in place, so the bound version copies only the levels the
        # binding writes (metadata's, spec's and status's top level) and shares the rest with ``old``.
        status = dict(old.get("status") or {})
        conditions = [c for c in status.get("conditions", []) if c["type"] != "PodScheduled"]
        conditions.append({"type": "PodScheduled", "status": "True", "lastProbeTime": None,
                           "lastTransitionTime": self.now()})
        status["conditions"] = conditions
        pod = {**old, "metadata": dict(old["metadata"]), "spec": {**old["spec"], "nodeName": node_name},
               "status": status}
        self._record("bind", resources.by_plural("pods"), pod, f"to {node_name}")
        server.store.put("pods", pod, created=False, old=old)
        return objects.clone(pod)

    def logs(self, namespace: str, pod: str, container: str | None = None, **options: Any) -> str:
        self._authorize("get", resources.by_plural("pods"), namespace, pod, "log")
        if self._server.kubelets is None:
            raise errors.internal("no kubelet connection")
        return self._server.kubelets.logs(namespace, pod, container, **options)

    def exec(self, namespace: str, pod: str, container: str | None, command: list[str],
             stdin: str = "") -> tuple[str, str, int]:
        self._authorize("create", resources.by_plural("pods"), namespace, pod, "exec")
        if self._server.kubelets is None:
            raise errors.internal("no kubelet connection")
        return self._server.kubelets.exec(namespace, pod, container, command, stdin)

    # --- events ---------------------------------------------------------------------------------------------
    def event(self, involved: dict, type_: str, reason: str, message: str, *, host: str | None = None,
              field_path: str | None = None) -> None:
        """Record a core/v1 Event from this client's component (aggregated like client-go's recorder)."""
        self._server.recorder.record(self, involved, type_, reason, message, host=host, field_path=field_path)

    # --- internals -------------------------------------------------------------------------------------------
    def _check_namespace(self, rtype: ResourceType, namespace: str, name: str) -> None:
        if rtype.kind == "Namespace":
            return
        ns_obj = self._server.store.get("namespaces", None, namespace)
        if ns_obj is None:
            raise errors.not_found("namespaces", namespace)
        if ns_obj["metadata"].get("deletionTimestamp") and rtype.kind != "Event":
            raise errors.forbidden_error(
                f'{rtype.group_resource} "{name}" is forbidden: unable to create new content in namespace '
                f"{namespace} because it is being terminated")

    def _record(self, verb: str, rtype: ResourceType, obj: dict, detail: str = "") -> None:
        server = self._server
        server.writes_by_component[self.component] = server.writes_by_component.get(self.component, 0) + 1
        if rtype.kind == "Event":
            return  # events are their own record; keep the trace about the objects
        md = obj["metadata"]
        server.store.record(server.clock.now(), self.component, verb, rtype.plural, md.get("namespace"),
                            md.get("name", ""), detail)


# Components that act for a person: their writes always take every check.
USER_COMPONENTS = frozenset({"kubectl", "python"})

CONTROLLER_INDEX = "controller"


def _controller_key(obj: dict) -> tuple:
    ref = objects.controller_ref(obj)
    namespace = obj["metadata"].get("namespace") or ""
    return (namespace, False, None) if ref is None else (namespace, True, ref.get("uid"))


def _same_content(new: dict, old: dict) -> bool:
    """Whether an update changes nothing but metadata.resourceVersion (compared in place, no copies:
    a status write's spec is often the stored one itself, which ``is`` settles at once)."""
    if new.keys() != old.keys():
        return False
    for key, value in new.items():
        other = old[key]
        if value is other:
            continue
        if key == "metadata" and isinstance(value, dict) and isinstance(other, dict):
            if value.keys() - {"resourceVersion"} != other.keys() - {"resourceVersion"}:
                return False
            if any(v != other[k] for k, v in value.items() if k != "resourceVersion"):
                return False
        elif value != other:
            return False
    return True
