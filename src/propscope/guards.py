"""When to abstain: too little text, pages that are not news, genres too close to call.

A label on a recipe or on a photo caption is a guess a reader cannot check. These checks run
before the labelling analyzers (see :class:`~propscope.analyzers.guard.GuardAnalyzer`); an
article they stop carries ``Article.withheld`` (the reason) and no labels.

The not-news detector is a set of hand-written cue patterns in seven languages (recipes,
tutorials, product pages, forum threads), measured by ``benchmarks/bench_trust.py`` on pages
written for the purpose (``benchmarks/data/pages``) and on real news (the SemEval test articles,
where every flag is a false alarm). A page is "not news" when enough of its lines carry the
cues of one kind; news quoting one price or one step does not reach the bar.
"""

from __future__ import annotations

import re

from .document import Article, Prediction
from .features.tokenize import WORDS as _WORD

#: Fewer analysable words than this (after boilerplate) and no label is given: the shortest
#: training article has 123 words, and a title with a photo caption has about 30.
MIN_WORDS = 40
#: The genre model learned from articles of 140 words and more (95% of them); on shorter text
#: its scores drift towards satire (measured in benchmarks/bench_trust.py), so genre is
#: "uncertain" below this length.
GENRE_MIN_WORDS = 150
#: Genre is "uncertain" when the two most probable genres are closer than this.
GENRE_MARGIN = 0.15

_UNIT = (
    r"(?:g|kg|mg|ml|cl|dl|l|oz|lb|lbs|tbsp|tsp|cups?|EL|TL|Pck|Päckchen|cuill[eè]res?|"
    r"łyżk\w*|łyżeczk\w*|szklank\w*|pincée|Prise|pizzico|q\.b\.|cucharad\w*|gramos?)"
)
#: Cue patterns per kind of page; each line of a page counts once per kind.
CUES: dict[str, list[str]] = {
    "recipe": [
        rf"\b\d+(?:[.,]\d+)?\s?{_UNIT}\b",
        r"\b(ingredients?|ingrédients|zutaten|ingredienti|ingredientes|składniki|"
        r"dosi per|pour \d+ personnes|serves \d|für \d+ personen|para \d+ personas)\b",
        r"\b(preheat|heat the oven|préchauffe[zr]?|enfourne[zr]?|backofen|vorgeheizt|"
        r"in forno|forno a|al horno|piekarnik\w*|bake for|simmer|sauté|saut[ée]e?s?)\b",
        r"\b(prep(aration)? time|cook(ing)? time|temps de (préparation|cuisson)|"
        r"zubereitung(szeit)?|backzeit|tempo di cottura|tiempo total|czas przygotowania)\b",
        # cooking instructions, as imperatives
        r"^\s*(fry|stir|whisk|chop|add the|mix the|heat the|fold in|season|serve|"
        r"faites (cuire|revenir|fondre)|mélangez|laissez reposer|battez|ajoutez|versez|servez|"
        r"mettez la|déposez|das fleisch|die zwiebeln|mit der brühe|dazu passen|"
        r"tagliate|sbattete|cuocete|aggiungete|servite|pela|pica|fríe|bate|cuaja|"
        r"ugotuj|zagnieć|rozwałkuj|podawaj|na każde)\b",
        r"\b(guten appetit|smacznego|buon appetito|bon appétit|¡buen provecho|"
        r"tip:|astuce|tipp:|consiglio:)",
    ],
    "tutorial": [
        r"^\s*(step|étape|schritt|paso|passo|krok)\s*\d+\b",
        r"\b(tutorial|tutoriel|anleitung|guida|poradnik|how to|in this guide|"
        r"dans ce tuto\w*|en esta guía|in this tutorial|next lesson|prochaine partie|"
        r"próximo tutorial|so ändern sie)\b",
        r"(^\s*(\$ |sudo |git |pip |python3? |cd |npm )|=[A-Z]+\()",
        r"^\s*\d+\.\s+\S",
        # instructions to the reader
        r"^\s*(click|open|select|type|press|choose|go to|(wählen|klicken|markieren|ziehen|"
        r"geben|öffnen|tragen|verbinden) sie|cliquez|ouvrez|sélectionnez|montez|piquez|"
        r"répétez|faites glisser|apri|tocca|sposta|disinstalla|abre|entra|descarga|sube|"
        r"zakręć|zdejmij|załóż|odkręć|kluczem)\b",
        r"\b(tip:|tipp:|astuce|consiglio:|matériel :|materials?:|you will need|"
        r"sie brauchen|what you need|na koniec)",
    ],
    "product": [
        r"([£$€]\s?\d+[.,]\d\d\b|\b\d+(?:[.,]\d\d)\s?(€|eur\b|zł)|"
        r"^\s*(price|prix|preis|prezzo|precio|cena)\s?:|^\s*\d+ €)",
        r"\b(add to (cart|basket|bag|wishlist)|ajouter au panier|in den warenkorb|"
        r"aggiungi al carrello|añadir a la cesta|do koszyka|buy now|jetzt kaufen)\b",
        r"\b(in stock|en stock|sofort lieferbar|disponibilit[àa]|free (delivery|shipping|returns)|"
        r"livraison gratuite|envío gratis|spedizione gratuita|darmowa dostawa|"
        r"versandkosten)\b",
        r"\b(\d[\d.,]* (ratings|reviews|avis|bewertungen|recensioni|opiniones|opinii)|"
        r"customer reviews|avis clients|kundenbewertungen|valoración|out of 5|sur 5|"
        r"von 5|su 5|de 5)\b",
        r"\b(specifications|caractéristiques techniques|technische daten|dettagli prodotto|"
        r"especificaciones|product details|what's in the box|contenu du coffret)\b",
        r"\b(also bought|frequently bought|aussi acheté|auch gekauft|expédié sous|"
        r"dispatched within|versand innerhalb|envío en)\b",
    ],
    "forum": [
        r"\b(posted by|posté par|beitrag von|inviato da|publicado por|napisał\w*|"
        r"original post|message de)\b",
        r"(\breply\b|^\s*re:|\bréponse de\b|\bantwort von\b|\brisposta di\b|"
        r"\brespuesta de\b|\bodpowiedź\b)",
        r"\b(quote|citer|zitieren|cita|citar|cytuj)\b.*\b(reply|répondre|antworten|rispondi|"
        r"responder|odpowiedz|report|signaler|melden)\b",
        r"\b(joined|posts|wrote:|a écrit|schrieb|ha scritto|escribió|marking as solved|"
        r"views: \d)",
    ],
}
_COMPILED = {
    kind: [re.compile(p, re.IGNORECASE | re.MULTILINE) for p in patterns]
    for kind, patterns in CUES.items()
}
KIND_NAMES = {
    "recipe": "a recipe",
    "tutorial": "a tutorial or how-to guide",
    "product": "a product page",
    "forum": "a forum thread",
}
#: A page is of a kind when at least this many of its lines carry that kind's cues and they
#: make up at least this share of its lines, with at least two different cues among them (or
#: twice as many lines with one cue).
MIN_CUE_LINES = 3
MIN_CUE_SHARE = 0.2


def analysable_words(article: Article) -> int:
    return sum(len(_WORD.findall(p.text)) for p in article.analyzable_paragraphs())


def too_little_text(article: Article) -> str | None:
    """The reason to give no label when the article has too little analysable text."""
    words = analysable_words(article)
    if words < MIN_WORDS:
        return (
            f"too little text to analyse: {words} word{'s' if words != 1 else ''} after"
            f" boilerplate (at least {MIN_WORDS} needed)"
        )
    return None


def page_kind_scores(article: Article) -> dict[str, tuple[int, int]]:
    """Per kind of non-news page: (lines carrying its cues, distinct cues seen)."""
    lines = _lines(article)
    scores = {}
    for kind, patterns in _COMPILED.items():
        hit_lines, seen = 0, set()
        for line in lines:
            hits = {i for i, pattern in enumerate(patterns) if pattern.search(line)}
            if hits:
                hit_lines += 1
                seen |= hits
        scores[kind] = (hit_lines, len(seen))
    return scores


def _lines(article: Article) -> list[str]:
    return [line for p in article.paragraphs for line in p.text.splitlines() if line.strip()]


def not_news(article: Article) -> str | None:
    """The kind of page ("a recipe", ...) when the article is not news, else None."""
    lines = max(len(_lines(article)), 1)
    best, best_lines = None, 0
    for kind, (hit_lines, distinct) in page_kind_scores(article).items():
        if (
            hit_lines >= MIN_CUE_LINES
            and (distinct >= 2 or hit_lines >= 2 * MIN_CUE_LINES)
            and hit_lines / lines >= MIN_CUE_SHARE
            and hit_lines > best_lines
        ):
            best, best_lines = kind, hit_lines
    return KIND_NAMES[best] if best else None


def genre_uncertainty(article: Article, prediction: Prediction) -> str | None:
    """Why the genre should read "uncertain", or None when the top genre can be shown."""
    words = analysable_words(article)
    if words < GENRE_MIN_WORDS:
        return (
            f"text too short for genre ({words} words; the model learned from articles of"
            f" {GENRE_MIN_WORDS} words and more)"
        )
    ranked = sorted(prediction.probabilities.values(), reverse=True)
    if len(ranked) >= 2 and ranked[0] - ranked[1] < GENRE_MARGIN:
        return f"the two most probable genres are within {GENRE_MARGIN:.2f} of each other"
    return None
