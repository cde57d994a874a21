"""``-o yaml``, ``-o json`` and ``-o name`` as kubectl prints them.

- YAML: sigs.k8s.io/yaml (go-yaml v2 underneath): keys sorted, block style,
  lists not indented under their key, strings that would read back as another
  type double-quoted (``"80"``, ``"true"``, ``"2025-01-01T00:00:00Z"``).
  PyYAML's SafeDumper single-quotes those, hence the representer below.
- JSON: encoding/json MarshalIndent with 4 spaces, keys sorted.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

# Plain scalars that YAML 1.1 would resolve to something other than a string.
_NEEDS_QUOTES = re.compile(
    r"""^(?:
        ~|null|Null|NULL|
        y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|
        [-+]?(?:0b[0-1_]+|0[0-7_]+|(?:0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+|[1-9][0-9_]*(?::[0-5]?[0-9])+)|
        [-+]?(?:[0-9][0-9_]*)?\.[0-9.]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|
        [-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|
        [0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)?|
        [-+]?[0-9]+[eE][-+]?[0-9]+|
        =|<<
    )$""",
    re.X,
)


class _KubectlDumper(yaml.SafeDumper):
    """SafeDumper already writes go-yaml's indentless sequences ("containers:\n- name: x")."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    if _NEEDS_QUOTES.match(value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _represent_none(dumper: yaml.SafeDumper, _value: None) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:null", "null")


_KubectlDumper.add_representer(str, _represent_str)
_KubectlDumper.add_representer(type(None), _represent_none)


def to_yaml(obj: Any) -> str:
    return yaml.dump(obj, Dumper=_KubectlDumper, default_flow_style=False, sort_keys=True, allow_unicode=True,
                     width=float("inf"))


def to_json(obj: Any) -> str:
    return json.dumps(obj, indent=4, sort_keys=True, ensure_ascii=False) + "\n"
