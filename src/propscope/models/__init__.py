"""Inference-side models: trained artifacts and the code that runs them (no training code)."""
