"""A small corpus written for the story tests.

Storm closes Hamburg's port (English, German, French, same day); the Czech central bank cuts
its rate the same day (English, Polish); the port reopens three days later (English); and a
storm closes the port again three months later: a new story, by its date.
"""

from __future__ import annotations

from propscope.document import Prediction, Quote
from propscope.ingest.text import parse_text

CORPUS = [
    ("en-storm", "en", "2025-02-11", "Harbour Post",
     "Storm Gerda shuts Hamburg port, container ships wait offshore\n"
     "Hurricane-force winds from storm Gerda forced the port of Hamburg to halt all container "
     "handling on Tuesday. Forty ships are waiting in the Elbe estuary, the port authority said."),
    ("de-storm", "de", "2025-02-11", "Elbe Anzeiger",
     "Sturm Gerda legt Hamburger Hafen lahm\n"
     "Orkanböen des Sturms Gerda haben am Dienstag den Containerumschlag im Hamburger Hafen "
     "gestoppt. Vierzig Schiffe warten in der Elbmündung, teilte die Hafenbehörde mit."),
    ("fr-storm", "fr", "2025-02-11", "Le Courrier Maritime",
     "La tempête Gerda paralyse le port de Hambourg\n"
     "Des rafales de la tempête Gerda ont contraint mardi le port de Hambourg à suspendre la "
     "manutention des conteneurs. Quarante navires attendent dans l’estuaire de l’Elbe."),
    ("en-cnb", "en", "2025-02-11", "Harbour Post",
     "Czech central bank cuts interest rate to 3.75%\n"
     "The Czech National Bank lowered its main interest rate by a quarter point to 3.75% on "
     "Tuesday, citing slowing inflation and weak industrial output."),
    ("pl-cnb", "pl", "2025-02-11", "Gazeta Południowa",
     "Czeski bank centralny obniżył stopy procentowe do 3,75 proc.\n"
     "Czeski Bank Narodowy obniżył we wtorek główną stopę procentową o ćwierć punktu, do 3,75 "
     "proc., wskazując na słabnącą inflację i spadek produkcji przemysłowej."),
    ("en-reopen", "en", "2025-02-14", "Harbour Post",
     "Hamburg port reopens after storm Gerda\n"
     "Container handling resumed in Hamburg on Friday, three days after storm Gerda closed the "
     "port. The forty ships that waited in the Elbe estuary are being unloaded."),
    ("en-storm-may", "en", "2025-05-20", "Harbour Post",
     "Storm Ilse closes Hamburg port, ships wait in the Elbe\n"
     "Gale-force winds from storm Ilse halted container handling in the port of Hamburg on "
     "Tuesday; twenty ships are waiting in the Elbe estuary, the port authority said."),
]  # fmt: skip


def article(article_id, language, published, outlet, text):
    return parse_text(
        text + "\n", article_id, layout="lines", language=language, published=published,
        source=outlet,
    )  # fmt: skip


def analysed_corpus():
    """The corpus as if analysed: one outlet loads its language; one article quotes someone."""
    articles = []
    for row in CORPUS:
        item = article(*row)
        loud = item.source == "Elbe Anzeiger"
        for paragraph in item.paragraphs:
            labels = ["Loaded_Language", "Appeal_to_Fear-Prejudice"] if loud else []
            paragraph.techniques = Prediction(probabilities={}, predicted=labels)
        item.frames = Prediction(probabilities={}, predicted=["Economic"])
        if item.id == "de-storm":
            start = item.text.index("teilte")
            item.quotes = [Quote(start=start, end=len(item.text) - 1, speaker="Hafenbehörde")]
        articles.append(item)
    return articles
