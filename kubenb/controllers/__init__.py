"""kube-controller-manager: one module per controller, named after its resource.

``CONTROLLER_TABLE`` lists, in the order they run each round, the module and
class of every controller a fresh cluster runs; the order is part of what
makes a cluster deterministic. A controller class takes the cluster's
``Client`` (its clock and random source come with it) and is a
``reconcile.Controller``. Modules load when a cluster is built, which keeps
``import kubenb`` cheap.
"""

from __future__ import annotations

import importlib

from kubenb.api import Client
from kubenb.reconcile import Controller

# (module under kubenb, class name); the order is the order of each reconcile round.
CONTROLLER_TABLE: list[tuple[str, str]] = [
    ("kubenb.controllers.namespace", "NamespaceController"),
    ("kubenb.controllers.serviceaccount", "ServiceAccountController"),
    ("kubenb.controllers.rootcacert", "RootCACertPublisher"),
    ("kubenb.controllers.garbage_collector", "GarbageCollector"),
    ("kubenb.controllers.deployment", "DeploymentController"),
    ("kubenb.controllers.replicaset", "ReplicaSetController"),
    ("kubenb.controllers.daemonset", "DaemonSetController"),
    ("kubenb.controllers.statefulset", "StatefulSetController"),
    ("kubenb.controllers.job", "JobController"),
    ("kubenb.controllers.cronjob", "CronJobController"),
    ("kubenb.controllers.horizontalpodautoscaler", "HorizontalController"),
    ("kubenb.controllers.endpointslice", "EndpointSliceController"),
    ("kubenb.controllers.endpoints", "EndpointsController"),
    ("kubenb.controllers.node_lifecycle", "NodeLifecycleController"),
    ("kubenb.controllers.persistentvolume", "PersistentVolumeController"),
    ("kubenb.controllers.resourcequota", "ResourceQuotaController"),
]


def default_controllers(client: Client) -> list[Controller]:
    """Build the controllers of the table whose modules exist, in table order."""
    built: list[Controller] = []
    for module_name, class_name in CONTROLLER_TABLE:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name == module_name:
                continue  # not written yet
            raise
        built.append(getattr(module, class_name)(client))
    return built
