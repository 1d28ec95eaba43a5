"""The story evaluation sets: articles we wrote (with their stories) and SemEval groupings.

The written articles live in ``benchmarks/data/stories/written/*.jsonl`` (title, paragraphs,
outlet, language, date, story, dev/test split); the SemEval groupings in
``benchmarks/data/stories/semeval_test_stories.json`` name article ids only, and the texts are
read from the SemEval folders where they are.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..document import Article
from ..errors import InputError
from ..ingest.corpora import iter_corpus
from ..ingest.options import IngestOptions
from ..ingest.semeval import FOLDER_LANGUAGES, article_files, read_semeval_article


def read_written(folder: Path, split: str | None = None) -> tuple[list[Article], dict[str, str]]:
    """(articles, gold story of each article id), optionally one split ("dev" or "test").

    The files are ordinary corpus JSONL (text, title, outlet, published, language), read the
    way ``propscope analyze`` and ``propscope stories`` read them.
    """
    articles, gold = [], {}
    for path in sorted(Path(folder).glob("*.jsonl")):
        records = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                records[record["id"]] = record
        for article in iter_corpus(path, IngestOptions()):
            if isinstance(article, InputError):
                raise ValueError(str(article))
            record = records[article.id]
            if split is None or record["split"] == split:
                articles.append(article)
                gold[article.id] = record["story"]
    return articles, gold


def read_semeval_stories(
    data_dir: Path, groupings: Path
) -> tuple[list[Article], dict[str, str]]:
    """Every SemEval test article (id "<folder>/<number>") with its hand-grouped story."""
    stories = json.loads(Path(groupings).read_text(encoding="utf-8"))["stories"]
    story_of = {item: name for name, items in stories.items() for item in items}
    articles, gold = [], {}
    for folder in sorted(Path(data_dir).glob("*/test-articles-subtask-3")):
        code = folder.parent.name
        for path in article_files(folder):
            article = read_semeval_article(path, language=FOLDER_LANGUAGES.get(code))
            article.id = f"{code}/{article.id}"
            articles.append(article)
            gold[article.id] = story_of.get(article.id, f"single:{article.id}")
    missing = set(story_of) - set(gold)
    if missing:
        raise ValueError(f"groupings name articles not in {data_dir}: {sorted(missing)[:5]}")
    return articles, gold
