"""Highlights a reader believes: the share of one-word evidence spans, and the span F1.

python benchmarks/bench_spans.py [--data ../shared/data/semeval2023] [--cv]

1. One-word spans: the default pipeline over real articles (the unlabelled SemEval test
   articles of nine languages, the bundled examples and the shared examples), with whole-phrase
   decoding (the default) and without it. Counted are the spans a report shows by default
   (fallback spans are hidden); a span is one word when its text holds one word (hyphens and
   apostrophes join: "porte-parole", "lorsqu'elle").
2. ``--cv [--languages fr]``: the evidence trainer's article-held-out cross-validation (5
   folds, its grid of decoding modes and thresholds tuned per fold), with and without
   whole-phrase decoding, on
   the same out-of-fold token probabilities; prints the gated partial-overlap span F1 of each
   (the figure in the model card). Takes long: the probabilities are cached in /tmp.
Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from common import DEFAULT_DATA, ROOT, unlabelled_article_folders

WORD = re.compile(r"\w+(?:[-'’]\w+)*")


def real_articles(data: Path):
    from propscope.ingest import iter_inputs
    from propscope.ingest.semeval import iter_semeval_dir

    for _, folder in unlabelled_article_folders(data):
        yield from iter_semeval_dir(folder)
    examples = [ROOT / "examples", data.parent.parent / "examples"]
    for item in iter_inputs([str(p) for p in examples if p.is_dir()]):
        if not isinstance(item, Exception):
            yield item


def one_word_share(data: Path) -> None:
    from propscope.analyzers import Pipeline

    pipeline = Pipeline()
    evidence = next(a for a in pipeline.analyzers if a.name == "evidence")
    articles = list(real_articles(data))
    print(f"{len(articles)} real articles (9 languages' test articles, examples)")
    for phrases in (False, True):
        evidence.model.whole_phrases = phrases
        spans = one = 0
        lone: dict[str, int] = {}
        for article in articles:
            for paragraph in pipeline(article).paragraphs:
                for span in paragraph.spans:
                    if span.fallback:
                        continue
                    spans += 1
                    words = WORD.findall(article.text[span.start : span.end])
                    if len(words) == 1:
                        one += 1
                        lone[words[0].lower()] = lone.get(words[0].lower(), 0) + 1
        common = ", ".join(w for w, _ in sorted(lone.items(), key=lambda kv: -kv[1])[:12])
        print(
            f"  whole phrases {'on ' if phrases else 'off'}: {spans} spans shown,"
            f" {one} of one word ({one / max(spans, 1):.1%}); most frequent lone words: {common}"
        )


def cross_validated_f1(data: Path, languages: list[str] | None = None) -> None:
    from propscope.features.tokens import TokenFeaturizer
    from propscope.training.evidence import DEFAULTS, cross_validate, report
    from propscope.training.evidence_data import build_token_data, load_span_corpus

    corpus = load_span_corpus(data, languages)
    print(f"  {len(corpus.articles)} articles ({', '.join(languages or ['all six languages'])})")
    cache = f"/tmp/propscope-evidence-oof-{corpus.fingerprint[:16]}.npy"
    options = {**DEFAULTS, "oof_cache": cache}
    featurizer = TokenFeaturizer(bits=options["bits"], sentence_bag=options["sentence_bag"])
    for phrases in (False, True):
        tokens = build_token_data(corpus, featurizer, whole_phrases=phrases)
        _, predicted, _ = cross_validate(corpus, tokens, 5, 0, options, log=lambda m: None)
        gated = report(corpus, tokens, predicted)["gated"]["overall"]
        print(
            f"  whole phrases {'on ' if phrases else 'off'}: CV span F1 (gated) {gated['f1']:.4f}"
            f" (precision {gated['precision']:.4f}, recall {gated['recall']:.4f})",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cv", action="store_true", help="also the cross-validated span F1")
    parser.add_argument(
        "--languages", help="comma-separated languages for --cv (default: all six; slow)"
    )
    args = parser.parse_args()
    one_word_share(args.data)
    if args.cv:
        print("\nevidence trainer's cross-validation, 5 folds by article:")
        languages = args.languages.split(",") if args.languages else None
        cross_validated_f1(args.data, languages)


if __name__ == "__main__":
    main()
