"""A real server (``propscope serve`` under uvicorn, on a free loopback port): the main flow,
and a crash (SIGKILL) in the middle of an import."""

from __future__ import annotations

import json
import random
import re
import time

import httpx
import pytest

from conftest import EXAMPLES
from propscope.store import Store

API = "/api/v1"
KEY = {"X-API-Key": "test-key-1"}


def test_main_flow_over_http(start_server):
    server = start_server(keys="test-key-1,test-key-2")
    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    with httpx.Client(base_url=server.url, timeout=60) as http:
        batch = {"articles": [{"text": t, "source": "Bundled"} for t in texts]}
        assert http.post(f"{API}/articles", json=batch).status_code == 401
        assert http.post(f"{API}/articles", json=batch, headers={"X-API-Key": "no"}
                         ).status_code == 403  # fmt: skip
        stored = http.post(f"{API}/articles", json=batch, headers=KEY)
        assert stored.status_code == 201, stored.text
        ids = stored.json()["ids"]
        assert len(set(ids)) == 2

        page = http.get(f"{API}/articles", params={"q": "council", "source": "Bundled"}).json()
        assert page["total"] == 1 and page["items"][0]["language"] == "en"
        article = http.get(f"{API}/articles/{page['items'][0]['id']}").json()["article"]
        assert article["text"] == texts[0]
        stats = http.get(f"{API}/stats", params={"by": "language", "what": "frames"}).json()
        assert {g["group"] for g in stats["groups"]} == {"en", "fr"}
        with http.stream("GET", f"{API}/export", params={"format": "csv"}) as response:
            assert response.status_code == 200
            lines = b"".join(response.iter_bytes()).decode().splitlines()
        assert lines[0].startswith("article_id,") and len(lines) > 3

        big = b'{"text": "' + b"x" * 20_000_000 + b'"}'
        refused = http.post(f"{API}/articles", content=big,
                            headers={**KEY, "content-type": "application/json"})  # fmt: skip
        assert refused.status_code == 413 and refused.json()["error"]["status"] == 413
        assert http.get(f"{API}/health").json()["articles"] == 2  # still serving
    assert "Traceback" not in server.stop()


def synthetic_corpus(count: int, seed: int = 7) -> str:
    """JSON lines of distinct articles made of the bundled examples' words (no two alike)."""
    words = sorted(set(re.findall(r"[^\W\d_]{3,}", " ".join(
        p.read_text(encoding="utf-8") for p in EXAMPLES.glob("en_*.txt")))))  # fmt: skip
    rng = random.Random(seed)
    lines = []
    for number in range(count):
        paragraphs = [
            " ".join(rng.choice(words) for _ in range(25)).capitalize() + "."
            for _ in range(5)
        ]
        text = f"Report {number}\n\n" + "\n".join(paragraphs) + "\n"
        lines.append(json.dumps({"id": f"s{number}", "text": text, "source": "Synthetic",
                                 "language": "en"}))  # fmt: skip
    return "\n".join(lines) + "\n"


# SQLite only: PostgreSQL's durability is its own; the main flow above runs on both
@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_a_killed_server_loses_nothing_and_resumes_the_import(start_server, store_url):
    count = 60
    server = start_server()
    with httpx.Client(base_url=server.url, timeout=60) as http:
        started = http.post(
            f"{API}/imports", files=[("files", ("corpus.jsonl", synthetic_corpus(count)))]
        )
        assert started.status_code == 202, started.text
        job_id = started.json()["id"]
        deadline = time.monotonic() + 120
        while http.get(f"{API}/imports/{job_id}").json()["stored"] < 10:
            assert time.monotonic() < deadline, "the import made no progress"
            time.sleep(0.05)
    server.kill()

    with Store(store_url) as store:
        job = store.job(job_id)
        assert job["status"] == "running" and 10 <= job["stored"] < count
        # every article the job counted is stored, whole
        assert store.count() == job["stored"]
        keys_before = {i["key"] for i in store.search(page_size=200)["items"]}
        some = store.ids_of("s0")
        assert len(some) == 1 and len(store.get(some[0]).paragraphs) == 6

    restarted = start_server()
    with httpx.Client(base_url=restarted.url, timeout=60) as http:
        deadline = time.monotonic() + 180
        while (job := http.get(f"{API}/imports/{job_id}").json())["status"] != "done":
            assert job["status"] == "running" and time.monotonic() < deadline, job
            time.sleep(0.1)
    assert (job["stored"], job["duplicates"], job["failed"]) == (count, 0, 0)
    with Store(store_url) as store:
        assert store.count() == count  # every article once: none lost, none twice
        keys = [i["key"] for i in store.search(page_size=200)["items"]]
        assert sorted(keys) == sorted(f"s{n}" for n in range(count))
        assert keys_before <= set(keys)
