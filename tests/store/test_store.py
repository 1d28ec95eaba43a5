"""The store against SQLite and a real PostgreSQL: round trips, history, search, stats, export."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pyarrow.parquet as pq
import pytest
from sqlalchemy import select

from conftest import EXAMPLES, run_cli, sample_evidence_article
from propscope.document import Entity, Prediction, Quote
from propscope.ingest import parse_text
from propscope.store import Filters, Store, StoreError
from propscope.store.export import export_chunks, write_annotations

VERSIONS = {"genre": "g1", "frames": "f1", "techniques": "t1", "evidence": "e1"}


def analysed(key, body, *, source=None, language="en", published=None, genre="reporting",
             frames=(), techniques=None, confidence=0.9):
    """A hand-labelled article: paragraph i (after the title) gets ``techniques[i]``."""
    article = parse_text(f"Title {key}\n\n{body}\n", key, source=source, published=published)
    article.language = language
    article.genre = Prediction({genre: 0.7, "opinion": 0.2}, [genre])
    article.frames = Prediction({f: confidence for f in frames}, list(frames), {"Political": 0.5})
    for paragraph, found in zip(article.paragraphs[1:], techniques or [], strict=False):
        paragraph.techniques = Prediction({t: confidence for t in found}, list(found))
    return article


@pytest.fixture
def store(store_url):
    with Store(store_url) as opened:
        yield opened


@pytest.fixture
def corpus(store):
    """Four articles from two outlets, two languages and two months."""
    run = store.start_run("test", VERSIONS)
    articles = [
        analysed("a1", "The corrupt elite lied about inflation.\nPrices rose again.",
                 source="Daily", published="2024-01-05", genre="opinion", frames=["Political"],
                 techniques=[["Loaded_Language", "Name_Calling-Labeling"], []]),
        analysed("a2", "Inflation slowed in March, the bureau said.",
                 source="Daily", published="2024-03-10", frames=["Economic"],
                 techniques=[["Loaded_Language"]], confidence=0.4),
        analysed("a3", "Le gouvernement a menti sur l'inflation.",
                 source="Le Monde", language="fr", published="2024-03-20", genre="opinion",
                 frames=["Political", "Economic"], techniques=[["Doubt"]]),
        analysed("a4", "Weather was mild.", source="Le Monde", published="not a date"),
    ]
    ids = [store.add(a, run, VERSIONS).id for a in articles]
    return dict(zip(["a1", "a2", "a3", "a4"], ids, strict=True))


def test_round_trip_of_analysed_articles(store):
    import propscope
    from propscope.quoting import link_quotes

    sample = sample_evidence_article()
    sample.quotes = [Quote(5, 20, "the minister", 30, 42)]
    link_quotes(sample)  # as the quotes analyzer leaves an article
    sample.entities = [Entity(0, 5, "PER", "Title")]
    sample.meta = {"input": "html", "nested": {"k": [1, 2]}}
    sample.warnings = ["decoded as cp1252"]
    sample.withheld = "too little text to judge"  # a field kept in the row's extra JSON
    examples = [propscope.analyze(propscope.read(str(p))) for p in sorted(EXAMPLES.glob("*.txt"))]
    # a second model family side by side, not selected: kept and restored as such
    side = examples[0]
    side.set_prediction("genre", Prediction({"satire": 0.6}, ["satire"], model="encoder"), False)
    side.paragraphs[2].set_prediction(
        "techniques", Prediction({"Doubt": 0.7}, ["Doubt"], model="encoder"), select=False
    )
    run = store.start_run("test", VERSIONS)
    for article in [sample, *examples]:
        added = store.add(article, run, VERSIONS)
        assert added.status == "stored"
        assert store.get(added.id).to_dict() == article.to_dict()
    back = store.get(store.ids_of(side.id)[0])
    assert back.genre == side.genre and back.predictions["genre:encoder"].predicted == ["satire"]
    assert back.paragraphs[2].techniques == side.paragraphs[2].techniques
    # searches and counts read the selected model only
    assert store.search(Filters(genre="satire"))["total"] == 0
    assert store.get(10_000) is None


def test_same_text_is_stored_once_and_a_newer_model_keeps_history(store):
    article = analysed("x", "The corrupt elite lied.", techniques=[["Loaded_Language"]])
    run = store.start_run("test", VERSIONS)
    first = store.add(article, run, VERSIONS)
    again = store.add(article, run, VERSIONS)
    assert (again.id, again.status) == (first.id, "duplicate")

    article.paragraphs[1].techniques = Prediction({"Doubt": 0.8}, ["Doubt"])
    newer = {**VERSIONS, "techniques": "t2"}
    redone = store.add(article, store.start_run("test", newer), newer)
    assert (redone.id, redone.status) == (first.id, "reanalysed")
    assert store.get(first.id).paragraphs[1].techniques.predicted == ["Doubt"]
    analyses = store.article_record(first.id)["analyses"]
    techniques = {(a["model_version"], a["current"]) for a in analyses if a["task"] == "techniques"}
    assert techniques == {("t1", False), ("t2", True)}  # the old labels kept as history
    # only the current labels are searched and counted
    assert store.search(Filters(technique="Loaded_Language"))["total"] == 0
    assert store.search(Filters(technique="Doubt"))["total"] == 1

    # a batch: new, already stored, and the new one again
    fresh = analysed("y", "Prices rose again.", techniques=[["Doubt"]])
    results = store.add_many([fresh, article, fresh], run, newer)
    assert [r.status for r in results] == ["stored", "duplicate", "duplicate"]
    assert results[1].id == first.id and results[2].id == results[0].id
    assert store.get(results[0].id).to_dict() == fresh.to_dict()
    assert store.count() == 2


def test_search_and_filters(store, corpus):
    def keys(**filters):
        return sorted(i["key"] for i in store.search(Filters(**filters), page_size=50)["items"])

    assert keys() == ["a1", "a2", "a3", "a4"]
    assert keys(q="inflation") == ["a1", "a2", "a3"]
    assert keys(q="INFLATION prices") == ["a1"]
    assert keys(q='"; DROP TABLE articles; --') == []
    assert keys(source="Le Monde") == ["a3", "a4"]
    assert keys(language="fr") == ["a3"]
    assert keys(genre="opinion") == ["a1", "a3"]
    assert keys(frame="Economic") == ["a2", "a3"]
    assert keys(technique="Loaded_Language") == ["a1", "a2"]
    assert keys(technique="Loaded_Language", min_confidence=0.5) == ["a1"]
    assert keys(since=date(2024, 3, 1)) == ["a2", "a3"]
    assert keys(until=date(2024, 3, 15)) == ["a1", "a2"]
    assert keys(q="inflation", source="Daily", since=date(2024, 2, 1)) == ["a2"]
    page = store.search(Filters(), page=2, page_size=3)
    assert page["total"] == 4 and len(page["items"]) == 1
    newest = store.search(Filters(), page_size=1)["items"][0]
    assert newest["key"] == "a3" and newest["techniques"] == {"Doubt": 1}
    assert newest["frames"] == ["Economic", "Political"] and newest["source"] == "Le Monde"


def test_stats_count_paragraphs_and_articles(store, corpus):
    result = store.stats(Filters(), by="source", what="techniques")
    rows = {(r["group"], r["label"]): r for r in result["rows"]}
    daily = rows[("Daily", "Loaded_Language")]
    assert daily["count"] == 2 and daily["articles"] == 2
    assert daily["paragraphs"] == 5  # a1: title + 2 lines, a2: title + 1 line
    assert daily["per_100_paragraphs"] == pytest.approx(40.0)
    assert rows[("Le Monde", "Doubt")]["per_100_articles"] == pytest.approx(50.0)
    frames = store.stats(Filters(language="en"), by="month", what="frames")
    assert {(r["group"], r["label"], r["count"]) for r in frames["rows"]} == {
        ("2024-01", "Political", 1),
        ("2024-03", "Economic", 1),
    }
    genre = store.stats(Filters(), by="language", what="genre")
    assert {(r["group"], r["label"], r["count"]) for r in genre["rows"]} == {
        ("en", "opinion", 1),
        ("en", "reporting", 2),
        ("fr", "opinion", 1),
    }
    with pytest.raises(ValueError):
        store.stats(Filters(), by="outlet", what="techniques")


def test_export_rows_in_three_formats(store, corpus):
    rows = list(store.export_rows(Filters(source="Daily")))
    techniques = [r for r in rows if r["task"] == "techniques"]
    assert {(r["article_key"], r["line"], r["label"]) for r in techniques} == {
        ("a1", 3, "Loaded_Language"),
        ("a1", 3, "Name_Calling-Labeling"),
        ("a2", 3, "Loaded_Language"),
    }
    assert all(r["source"] == "Daily" and r["model_version"] == "t1" for r in techniques)
    genre = [r for r in rows if r["task"] == "genre"]
    expected = [("article", None, "g1")] * 2
    assert [(r["level"], r["line"], r["model_version"]) for r in genre] == expected

    as_csv = b"".join(export_chunks(iter(rows), "csv")).decode()
    assert len(list(csv.DictReader(io.StringIO(as_csv)))) == len(rows)
    as_jsonl = b"".join(export_chunks(iter(rows), "jsonl")).decode().splitlines()
    assert [json.loads(line) for line in as_jsonl] == rows
    table = pq.read_table(io.BytesIO(b"".join(export_chunks(iter(rows), "parquet", batch=2))))
    assert table.to_pylist() == rows


def test_migrations_create_exactly_the_declared_schema(store):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from propscope.store.schema import metadata

    def ours(obj, name, type_, reflected, compare_to):
        # full-text search lives outside the declared tables: FTS5 tables, a tsvector column
        return not (name or "").startswith("articles_fts") and name not in (
            "search",
            "ix_article_texts_search",
            "alembic_version",
        )

    with store.reading() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": ours})
        assert compare_metadata(context, metadata) == []
    Store(store.url).close()  # opening again: already at the newest revision


def test_corrections_become_semeval_gold(store, corpus, tmp_path, capsys):
    a1 = corpus["a1"]
    store.add_correction(a1, "techniques", "Loaded_Language", "remove", line=3)
    store.add_correction(a1, "techniques", "Doubt", "add", line=4)
    store.add_correction(a1, "frames", "Economic", "add")
    store.add_correction(a1, "genre", "reporting", "add")
    with pytest.raises(StoreError):
        store.add_correction(a1, "techniques", "Not_A_Technique", "add", line=3)
    with pytest.raises(StoreError):
        store.add_correction(a1, "techniques", "Doubt", "add", line=99)
    with pytest.raises(StoreError):
        store.add_correction(a1, "frames", "Economic", "add", line=3)
    with pytest.raises(KeyError):
        store.add_correction(10_000, "frames", "Economic", "add")

    counts = write_annotations(store, tmp_path / "gold")
    assert counts["articles"] == 1
    key = str(a1)
    lines = (tmp_path / "gold" / "techniques.txt").read_text().splitlines()
    assert lines == [f"{key}\t1\t", f"{key}\t3\tName_Calling-Labeling", f"{key}\t4\tDoubt"]
    assert (tmp_path / "gold" / "frames.txt").read_text() == f"{key}\tPolitical,Economic\n"
    assert (tmp_path / "gold" / "genre.txt").read_text() == f"{key}\treporting\n"
    text = (tmp_path / "gold" / "articles" / f"article{key}.txt").read_text()
    assert text.splitlines()[2] == "The corrupt elite lied about inflation."
    # the gold files are what `propscope evaluate` reads, against `propscope predict` output
    from propscope.cli import main

    pred = tmp_path / "pred.txt"
    articles = str(tmp_path / "gold" / "articles")
    assert main(["predict", "techniques", articles, "-o", str(pred)]) == 0
    gold = str(tmp_path / "gold" / "techniques.txt")
    capsys.readouterr()
    assert main(["evaluate", "techniques", "--gold", gold, "--pred", str(pred), "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert scores["count"] == 3  # every line of the corrected article
    support = {label: v["support"] for label, v in scores["per_label"].items() if v["support"]}
    assert support == {"Name_Calling-Labeling": 1, "Doubt": 1}


def test_import_command_stores_each_article_once(store_url, tmp_path, capsys):
    from propscope.cli import main

    bad = tmp_path / "empty.txt"
    bad.write_text("   \n")
    missing = tmp_path / "missing.txt"
    assert main(["import", str(EXAMPLES), str(bad), str(missing), "--db", store_url]) == 1
    errors = capsys.readouterr().err.splitlines()
    assert sum("empty.txt" in line for line in errors) == 1
    assert sum("missing.txt" in line for line in errors) == 1
    articles = len(list(EXAMPLES.rglob("*.txt")))  # the bundled text articles
    assert articles >= 2
    assert f"{articles} stored, 0 duplicate(s) skipped, 2 failed" in errors[-1]
    assert main(["import", str(EXAMPLES), "--db", store_url]) == 0
    assert f"0 stored, {articles} duplicate(s) skipped, 0 failed" in capsys.readouterr().err
    with Store(store_url) as store:
        assert store.count() == articles
        assert {i["language"] for i in store.search()["items"]} >= {"en", "fr"}
        from propscope.store.schema import import_jobs

        with store.reading() as conn:
            jobs = conn.execute(select(import_jobs.c.status, import_jobs.c.failed)).all()
        assert sorted(jobs) == [("done", 0), ("done", 2)]


def test_a_bad_url_is_one_clear_error(tmp_path):
    with pytest.raises(StoreError, match="unsupported database"):
        Store("mysql://localhost/x")
    done = run_cli("import", str(EXAMPLES), "--db", "postgresql+psycopg://nobody@127.0.0.1:1/x")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr.decode()
    assert done.stderr.decode().count("\n") == 1
