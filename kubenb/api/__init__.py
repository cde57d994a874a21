"""kube-apiserver in miniature: the store, the write pipeline and the Client everyone uses."""

from kubenb.api.client import Client, KubeletConnection
from kubenb.api.errors import FieldError, StatusError
from kubenb.api.store import Store

__all__ = ["Client", "FieldError", "KubeletConnection", "StatusError", "Store"]
