"""Training: everything that imports scikit-learn, and the trainers of every model.

Trainers are found by name (``propscope train NAME``). Nothing in inference imports this
package; it may import inference code (features, models, analyzers) freely.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

#: Trainer of each model: ``train(data_dir, out_dir, languages, folds, seed) -> manifest``.
TRAINERS: dict[str, str] = {
    "genre": "propscope.training.genre:train",
    "frames": "propscope.training.frames:train",
    "techniques": "propscope.training.techniques:train",
    "evidence": "propscope.training.evidence:train",
    "techniques_encoder": "propscope.training.encoder:train_techniques",
    "genre_encoder": "propscope.training.encoder:train_genre",
    "frames_encoder": "propscope.training.encoder:train_frames",
    "evidence_encoder": "propscope.training.evidence_encoder:train",
}


def trainable_names() -> list[str]:
    return list(TRAINERS)


def get_trainer(name: str) -> Callable[..., dict]:
    target = TRAINERS.get(name)
    if target is None:
        raise KeyError(f"no trainer for {name!r} (known: {', '.join(TRAINERS)})")
    module, function = target.split(":")
    return getattr(importlib.import_module(module), function)
