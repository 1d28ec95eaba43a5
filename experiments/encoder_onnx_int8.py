"""Could onnxruntime run the encoder faster than numpy? (docs/encoder.md, "Runtimes tried")

    pip install onnx onnxruntime   # not propscope dependencies; only this experiment uses them
    taskset -c 0 .venv/bin/python experiments/encoder_onnx_int8.py [--data DIR] [--per-language 4]

Builds the 12 transformer layers of the pinned e5 image as an ONNX graph from the arrays of
``propscope.models.encoder.Forward`` (nothing written to disk), once in float32 and once with
every weight matrix quantised to int8 per output column (activations quantised per tensor at
run time: ``com.microsoft.DynamicQuantizeMatMul``). Embeddings and the first LayerNorm stay in
numpy. Prints seconds on one thread for the paragraphs of the first ``--per-language`` test
articles of each language, and the cosine of each runtime's vectors to numpy's.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from common import DEFAULT_DATA, unlabelled_article_folders  # noqa: E402


def build_session(forward, quantised: bool):
    import onnxruntime as ort
    from onnx import TensorProto, helper, numpy_helper

    image, weights = forward.image, forward._load()
    hidden, heads = image.hidden, image.heads
    nodes, tensors = [], []

    def constant(name, value):
        value = np.asarray(value)
        tensors.append(numpy_helper.from_array(np.require(value, requirements="C"), name))
        return name

    def op(kind, inputs, output, domain="", **attributes):
        nodes.append(helper.make_node(kind, inputs, [output], domain=domain, **attributes))
        return output

    def dense(x, matrix, bias, name):
        if not quantised:
            return op("Add", [op("MatMul", [x, constant(name + ".w", matrix)], name + ".mm"),
                              constant(name + ".b", bias)], name)  # fmt: skip
        scale = np.maximum(np.abs(matrix).max(axis=0) / 127.0, 1e-12).astype(np.float32)
        q = np.clip(np.round(matrix / scale), -127, 127).astype(np.int8)
        zero = np.zeros(q.shape[1], np.int8)
        inputs = [x, constant(name + ".q", q), constant(name + ".s", scale),
                  constant(name + ".z", zero), constant(name + ".b", bias)]  # fmt: skip
        return op("DynamicQuantizeMatMul", inputs, name, domain="com.microsoft")

    constant("split_heads", np.array([0, 0, 3, heads, hidden // heads], np.int64))
    constant("merge_heads", np.array([0, 0, hidden], np.int64))
    constant("scale", np.float32(1 / np.sqrt(hidden // heads)))
    x = "x"
    for n, layer in enumerate(weights["layers"]):
        p = f"l{n}"
        qkv = op("Reshape", [dense(x, layer["qkv"], layer["qkv_b"], p + ".qkv"), "split_heads"],
                 p + ".heads")  # fmt: skip
        qkv = op("Transpose", [qkv], p + ".t", perm=[2, 0, 3, 1, 4])  # (3, batch, heads, len, d)
        q, k, v = (
            op("Gather", [qkv, constant(f"{p}.i{i}", np.int64(i))], f"{p}.{name}", axis=0)
            for i, name in enumerate("qkv")
        )
        scores = op("MatMul", [q, op("Transpose", [k], p + ".kt", perm=[0, 1, 3, 2])], p + ".s")
        scores = op("Add", [op("Mul", [scores, "scale"], p + ".ss"), "mask"], p + ".sm")
        context = op("MatMul", [op("Softmax", [scores], p + ".p", axis=-1), v], p + ".c")
        context = op("Transpose", [context], p + ".ct", perm=[0, 2, 1, 3])
        context = op("Reshape", [context, "merge_heads"], p + ".cr")
        x = op("LayerNormalization",
               [op("Add", [dense(context, layer["ao"], layer["ao_b"], p + ".ao"), x], p + ".r1"),
                constant(p + ".aln.w", layer["aln"][0]), constant(p + ".aln.b", layer["aln"][1])],
               p + ".x1", axis=-1, epsilon=image.eps)  # fmt: skip
        middle = op("Gelu", [dense(x, layer["fi"], layer["fi_b"], p + ".fi")], p + ".g",
                    domain="com.microsoft")  # fmt: skip
        x = op("LayerNormalization",
               [op("Add", [dense(middle, layer["fo"], layer["fo_b"], p + ".fo"), x], p + ".r2"),
                constant(p + ".oln.w", layer["oln"][0]), constant(p + ".oln.b", layer["oln"][1])],
               p + ".x2", axis=-1, epsilon=image.eps)  # fmt: skip
    op("Identity", [x], "states")
    graph = helper.make_graph(
        nodes,
        "e5",
        [
            helper.make_tensor_value_info("x", TensorProto.FLOAT, ["B", "L", hidden]),
            helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["B", 1, 1, "L"]),
        ],
        [helper.make_tensor_value_info("states", TensorProto.FLOAT, ["B", "L", hidden])],
        initializer=tensors,
    )
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)]
    )
    model.ir_version = 8
    options = ort.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    return ort.InferenceSession(model.SerializeToString(), options)


def embed(session, forward, windows, tokens=2048) -> np.ndarray:
    """Mean-pooled, normalised vectors of one-window texts, shortest windows batched together."""
    from propscope.models.encoder import _layer_norm

    image, weights = forward.image, forward._load()
    out = np.zeros((len(windows), image.hidden), np.float32)
    order = sorted(range(len(windows)), key=lambda i: len(windows[i]))
    start = 0
    while start < len(order):
        chunk, size = [], 0
        while start < len(order) and size < tokens:
            chunk.append(order[start])
            size += len(windows[order[start]])
            start += 1
        width = max(len(windows[i]) for i in chunk)
        ids = np.full((len(chunk), width), image.pad, np.int64)
        present = np.zeros((len(chunk), width), np.float32)
        for row, i in enumerate(chunk):
            ids[row, : len(windows[i])] = windows[i]
            present[row, : len(windows[i])] = 1
        x = image.word_rows(ids.ravel()).reshape(len(chunk), width, -1)
        x = _layer_norm(x + weights["pos"][:width] + weights["type"], *weights["eln"], image.eps)
        mask = ((1 - present) * -1e4)[:, None, None, :].astype(np.float32)
        states = session.run(None, {"x": x.astype(np.float32), "mask": mask})[0]
        for row, i in enumerate(chunk):
            vector = states[row, : len(windows[i])].mean(axis=0)
            out[i] = vector / np.linalg.norm(vector)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--per-language", type=int, default=4)
    args = parser.parse_args()
    from propscope.models.encoder import Forward

    texts = [
        line.strip()
        for _, folder in unlabelled_article_folders(args.data)
        for path in sorted(folder.glob("*.txt"))[: args.per_language]
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    forward = Forward(layers=None)  # all 12 layers, as docs/encoder.md measured them
    started = time.process_time()
    windows = [forward.windows(text)[0] for text in texts]  # the first window of each text
    tokenised = time.process_time() - started
    started = time.process_time()
    reference = forward.embed(texts)
    numpy_seconds = time.process_time() - started
    tokens = sum(map(len, windows))
    print(f"{len(texts)} paragraphs, {tokens} tokens; tokenizer {tokenised:.1f} s CPU")
    print(f"numpy float32: {numpy_seconds:.1f} s CPU, {tokens / numpy_seconds:.0f} tokens/s")
    for quantised in (False, True):
        session = build_session(forward, quantised)
        embed(session, forward, windows[:20])  # warm up
        started = time.process_time()
        vectors = embed(session, forward, windows)
        seconds = time.process_time() - started
        cosine = (vectors * reference).sum(axis=1)
        name = "onnxruntime int8" if quantised else "onnxruntime float32"
        print(
            f"{name}: {seconds:.1f} s CPU, {tokens / seconds:.0f} tokens/s; cosine to numpy"
            f" min {cosine.min():.4f}, mean {cosine.mean():.4f}"
        )


if __name__ == "__main__":
    main()
