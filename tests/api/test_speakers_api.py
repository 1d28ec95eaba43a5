"""GET /api/v1/speakers: who is quoted per outlet, from articles the real pipeline analysed."""

from __future__ import annotations

API = "/api/v1"

HARBOUR = (
    "Union vows to fight the port plan\n\n"
    "“The councillors are corrupt traitors who sold out this town,” said Tom Baker, the leader"
    " of the dockers' union.\n\n"
    "The union's leader, Tom Baker, said the plan was a betrayal of the workers and promised"
    " that his members would fight it in every court of the land.\n\n"
    "“We have consulted widely and the plan is sound,” said Mary Jones, the council's"
    " spokeswoman.\n"
)
PLAIN = "Rain expected\n\nThe forecast shows rain for most of the county on Friday afternoon.\n"


def test_speakers_route_lists_who_is_quoted_per_outlet(make_client):
    client = make_client()
    batch = {"articles": [
        {"text": HARBOUR, "source": "Herald", "published": "2024-05-02"},
        {"text": PLAIN, "source": "Ledger", "published": "2024-06-11"},
    ]}  # fmt: skip
    assert client.post(f"{API}/articles", json=batch).status_code == 201

    outlets = {o["source"]: o for o in client.get(f"{API}/speakers").json()["outlets"]}
    assert set(outlets) == {"Herald", "Ledger"}
    rows = {r["speaker"]: r for r in outlets["Herald"]["rows"]}
    assert rows["Tom Baker"]["quotes"] == 2 and rows["Tom Baker"]["direct"] == 1
    assert rows["Tom Baker"]["reported"] == 1 and rows["Tom Baker"]["articles"] == 1
    assert rows["Mary Jones"]["direct"] == 1
    assert not any(name.endswith(" and") for name in rows)
    assert outlets["Ledger"]["rows"] == [] and outlets["Ledger"]["articles"] == 1

    later = client.get(f"{API}/speakers", params={"since": "2024-06-01"}).json()["outlets"]
    assert [o["source"] for o in later] == ["Ledger"]
    top = client.get(f"{API}/speakers", params={"source": "Herald", "limit": 1}).json()
    assert [r["speaker"] for r in top["outlets"][0]["rows"]] == ["Tom Baker"]
    assert client.get(f"{API}/speakers", params={"limit": 0}).status_code == 422
    assert client.get(f"{API}/speakers", params={"speaker": "x"}).status_code == 422


def test_a_hostile_speaker_and_outlet_stay_text_on_the_page_and_in_the_csv(make_client):
    client = make_client()
    hostile = "<img src=x onerror=alert(1)>"
    text = (
        "Statement\n\n"
        "“Nobody will silence the workers of this harbour, ever again,” said Tom Baker"
        f" {hostile}.\n"
    )
    stored = client.post(f"{API}/articles", json={"text": text, "source": "Evil <b>Outlet</b>"})
    assert stored.status_code == 201
    page = client.get("/speakers")
    assert page.status_code == 200
    assert "'unsafe-inline'" not in page.headers["content-security-policy"]
    assert "<b>Outlet" not in page.text and "Evil &lt;b&gt;Outlet&lt;/b&gt;" in page.text
    assert "<img src=x" not in page.text and "Tom Baker" in page.text
    table = client.get("/speakers.csv")
    assert table.headers["content-type"].startswith("text/csv")
    assert "Evil <b>Outlet</b>,Tom Baker" in table.text  # CSV keeps the data as it is
