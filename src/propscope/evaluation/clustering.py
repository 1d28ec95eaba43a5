"""B-cubed precision and recall of a clustering against gold groups, overall and per language pair.

B-cubed (Bagga and Baldwin, 1998) scores each item: precision is the share of its predicted
cluster that shares its gold group, recall the share of its gold group found in its predicted
cluster; the scores are averaged over items. Per language pair (a, b) the same is computed for
items of language a looking only at the *other* items of language b, so a cross-lingual pair
shows whether links across languages are found (recall) and right (precision); an item with no
such other item in its cluster (or group) does not count towards that figure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping


def bcubed(predicted: Mapping[str, object], gold: Mapping[str, object]) -> tuple[float, float]:
    """(precision, recall) over the items of ``gold``; both map item -> cluster label."""
    if set(predicted) != set(gold):
        raise ValueError("predicted and gold must label the same items")
    by_pred, by_gold = _members(predicted), _members(gold)
    precision = recall = 0.0
    for item in gold:
        cluster, group = by_pred[predicted[item]], by_gold[gold[item]]
        common = len(cluster & group)
        precision += common / len(cluster)
        recall += common / len(group)
    n = len(gold) or 1
    return precision / n, recall / n


def bcubed_by_language_pair(
    predicted: Mapping[str, object], gold: Mapping[str, object], language: Mapping[str, str]
) -> dict[tuple[str, str], dict[str, float | int | None]]:
    """Per unordered language pair: precision, recall and how many items each averages over."""
    by_pred, by_gold = _members(predicted), _members(gold)
    sums: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0, 0.0, 0])
    languages = sorted(set(language.values()))
    for item in gold:
        cluster = by_pred[predicted[item]] - {item}
        group = by_gold[gold[item]] - {item}
        for other in languages:
            pair = tuple(sorted((language[item], other)))
            in_cluster = {j for j in cluster if language[j] == other}
            in_group = {j for j in group if language[j] == other}
            common = len(in_cluster & in_group)
            if in_cluster:
                sums[pair][0] += common / len(in_cluster)
                sums[pair][1] += 1
            if in_group:
                sums[pair][2] += common / len(in_group)
                sums[pair][3] += 1
    out = {}
    for pair, (p, np_, r, nr) in sorted(sums.items()):
        out[pair] = {
            "precision": p / np_ if np_ else None,
            "recall": r / nr if nr else None,
            "precision_items": np_,
            "recall_items": nr,
        }
    return out


def bcubed_same_and_cross(
    predicted: Mapping[str, object], gold: Mapping[str, object], language: Mapping[str, str]
) -> dict[str, dict[str, float | int | None]]:
    """The per-pair figures pooled into same-language and cross-lingual links."""
    pooled = {"same-language": [0.0, 0, 0.0, 0], "cross-lingual": [0.0, 0, 0.0, 0]}
    for (a, b), row in bcubed_by_language_pair(predicted, gold, language).items():
        sums = pooled["same-language" if a == b else "cross-lingual"]
        if row["precision"] is not None:
            sums[0] += row["precision"] * row["precision_items"]
            sums[1] += row["precision_items"]
        if row["recall"] is not None:
            sums[2] += row["recall"] * row["recall_items"]
            sums[3] += row["recall_items"]
    return {
        name: {
            "precision": p / np_ if np_ else None,
            "recall": r / nr if nr else None,
            "precision_items": np_,
            "recall_items": nr,
        }
        for name, (p, np_, r, nr) in pooled.items()
    }


def _members(labels: Mapping[str, object]) -> dict[object, set[str]]:
    members: dict[object, set[str]] = defaultdict(set)
    for item, label in labels.items():
        members[label].add(item)
    return members
