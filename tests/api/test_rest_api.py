"""The REST API's contract and its bad requests, against SQLite and a real PostgreSQL."""

from __future__ import annotations

import io
import json
import time

import pyarrow.parquet as pq
import pytest

from conftest import EXAMPLES

API = "/api/v1"
HOSTILE = (
    "Title <img src=x onerror=alert(1)>\n\n"
    "The corrupt elite lied again <script>alert('x')</script> as always.\n"
)


def example(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


def error_of(response) -> dict:
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and body["error"]["status"] == response.status_code
    assert "Traceback" not in response.text
    return body["error"]


def test_analyze_returns_the_article_and_stores_nothing(make_client):
    client = make_client()
    response = client.post(f"{API}/analyze", json={"text": example("en_opinion_energy.txt")})
    assert response.status_code == 200
    article = response.json()
    assert article["language"] == "en" and article["genre"]["predicted"]
    assert any(p["techniques"] for p in article["paragraphs"])
    assert client.get(f"{API}/health").json()["articles"] == 0


def test_script_tags_stay_inert_text(make_client):
    client = make_client()
    analysed = client.post(f"{API}/analyze", json={"text": HOSTILE})
    assert analysed.status_code == 200
    assert analysed.headers["content-type"] == "application/json"
    assert analysed.headers["x-content-type-options"] == "nosniff"
    csp = analysed.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert analysed.json()["text"] == HOSTILE  # kept verbatim: escaping is the page's job
    stored = client.post(f"{API}/articles", json={"text": HOSTILE, "source": "<b>x</b>"})
    article_id = stored.json()["ids"][0]
    again = client.get(f"{API}/articles/{article_id}").json()["article"]
    assert again["text"] == HOSTILE and again["source"] == "<b>x</b>"
    assert "access-control-allow-origin" not in analysed.headers  # CORS off


BAD_BODIES = [
    (b"", "body"),
    (b"{}", "body"),
    (b"not json", "body"),
    (json.dumps({"text": "Title\n\nBody.\n", "colour": "red"}).encode(), "body.colour"),
    (json.dumps({"text": "  \n"}).encode(), "body"),
    (json.dumps({"text": "a", "html": "<p>b</p>"}).encode(), "body"),
    (json.dumps({"articles": []}).encode(), "body.articles"),
    (json.dumps({"url": "/etc/passwd"}).encode(), "body.url"),
    (json.dumps({"url": "file:///etc/passwd"}).encode(), "body.url"),
]


def test_bad_bodies_are_refused_with_one_message(make_client):
    client = make_client()
    for body, where in BAD_BODIES:
        for route in ("analyze", "articles"):
            if route == "analyze" and b"articles" in body:
                continue
            response = client.post(
                f"{API}/{route}", content=body, headers={"content-type": "application/json"}
            )
            assert response.status_code == 422, (route, body)
            assert error_of(response)["message"].startswith(where), (route, body)
    assert client.get(f"{API}/health").json()["articles"] == 0


def test_a_20_mb_body_gets_413_before_it_is_read(make_client):
    client = make_client()
    big = json.dumps({"text": "word " * 4_000_000}).encode()
    assert len(big) > 20_000_000
    response = client.post(f"{API}/articles", content=big,
                           headers={"content-type": "application/json"})  # fmt: skip
    assert response.status_code == 413
    assert "too large" in error_of(response)["message"]

    def chunked():  # no Content-Length: counted as it arrives
        for start in range(0, len(big), 1 << 20):
            yield big[start : start + (1 << 20)]

    response = client.post(f"{API}/articles", content=chunked(),
                           headers={"content-type": "application/json"})  # fmt: skip
    assert response.status_code == 413
    assert client.get(f"{API}/health").json()["articles"] == 0


def test_an_unreachable_url_is_one_line(make_client):
    from postgres import free_port

    client = make_client(fetch_timeout=5)
    url = f"http://127.0.0.1:{free_port()}/article"
    response = client.post(f"{API}/analyze", json={"url": url})
    assert response.status_code == 422
    message = error_of(response)["message"]
    assert message.startswith(url) and "\n" not in message


def test_api_keys_guard_every_write(make_client):
    client = make_client(api_keys=["s3cret-key"])
    body = {"text": example("en_opinion_energy.txt")}
    missing = client.post(f"{API}/articles", json=body)
    assert missing.status_code == 401 and "API key" in error_of(missing)["message"]
    wrong = client.post(f"{API}/articles", json=body, headers={"X-API-Key": "guess"})
    assert wrong.status_code == 403 and error_of(wrong)["message"] == "wrong API key"
    assert client.post(f"{API}/analyze", json=body).status_code == 401
    assert client.post(f"{API}/imports", json={"urls": ["http://x"]}).status_code == 401
    assert client.get(f"{API}/health").json()["articles"] == 0
    ok = client.post(f"{API}/articles", json=body, headers={"Authorization": "Bearer s3cret-key"})
    assert ok.status_code == 201
    assert client.get(f"{API}/articles").json()["total"] == 1  # reading needs no key


def test_serve_refuses_other_addresses_without_keys(tmp_path, capsys, monkeypatch):
    from propscope.cli import main

    monkeypatch.delenv("PROPSCOPE_API_KEYS", raising=False)
    assert main(["serve", "--host", "0.0.0.0", "--db", str(tmp_path / "x.db")]) == 1
    error = capsys.readouterr().err
    assert "PROPSCOPE_API_KEYS" in error and error.count("\n") == 1


def test_keys_are_required_beyond_loopback(store_url, analysis):
    from propscope.api import create_app
    from propscope.api.security import is_loopback
    from propscope.store import StoreError

    with pytest.raises(StoreError, match="PROPSCOPE_API_KEYS"):
        create_app(store_url, api_keys=[], require_keys=True, analysis=analysis)
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")


def test_store_search_stats_export_and_correct(make_client):
    client = make_client()
    batch = {
        "articles": [
            {"text": example("en_opinion_energy.txt"), "source": "Courier",
             "published": "2024-05-02"},
            {"text": example("fr_tribune_reforme.txt"), "source": "Le Temps",
             "published": "2024-06-11"},
            {"text": example("en_opinion_energy.txt"), "source": "Courier"},
        ]
    }  # fmt: skip
    stored = client.post(f"{API}/articles", json=batch)
    assert stored.status_code == 201
    results = stored.json()["results"]
    assert [r["status"] for r in results] == ["stored", "stored", "duplicate"]
    first, second = results[0]["id"], results[1]["id"]
    assert results[2]["id"] == first

    one = client.get(f"{API}/articles/{first}").json()
    assert one["article"]["source"] == "Courier"
    versions = {a["task"]: a["model_version"] for a in one["record"]["analyses"]}
    assert set(versions) == {"genre", "frames", "techniques"}
    assert client.get(f"{API}/articles/999999").status_code == 404

    found = client.get(f"{API}/articles", params={"q": "réforme", "language": "fr"}).json()
    assert [i["id"] for i in found["items"]] == [second]
    assert client.get(f"{API}/articles", params={"source": "Courier"}).json()["total"] == 1
    assert client.get(f"{API}/articles", params={"since": "2024-06-01"}).json()["total"] == 1
    assert client.get(f"{API}/articles", params={"min_confidence": 2}).status_code == 422
    assert client.get(f"{API}/articles", params={"since": "yesterday"}).status_code == 422
    unknown = client.get(f"{API}/articles", params={"tecnique": "Doubt"})
    assert unknown.status_code == 422 and "tecnique" in error_of(unknown)["message"]

    stats = client.get(f"{API}/stats", params={"by": "month", "what": "genre"}).json()
    assert {g["group"]: g["articles"] for g in stats["groups"]} == {"2024-05": 1, "2024-06": 1}
    assert client.get(f"{API}/stats", params={"by": "planet"}).status_code == 422
    assert {s["name"] for s in client.get(f"{API}/sources").json()} == {"Courier", "Le Temps"}

    rows = [json.loads(line) for line in
            client.get(f"{API}/export", params={"format": "jsonl"}).text.splitlines()]  # fmt: skip
    assert {r["source"] for r in rows} == {"Courier", "Le Temps"}
    assert all(r["model_version"] for r in rows)
    csv_text = client.get(f"{API}/export", params={"format": "csv", "source": "Le Temps"}).text
    assert csv_text.splitlines()[0].startswith("article_id,article_key,source,url,language")
    assert len(csv_text.splitlines()) - 1 == sum(r["source"] == "Le Temps" for r in rows)
    parquet = client.get(f"{API}/export", params={"format": "parquet"})
    assert pq.read_table(io.BytesIO(parquet.content)).num_rows == len(rows)
    assert client.get(f"{API}/export", params={"format": "xlsx"}).status_code == 422

    line = next(p["line"] for p in one["article"]["paragraphs"] if not p["boilerplate"])
    made = client.post(f"{API}/articles/{first}/corrections",
                       json={"task": "techniques", "label": "Doubt", "action": "add",
                             "line": line, "note": "the second sentence"})  # fmt: skip
    assert made.status_code == 201
    assert client.get(f"{API}/articles/{first}").json()["corrections"][0]["label"] == "Doubt"
    for bad in (
        {"task": "techniques", "label": "Doubt", "action": "add"},  # no line
        {"task": "techniques", "label": "Dout", "action": "add", "line": line},
        {"task": "frames", "label": "Economic", "action": "flip"},
    ):
        response = client.post(f"{API}/articles/{first}/corrections", json=bad)
        assert response.status_code == 422, bad
    missing = client.post(f"{API}/articles/999999/corrections",
                          json={"task": "frames", "label": "Economic", "action": "add"})
    assert missing.status_code == 404


def wait_for(client, job_id: int, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"{API}/imports/{job_id}").json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} still {job['status']}")


def test_imports_of_files_and_of_urls(make_client, tmp_path):
    from postgres import free_port

    client = make_client()
    corpus = "\n".join(
        json.dumps({"id": f"n{i}", "text": text, "source": "Feedless"})
        for i, text in enumerate([example("en_opinion_energy.txt"), "   "])
    )
    files = [
        ("files", ("fr_tribune_reforme.txt", example("fr_tribune_reforme.txt").encode())),
        ("files", ("batch.jsonl", corpus.encode())),
        ("files", ("../../etc/passwd", b"\x00\x01\x02binary")),
    ]
    started = client.post(f"{API}/imports", files=files)
    assert started.status_code == 202
    job = wait_for(client, started.json()["id"])
    assert (job["status"], job["stored"], job["failed"]) == ("done", 2, 2), job
    assert len(job["errors"]) == 2 and all("\n" not in e for e in job["errors"])
    assert not (tmp_path / "etc").exists()

    dead = f"http://127.0.0.1:{free_port()}/feed.xml"
    started = client.post(f"{API}/imports", json={"urls": [dead], "feed": True})
    job = wait_for(client, started.json()["id"])
    assert (job["status"], job["failed"]) == ("done", 1) and job["errors"][0].startswith(dead)
    assert client.post(f"{API}/imports", json={"urls": []}).status_code == 422
    for local in ("/etc/passwd", "file:///etc/hosts", "../store.db"):  # never the server's files
        refused = client.post(f"{API}/imports", json={"urls": [local]})
        assert refused.status_code == 422 and "http(s)" in error_of(refused)["message"]
    assert client.post(f"{API}/imports", content=b"x", headers={"content-type": "text/plain"}
                       ).status_code == 415  # fmt: skip
    assert client.get(f"{API}/imports/9999").status_code == 404
    listed = client.get(f"{API}/imports").json()
    assert [j["status"] for j in listed] == ["done", "done"] and listed[0]["id"] > listed[1]["id"]


def test_openapi_describes_the_versioned_routes(make_client):
    schema = make_client().get("/openapi.json").json()
    paths = set(schema["paths"])
    assert {f"{API}/analyze", f"{API}/articles", f"{API}/articles/{{article_id}}",
            f"{API}/stats", f"{API}/speakers", f"{API}/export", f"{API}/imports",
            f"{API}/imports/{{job_id}}", f"{API}/articles/{{article_id}}/corrections"} <= paths


def test_a_broken_store_gives_a_json_error_not_a_traceback(analysis, tmp_path):
    from fastapi.testclient import TestClient

    from propscope.api import create_app

    database = tmp_path / "broken.db"
    app = create_app(f"sqlite:///{database}", analysis=analysis, api_keys=[], run_jobs=False)
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get(f"{API}/articles").status_code == 200
        app.state.workbench.store.close()
        for path in tmp_path.glob("broken.db*"):
            path.write_bytes(b"this is not a database" * 100)
        response = client.get(f"{API}/articles")
    assert response.status_code in (500, 503)
    assert "Traceback" not in response.text and database.name not in response.text
    error_of(response)
