"""Object generators for kubectl's imperative commands (kubectl ``pkg/cmd/create/create_*.go``, ``run``, ``expose``).

Each builder returns a plain dict whose keys are inserted in the Go struct
field order of the typed object, because ``-o json`` prints that order while
``-o yaml`` sorts keys. ``output`` holds the flags and printing shared by every
command that may ``--dry-run`` an object.
"""
