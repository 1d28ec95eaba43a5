"""Genre, frames and evidence on a truncated encoder (its first N layers), with their own trainers.

    PYTHONPATH=src .venv/bin/python experiments/encoder_layers.py vectors --layers 8 --cache DIR
    PROPSCOPE_CACHE=DIR .venv/bin/propscope train genre --model encoder --data DATA --out OUT
    PROPSCOPE_CACHE=DIR .venv/bin/propscope train frames --model encoder --data DATA --out OUT
    PROPSCOPE_CACHE=DIR PYTHONPATH=src .venv/bin/python experiments/encoder_layers.py evidence \\
        --layers 8 --out OUT

``vectors`` fills a vector cache under DIR (the layout of ``training/embed_cache.py``) with the
mean-pooled output of layer N for every training paragraph of the three tasks, two processes,
where the trainers look for the shipped depth (``LAYERS``); they then read it instead of the
cache in ~/.cache/propscope. The models shipped since run 8 layers; N = 12 reproduces the
12-layer rows of docs/encoder.md. ``evidence`` runs the evidence trainer
with the forward pass cut to N layers (its token states are cached under ``$PROPSCOPE_CACHE``,
so point that away from the 12-layer cache first). The techniques rows of docs/encoder.md come
from ``techniques_mlp.py layers``.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
from pathlib import Path

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import numpy as np  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "semeval2023"


def _embed(args):
    from propscope.models.encoder import Forward

    texts, layers = args
    return Forward(threads=1, layers=layers).embed(texts)


def fill_vectors(data_dir: Path, layers: int, cache_dir: Path, processes: int = 2):
    from multiprocessing import get_context

    from propscope.models.encoder import IMAGE_SHA256, LAYERS
    from propscope.training.embed_cache import EmbeddingCache, text_key, training_texts

    texts = list(dict.fromkeys(training_texts(data_dir)))
    chunks = [(texts[i : i + 64], layers) for i in range(0, len(texts), 64)]
    with get_context("spawn").Pool(processes) as pool:
        vectors = np.concatenate(list(pool.imap(_embed, chunks)))
    cache = EmbeddingCache(cache_dir / "e5" / IMAGE_SHA256[:16] / f"numpy-{LAYERS}-layers")
    cache._save_shard([text_key(t) for t in texts], vectors)
    print(f"{len(texts)} vectors of layer {layers} in {cache.root}")


def evidence(data_dir: Path, layers: int, out: Path):
    from propscope.models.encoder import Forward
    from propscope.training import evidence_encoder

    evidence_encoder.Forward = functools.partial(Forward, layers=layers)
    manifest = evidence_encoder.train(data_dir, out, workers=1)
    gated = manifest["metrics"]["gated"]
    per_language = {lang: v["f1"] for lang, v in gated["per_language"].items()}
    print(json.dumps({"overall": gated["overall"], "f1": per_language}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["vectors", "evidence"])
    parser.add_argument("--layers", type=int, default=8)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cache", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.command == "vectors":
        if args.cache is None:
            parser.error("vectors needs --cache DIR")
        fill_vectors(args.data, args.layers, args.cache)
    else:
        if args.out is None:
            parser.error("evidence needs --out DIR")
        evidence(args.data, args.layers, args.out)


if __name__ == "__main__":
    main()
