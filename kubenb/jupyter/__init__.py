"""The notebook edge: the only package that imports IPython, ipywidgets or traitlets.

- ``extension``: ``%load_ext kubenb`` (magics, the think-time hook);
- ``magics``: ``%%kubectl``, ``%kubectl``, ``%%manifest``, ``%kubenb``;
- ``control``: the ``%kubenb`` subcommands; ``cellparse``: the cell's tiny shell syntax;
- ``session``: one cluster per kernel (``kubenb.current()``);
- ``display``: kubectl's output as terminal streams;
- ``ticker``: the opt-in real-time clock; ``widgets``: ClusterGraph, Controls and QuizView;
- ``quizcell``: ``%%quiz`` (and the hooks of ``kubenb.quiz.check``); ``grade``: ``kubenb grade``.
"""
