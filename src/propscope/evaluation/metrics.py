"""The official SemEval-2023 Task 3 scores.

- genre: macro-averaged F1 over the classes present in gold or prediction;
- frames: micro-averaged F1 over all (article, frame) cells;
- techniques: micro-averaged F1 over all (paragraph, technique) cells, empty-gold paragraphs
  included; macro-F1 over the 23 techniques beside it.

A precision, recall or F1 whose denominator is zero counts as 0, as in scikit-learn's default.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import asdict, dataclass

from ..errors import FormatError
from ..taxonomy import FRAME_LABELS, TECHNIQUE_LABELS


@dataclass
class LabelScore:
    precision: float
    recall: float
    f1: float
    support: int  # gold count
    predicted: int


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = _ratio(tp, tp + fp)
    recall = _ratio(tp, tp + fn)
    return precision, recall, _ratio(2 * precision * recall, precision + recall)


def check_same_keys(gold: Mapping, pred: Mapping) -> None:
    """Every gold key must be predicted, and no other."""
    missing = [k for k in gold if k not in pred]
    extra = [k for k in pred if k not in gold]
    problems = []
    if missing:
        problems.append(f"{len(missing)} gold entries have no prediction (first: {missing[0]})")
    if extra:
        problems.append(f"{len(extra)} predictions are not in gold (first: {extra[0]})")
    if problems:
        raise FormatError("gold and prediction do not match: " + "; ".join(problems))


def genre_scores(gold: Mapping[str, str], pred: Mapping[str, str]) -> dict:
    check_same_keys(gold, pred)
    classes = sorted(set(gold.values()) | set(pred.values()))
    per_label = {}
    for label in classes:
        tp = sum(gold[k] == label and pred[k] == label for k in gold)
        fp = sum(gold[k] != label and pred[k] == label for k in gold)
        fn = sum(gold[k] == label and pred[k] != label for k in gold)
        per_label[label] = LabelScore(*_f1(tp, fp, fn), support=tp + fn, predicted=tp + fp)
    macro = _ratio(sum(s.f1 for s in per_label.values()), len(per_label))
    accuracy = _ratio(sum(gold[k] == pred[k] for k in gold), len(gold))
    return {
        "task": "genre",
        "official": "macro_f1",
        "macro_f1": macro,
        "accuracy": accuracy,
        "count": len(gold),
        "per_label": {k: asdict(v) for k, v in per_label.items()},
    }


def multilabel_scores(
    gold: Mapping[Hashable, Iterable[str]],
    pred: Mapping[Hashable, Iterable[str]],
    labels: Iterable[str],
) -> dict:
    """Micro P/R/F1 over all cells, macro-F1 over ``labels``, and per-label figures."""
    check_same_keys(gold, pred)
    per_label = {}
    total_tp = total_fp = total_fn = 0
    gold_sets = {k: set(v) for k, v in gold.items()}
    pred_sets = {k: set(v) for k, v in pred.items()}
    for label in labels:
        tp = sum(label in gold_sets[k] and label in pred_sets[k] for k in gold_sets)
        fp = sum(label not in gold_sets[k] and label in pred_sets[k] for k in gold_sets)
        fn = sum(label in gold_sets[k] and label not in pred_sets[k] for k in gold_sets)
        total_tp, total_fp, total_fn = total_tp + tp, total_fp + fp, total_fn + fn
        per_label[label] = LabelScore(*_f1(tp, fp, fn), support=tp + fn, predicted=tp + fp)
    micro_p, micro_r, micro_f1 = _f1(total_tp, total_fp, total_fn)
    return {
        "official": "micro_f1",
        "micro_f1": micro_f1,
        "micro_precision": micro_p,
        "micro_recall": micro_r,
        "macro_f1": _ratio(sum(s.f1 for s in per_label.values()), len(per_label)),
        "count": len(gold),
        "per_label": {k: asdict(v) for k, v in per_label.items()},
    }


def frames_scores(gold, pred) -> dict:
    return {"task": "frames", **multilabel_scores(gold, pred, FRAME_LABELS)}


def techniques_scores(gold, pred) -> dict:
    return {"task": "techniques", **multilabel_scores(gold, pred, TECHNIQUE_LABELS)}


SCORERS = {"genre": genre_scores, "frames": frames_scores, "techniques": techniques_scores}


def score(task: str, gold: Mapping, pred: Mapping) -> dict:
    try:
        scorer = SCORERS[task]
    except KeyError:
        raise ValueError(f"unknown task {task!r}") from None
    return scorer(gold, pred)


def format_scores(scores: dict) -> str:
    """A plain-text report: the official score first, then per-label precision/recall/F1."""
    official = scores["official"]
    lines = [f"{scores['task']}: {official} = {scores[official]:.4f}  ({scores['count']} items)"]
    for key in ("micro_f1", "macro_f1", "accuracy", "micro_precision", "micro_recall"):
        if key in scores and key != official:
            lines.append(f"  {key:<16} {scores[key]:.4f}")
    lines.append(f"  {'label':<46} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6} {'pred':>6}")
    for label, s in scores["per_label"].items():
        lines.append(
            f"  {label:<46} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f}"
            f" {s['support']:6d} {s['predicted']:6d}"
        )
    return "\n".join(lines)
