"""Inference: reading model artifacts and running their linear heads (numpy and scipy only).

Nothing here imports scikit-learn or :mod:`propscope.training`; the shipped artifacts live in
the sub-folders (``genre/``, ``frames/``, ``techniques/``, ``evidence/``).
"""
