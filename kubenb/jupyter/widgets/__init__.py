"""jupyter/widgets: ClusterGraph (a live SVG picture) and Controls (play/pause/step for the clock)."""
