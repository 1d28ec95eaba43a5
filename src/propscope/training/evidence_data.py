"""Training data of the evidence model: SemEval span annotations as token label matrices.

Only the trainer and its tests import this module (it uses scipy.sparse).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..analyzers.evidence_decode import TokenTable
from ..document import Article
from ..errors import InputError
from ..evaluation.formats import read_labels
from ..features.function_words import weak_tokens
from ..features.tokens import TokenFeaturizer
from ..ingest.semeval import FOLDER_LANGUAGES, iter_semeval_dir
from ..models.artifact import fingerprint_files
from ..taxonomy import TECHNIQUE_LABELS
from .data import folders_for

LABEL_INDEX = {label: i for i, label in enumerate(TECHNIQUE_LABELS)}


@dataclass
class SpanCorpus:
    articles: list[Article]
    # article id -> [(technique, start, end)] as annotated (offsets into Article.text)
    spans: dict[str, list[tuple[str, int, int]]]
    # (article id, line) -> [techniques]: the paragraph labels of subtask 3
    paragraph_labels: dict[tuple[str, int], list[str]]
    fingerprint: str


def read_span_file(path: Path) -> list[tuple[str, int, int]]:
    spans = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 4 or fields[1] not in LABEL_INDEX:
            raise InputError(str(path), f"line {number}: not ID<TAB>technique<TAB>start<TAB>end")
        spans.append((fields[1], int(fields[2]), int(fields[3])))
    return spans


def load_span_corpus(data_dir: Path, languages: Iterable[str] | None = None) -> SpanCorpus:
    """Training articles, their span annotations and their paragraph labels."""
    data_dir = Path(data_dir)
    articles: list[Article] = []
    spans: dict[str, list[tuple[str, int, int]]] = {}
    paragraph_labels: dict = {}
    used: list[Path] = []
    for folder in folders_for(languages):
        root = data_dir / folder
        articles_dir = root / "train-articles-subtask-3"
        spans_dir = root / "train-labels-subtask-3-spans"
        labels_file = root / "train-labels-subtask-3.txt"
        if not (articles_dir.is_dir() and spans_dir.is_dir() and labels_file.is_file()):
            raise InputError(str(root), "no subtask-3 span training data")
        paragraph_labels.update(read_labels(labels_file, "techniques"))
        used.append(labels_file)
        for article in iter_semeval_dir(articles_dir, language=FOLDER_LANGUAGES[folder]):
            span_file = spans_dir / f"article{article.id}-labels-subtask-3.txt"
            if not span_file.is_file():
                continue
            articles.append(article)
            spans[article.id] = read_span_file(span_file)
            used += [Path(article.path), span_file]
    return SpanCorpus(articles, spans, paragraph_labels, fingerprint_files(used, data_dir))


def clip_to_paragraphs(article: Article, spans: list[tuple[str, int, int]]):
    """Gold spans cut at paragraph boundaries (a few annotations run over a line end).

    Returns [(paragraph index, technique, start, end)], dropping pieces that hold only spaces.
    """
    pieces = []
    for label, start, end in spans:
        for index, paragraph in enumerate(article.paragraphs):
            a, b = max(start, paragraph.start), min(end, paragraph.end)
            if b > a and article.text[a:b].strip():
                pieces.append((index, label, a, b))
    return pieces


@dataclass
class TokenData:
    table: TokenTable
    X: object  # scipy.sparse.csr_matrix, tokens x 2**bits
    Y: np.ndarray  # uint8, tokens x labels
    paragraphs: list[tuple[int, int]]  # global paragraph index -> (article index, paragraph index)
    token_article: np.ndarray  # article index of each token
    gold: list[tuple[str, str, int, int]]  # (article id, technique, start, end), clipped


def build_token_data(
    corpus: SpanCorpus, featurizer: TokenFeaturizer, whole_phrases: bool = True
) -> TokenData:
    """Tokens, features and gold of every paragraph; ``whole_phrases`` marks function words so
    that decoding grows highlights to whole phrases, as the analyzer does."""

    starts, ends, para, sent, arts, weak = [], [], [], [], [], []
    indices, indptr_parts, labels = [], [], []
    s_indices, s_indptr_parts = [], []
    s_nnz = 0
    paragraphs: list[tuple[int, int]] = []
    gold = []
    sentence_offset = 0
    nnz = 0
    for a_index, article in enumerate(corpus.articles):
        pieces = clip_to_paragraphs(article, corpus.spans.get(article.id, []))
        gold += [(article.id, label, s, e) for _, label, s, e in pieces]
        by_paragraph: dict[int, list] = {}
        for p_index, label, s, e in pieces:
            by_paragraph.setdefault(p_index, []).append((label, s, e))
        for p_index, paragraph in enumerate(article.paragraphs):
            if paragraph.boilerplate:
                continue
            tokens = featurizer.tokens(paragraph.text)
            n = len(tokens)
            g = len(paragraphs)
            paragraphs.append((a_index, p_index))
            if not n:
                continue
            abs_starts = tokens.starts.astype(np.int64) + paragraph.start
            abs_ends = tokens.ends.astype(np.int64) + paragraph.start
            y = np.zeros((n, len(TECHNIQUE_LABELS)), dtype=np.uint8)
            for label, s, e in by_paragraph.get(p_index, []):
                inside = (abs_starts < e) & (abs_ends > s)
                y[inside, LABEL_INDEX[label]] = 1
            starts.append(abs_starts)
            ends.append(abs_ends)
            weak.append(weak_tokens(paragraph.text, tokens.starts, tokens.ends))
            para.append(np.full(n, g, dtype=np.int64))
            sent.append(tokens.sentence.astype(np.int64) + sentence_offset)
            sentence_offset += len(tokens.sentence_bounds)
            arts.append(np.full(n, a_index, dtype=np.int64))
            indices.append(tokens.indices.ravel())
            indptr_parts.append(np.arange(1, n + 1, dtype=np.int64) * tokens.indices.shape[1] + nnz)
            nnz += tokens.indices.size
            s_indices.append(tokens.sentence_indices)
            s_indptr_parts.append(tokens.sentence_offsets[1:] + s_nnz)
            s_nnz += int(tokens.sentence_offsets[-1])
            labels.append(y)
    width = 1 << featurizer.bits
    X = _csr(indices, indptr_parts, width)
    sentence_matrix = _csr(s_indices, s_indptr_parts, width)
    table = TokenTable(
        np.concatenate(starts),
        np.concatenate(ends),
        np.concatenate(para),
        np.concatenate(sent),
        np.concatenate(weak) if whole_phrases else None,
    )
    # every token also carries the features of its sentence
    X = (X + sentence_matrix[table.sentence]).tocsr()
    X.sum_duplicates()
    return TokenData(table, X, np.vstack(labels), paragraphs, np.concatenate(arts), gold)


def _csr(indices: list[np.ndarray], indptr_parts: list[np.ndarray], width: int):
    import scipy.sparse as sp

    indptr = np.concatenate([[0], *indptr_parts]).astype(np.int64)
    flat = np.concatenate(indices).astype(np.int32)
    return sp.csr_matrix(
        (np.ones(len(flat), dtype=np.float32), flat, indptr), shape=(len(indptr) - 1, width)
    )
