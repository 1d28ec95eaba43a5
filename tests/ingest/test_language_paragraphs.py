"""Language: per article with a confidence, per paragraph for passages in another language."""

import json

from conftest import run_cli
from propscope.analyzers.language import LanguageAnalyzer
from propscope.ingest import parse_text

MIXED = (
    "La réforme des retraites divise le pays\n\n"
    "Le gouvernement a présenté mercredi son projet de réforme des retraites devant le conseil "
    "des ministres, malgré l'opposition de tous les syndicats.\n"
    '"This reform is necessary and we will not back down on it," the minister told a '
    "British newspaper on Tuesday evening.\n"
    "Les syndicats appellent à une nouvelle journée de grève jeudi prochain dans toute la France.\n"
    "Oui.\n"
)


def test_article_language_with_confidence_and_mixed_paragraphs():
    article = LanguageAnalyzer()(parse_text(MIXED, "mixed"))
    assert article.language == "fr" and article.language_confidence > 0.9
    assert [p.language for p in article.paragraphs] == ["fr", "fr", "en", "fr", "fr"]


def test_user_language_wins_for_the_article_and_short_paragraphs():
    result = run_cli(
        "analyze",
        "-",
        "--format",
        "jsonl",
        "--language",
        "de",
        "--analyzers",
        "language",
        stdin=MIXED.encode(),
    )
    article = json.loads(result.stdout)
    assert article["language"] == "de" and article["language_confidence"] is None
    # The title and "Oui." are too short to tell: they take the language the user gave.
    assert [p["language"] for p in article["paragraphs"]] == ["de", "fr", "en", "fr", "de"]
