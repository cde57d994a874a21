"""Deployment controller (pkg/controller/deployment): see ``controller.py`` for the entry point."""

from kubenb.controllers.deployment.controller import DeploymentController

__all__ = ["DeploymentController"]
