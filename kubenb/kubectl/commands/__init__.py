"""kubectl verbs: one module per top-level command, named after it (``api-resources`` -> api_resources.py).

Each module exports ``COMMAND``, a ``cli.Command`` (with sub-commands where
kubectl has them). They are imported lazily by ``cli.load_command``.
"""
