"""Corpora: JSONL, CSV, Parquet and WARC files, their column mapping, streaming and bad input."""

import gzip
import io
import json
import os
import threading

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from conftest import run_cli
from propscope.document import Article
from propscope.errors import InputError
from propscope.ingest import ColumnMap, IngestOptions, iter_inputs

from .conftest import FIXTURES, WEB

CORPORA = FIXTURES / "corpora"


def _split(items):
    return [i for i in items if isinstance(i, Article)], [
        i for i in items if isinstance(i, InputError)
    ]


def test_jsonl_default_columns_bad_records_reported_the_rest_read():
    articles, errors = _split(list(iter_inputs([str(CORPORA / "articles.jsonl")])))
    assert [a.id for a in articles] == ["c1", "c2", "c4"]
    first = articles[0]
    assert first.title == "Water prices to rise in spring"
    assert (first.url, first.source, first.published, first.language) == (
        "https://valley.example/water",
        "Valley News",
        "2023-01-09",
        "en",
    )
    assert first.paragraphs[-1].boilerplate  # "Follow us on Telegram and VK!"
    assert articles[2].meta["updated"] == "2023-01-10T08:00"
    assert [(e.source, e.reason) for e in errors] == [
        (f"{CORPORA / 'articles.jsonl'}:3", "no text in column 'text'"),
        (f"{CORPORA / 'articles.jsonl'}:4", errors[1].reason),
    ]
    assert errors[1].reason.startswith("not JSON")


def test_csv_with_a_column_mapping():
    columns = ColumnMap(
        text="body", title="headline", id="doc", url="link", source="outlet", date="day"
    )
    items = list(
        iter_inputs([str(CORPORA / "articles.csv")], options=IngestOptions(columns=columns))
    )
    articles, errors = _split(items)
    assert [a.id for a in articles] == ["d1", "d2"]
    assert articles[0].url == "https://rail.example/fares" and articles[0].source == "Rail Today"
    assert articles[1].url is None and articles[1].published == "2023-03-01"
    assert len(articles[0].paragraphs) == 3  # a multi-line quoted cell keeps its lines
    assert [e.source for e in errors] == [f"{CORPORA / 'articles.csv'} row 4"]


def test_csv_missing_column_is_one_line_and_other_inputs_still_read(tmp_path):
    result = run_cli(
        "analyze",
        str(CORPORA / "articles.csv"),
        str(CORPORA / "articles.jsonl"),
        "--text-column",
        "body",
        "--id-column",
        "nope",
        "--format",
        "jsonl",
    )
    errors = result.stderr.decode().splitlines()
    assert result.returncode == 1
    assert errors[0] == (
        f"propscope: error: {CORPORA / 'articles.csv'}: no column 'nope' "
        "(columns: doc, headline, body, link, outlet, day)"
    )
    # The JSONL file has neither column: one line for the file, not one per record.
    assert errors[1:] == [
        f"propscope: error: {CORPORA / 'articles.jsonl'}: no column 'body', 'nope' "
        "(columns: id, title, text, url, source, date, language)"
    ]
    assert result.stdout == b""


def _write_parquet(path, table):
    pq.write_table(table, path)
    return path


def test_parquet_reads_in_batches_and_maps_columns(tmp_path):
    rows = [
        json.loads(line)
        for line in (CORPORA / "articles.jsonl").read_text().splitlines()
        if line.startswith("{")
    ]
    table = pa.table(
        {
            "content": [r["text"] for r in rows],
            "headline": [r["title"] for r in rows],
            "article_id": [r["id"] for r in rows],
            "outlet": [r["source"] for r in rows],
        }
    )
    path = _write_parquet(tmp_path / "corpus.parquet", table)
    articles, errors = _split(list(iter_inputs([str(path)])))
    assert [a.id for a in articles] == ["c1", "c2", "c4"]
    assert articles[1].source == "Le Veilleur" and articles[1].title == "Ni vu ni connu"
    assert [e.source for e in errors] == [f"{path} row 3"]


def test_parquet_with_the_wrong_schema(tmp_path):
    wrong = _write_parquet(tmp_path / "numbers.parquet", pa.table({"text": [1, 2, 3]}))
    nothing = _write_parquet(tmp_path / "other.parquet", pa.table({"a": ["x"], "b": ["y"]}))
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 this is not really parquet")
    result = run_cli(
        "analyze",
        str(wrong),
        str(nothing),
        str(broken),
        str(WEB / "harbour_bridge.html"),
        "--format",
        "jsonl",
    )
    errors = result.stderr.decode().splitlines()
    assert result.returncode == 1 and len(errors) == 3, errors
    assert errors[0] == f"propscope: error: {wrong}: wrong schema: column 'text' is int64, not text"
    assert errors[1] == (
        f"propscope: error: {nothing}: no text column (columns: a, b); name one with --text-column"
    )
    assert errors[2].startswith(f"propscope: error: {broken}: not a readable Parquet file")
    assert len(result.stdout.decode().splitlines()) == 1


def _warc(path, pages, gz=True):
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=gz)
        for uri, content_type, body in pages:
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body), http_headers=headers
            )
            writer.write_record(record)
    return path


def _pages():
    return [
        (
            "https://harbour.example/news/bridge-toll",
            "text/html; charset=utf-8",
            (WEB / "harbour_bridge.html").read_bytes(),
        ),
        ("https://harbour.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n...."),
        ("https://vallee.example/ecoles", "text/html", (WEB / "vallee_ecoles.html").read_bytes()),
    ]


@pytest.mark.parametrize("gz", [True, False])
def test_warc_html_responses_go_through_the_html_path(tmp_path, gz):
    path = _warc(tmp_path / ("crawl.warc.gz" if gz else "crawl.warc"), _pages(), gz)
    articles, errors = _split(list(iter_inputs([str(path)])))
    assert errors == []
    assert [a.url for a in articles] == [
        "https://harbour.example/news/bridge-toll",
        "https://vallee.example/ecoles",
    ]
    assert articles[0].source == "The Harbour Courier" and articles[0].author == "Jane Doe"
    assert articles[1].meta["updated"] == "2022-11-03T18:05"


def test_truncated_gzip_warc_reports_once_after_the_readable_records(tmp_path):
    pages = _pages()
    pages.append(
        (
            "https://harbour.example/news/again",
            "text/html",
            (WEB / "harbour_bridge.html").read_bytes() * 3,
        )
    )
    path = _warc(tmp_path / "crawl.warc.gz", pages)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 900])
    items = list(iter_inputs([str(path)]))
    articles, errors = _split(items)
    assert len(articles) == 2
    assert len(errors) == 1 and isinstance(items[-1], InputError)
    assert errors[0].source == str(path)
    assert errors[0].reason.startswith("truncated or corrupt archive (")


def test_corpus_records_stream_before_the_file_is_complete(tmp_path):
    """Articles come out while the writer is still writing: the reader never loads the file."""
    fifo = tmp_path / "stream.jsonl"
    os.mkfifo(fifo)
    first_article_seen = threading.Event()
    record = {"text": "A headline\n\nA body sentence that is long enough to be read as body.\n"}

    def write():
        with open(fifo, "w", encoding="utf-8") as out:
            for number in range(200):
                out.write(json.dumps({**record, "id": f"r{number}"}) + "\n")
            out.flush()
            # Wait until the reader has produced an article, then write the rest.
            assert first_article_seen.wait(timeout=30)
            for number in range(200, 5000):
                out.write(json.dumps({**record, "id": f"r{number}"}) + "\n")

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    items = iter_inputs([str(fifo)])
    first = next(items)
    assert first.id == "r0"
    first_article_seen.set()
    rest = list(items)
    writer.join(timeout=30)
    assert len(rest) == 4999 and rest[-1].id == "r4999"


def test_gzipped_jsonl(tmp_path):
    path = tmp_path / "small.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.write(json.dumps({"id": "g1", "content": "Title\n\nSome body text here.\n"}) + "\n")
    [article] = list(iter_inputs([str(path)]))
    assert article.id == "g1" and article.title == "Title"


def test_arc_file_pages_go_through_the_html_path(tmp_path):
    """The older ARC format of crawls, written by hand here (version 1 records)."""

    def record(url, content_type, body):
        return f"{url} 127.0.0.1 20230314093000 {content_type} {len(body)}\n".encode() + body

    description = b"1 0 propscope\nURL IP-address Archive-date Content-type Archive-length\n"
    page = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
    page += (WEB / "harbour_bridge.html").read_bytes()
    path = tmp_path / "crawl.arc"
    path.write_bytes(
        record("filedesc://crawl.arc", "text/plain", description)
        + b"\n\n"
        + record("http://harbour.example/news/bridge-toll", "text/html", page)
        + b"\n"
    )
    [article] = list(iter_inputs([str(path)]))
    assert article.url == "http://harbour.example/news/bridge-toll"
    assert article.title == "Ministers defend the new bridge toll"


def test_truncated_gzip_csv_reports_once_after_the_readable_rows(tmp_path):
    path = tmp_path / "export.csv.gz"
    rows = "".join(f'r{n},Title {n},"Some body text number {n} here."\n' for n in range(3000))
    data = gzip.compress(("id,title,text\n" + rows).encode("utf-8"))
    path.write_bytes(data[: len(data) // 2])
    items = list(iter_inputs([str(path)]))
    articles, errors = _split(items)
    assert len(articles) > 100 and articles[0].id == "r0"
    assert len(errors) == 1 and items[-1] is errors[0]
    assert errors[0].source == str(path) and errors[0].reason.startswith("unreadable: ")


def test_jsonl_record_json_cannot_hold_is_one_error_and_the_file_goes_on(tmp_path):
    path = tmp_path / "odd.jsonl"
    huge_number = "9" * 5000  # valid JSON, but Python refuses to convert it
    path.write_text(
        '{"id": "a", "text": "Title\\n\\nBody."}\n'
        + '{"id": "b", "text": "x", "n": '
        + huge_number
        + "}\n"
        + '{"id": "c", "text": "Title\\n\\nBody."}\n'
    )
    items = list(iter_inputs([str(path)]))
    assert [getattr(i, "id", None) for i in items] == ["a", None, "c"]
    assert items[1].source == f"{path}:2" and items[1].reason.startswith("not JSON")
