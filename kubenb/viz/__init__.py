"""Pictures of cluster state: ``graph`` (state -> DOT, read through an api.Client), ``render``
(DOT -> SVG, the only importer of graphviz, with a pure-Python fallback), ``trace`` (the control
plane's activity as a table and a sequence diagram), ``styles`` (colours and shapes)."""
