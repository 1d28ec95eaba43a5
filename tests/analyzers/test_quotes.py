"""Quotes: every quotation convention, reported speech in nine languages, speakers resolved."""

from __future__ import annotations

import time

import pytest

from propscope.analyzers.names import same_name
from propscope.analyzers.quotes import QuotesAnalyzer, find_quotes
from propscope.document import Quote
from propscope.ingest import parse_text


def quotes_of(text: str) -> tuple[str, list[Quote]]:
    article = parse_text(text, "t", layout="lines")
    return article.text, find_quotes(article)


def said(text: str) -> list[tuple[str, str | None, bool]]:
    """(quoted words, resolved speaker, direct) of every quote found in ``text``."""
    full, quotes = quotes_of(text)
    return [(full[q.start : q.end], q.resolved_speaker, q.direct) for q in quotes]


CONVENTIONS = [
    ("fr", "« Nous ne céderons pas », a déclaré Jean Dupont."),
    ("fr", "«Nous ne céderons pas», a déclaré Jean Dupont."),
    ("en", "“We will not give in,” said Jean Dupont."),
    ("en", '"We will not give in," said Jean Dupont.'),
    ("de", "„Wir geben nicht nach“, sagte Jean Dupont."),
    ("de", "»Wir geben nicht nach«, sagte Jean Dupont."),
    ("pl", "„Nie ustąpimy” – powiedział Jean Dupont."),
    ("de", "‚Wir geben nicht nach‘, sagte Jean Dupont."),
    ("en", "‘We will not give in,’ said Jean Dupont."),
    ("fr", "‹ Nous ne céderons pas ›, a déclaré Jean Dupont."),
    ("ru", "«Мы не уступим», — заявил Jean Dupont."),
    ("it", "«Non cederemo», ha detto Jean Dupont."),
    ("es", "«No cederemos», dijo Jean Dupont."),
    ("el", "«Δεν θα υποχωρήσουμε», δήλωσε ο Jean Dupont."),
    ("ka", "„ჩვენ არ დავთმობთ“, - განაცხადა Jean Dupont."),
]


@pytest.mark.parametrize(("language", "sentence"), CONVENTIONS)
def test_each_quotation_convention_gives_the_words_and_the_speaker(language, sentence):
    found = said("Titre\n" + sentence)
    assert len(found) == 1, found
    words, speaker, direct = found[0]
    assert direct and speaker == "Jean Dupont"
    # the span is the words inside the marks, without the marks
    assert words[0].isalpha() and words[-1].isalpha()
    assert words in sentence


def test_nested_quotes_stay_inside_the_outer_quote():
    text = (
        "Title\n«Американцы верят, что „изоляция“ России работает. Это не так», — написала "
        "Мария Захарова.\n“He called it ‘a disaster’ and left,” said John Smith."
    )
    found = said(text)
    assert [(w.split()[0], s) for w, s, _ in found] == [
        ("Американцы", "Мария Захарова"),
        ("He", "John Smith"),
    ]
    assert found[0][0].endswith("Это не так") and "„изоляция“" in found[0][0]
    assert found[1][0].endswith("and left")


def test_a_quote_over_several_paragraphs_with_the_opening_mark_repeated():
    text = (
        "Title\n«Nous avons tout essayé. Rien n'a marché.\n"
        "«Il faut maintenant que Paris nous écoute», a déclaré Marc Vermeulen.\n"
        "Le reste de l'article suit."
    )
    full, quotes = quotes_of(text)
    assert len(quotes) == 1
    quote = quotes[0]
    assert full[quote.start : quote.end].startswith("Nous avons")
    assert full[quote.start : quote.end].endswith("nous écoute")
    assert quote.resolved_speaker == "Marc Vermeulen"


def test_a_quote_over_paragraphs_that_end_open():
    text = (
        "Title\n„Das ist keine Verteidigung. Seht auf die Karte.\n"
        "Wir müssen reagieren“, sagte Viktor Sokolow.\nDanach sprach niemand."
    )
    full, quotes = quotes_of(text)
    assert len(quotes) == 1
    assert full[quotes[0].start : quotes[0].end].endswith("Wir müssen reagieren")
    assert quotes[0].resolved_speaker == "Viktor Sokolow"


def test_an_open_quote_does_not_swallow_the_article():
    text = "Title\n« Nous ne céderons jamais sur ce point, a dit Jean Dupont.\n" + (
        "Un autre paragraphe sans guillemets.\n" * 20
    )
    full, quotes = quotes_of(text)
    for quote in quotes:
        assert "\n" not in full[quote.start : quote.end]


REPORTED = [
    ("en", "Title\nJohn Smith said that the plan would fail within a year.", "John Smith"),
    ("en", "Title\nAccording to John Smith, the plan will fail within a year.", "John Smith"),
    ("fr", "Title\nSelon Jean Dupont, le plan échouera d'ici un an.", "Jean Dupont"),
    ("fr", "Title\nJean Dupont a déclaré que le plan échouerait d'ici un an.", "Jean Dupont"),
    ("fr", "Title\nLe plan échouera d'ici un an, a déclaré Jean Dupont.", "Jean Dupont"),
    ("de", "Title\nLaut Hans Müller wird der Plan in einem Jahr scheitern.", "Hans Müller"),
    ("de", "Title\nHans Müller sagte, dass der Plan in einem Jahr scheitert.", "Hans Müller"),
    ("it", "Title\nSecondo Mario Rossi, il piano fallirà entro un anno.", "Mario Rossi"),
    ("it", "Title\nMario Rossi ha detto che il piano fallirà entro un anno.", "Mario Rossi"),
    ("pl", "Title\nWedług Jana Kowalskiego plan upadnie w ciągu roku.", "Jana Kowalskiego"),
    ("pl", "Title\nJan Kowalski powiedział, że plan upadnie w ciągu roku.", "Jan Kowalski"),
    ("ru", "Title\nПо словам Ивана Петрова, план провалится в течение года.", "Ивана Петрова"),
    ("ru", "Title\nКак заявил Иван Петров, план провалится в течение года.", "Иван Петров"),
    ("ru", "Title\nИван Петров заявил, что план провалится в течение года.", "Иван Петров"),
    ("es", "Title\nSegún Juan García, el plan fracasará en un año.", "Juan García"),
    ("es", "Title\nJuan García dijo que el plan fracasará en un año.", "Juan García"),
    ("el", "Title\nΣύμφωνα με τον Νίκο Παπαδόπουλο, το σχέδιο θα αποτύχει σε ένα χρόνο.",
     "Νίκο Παπαδόπουλο"),
    ("el", "Title\nΟ Νίκος Παπαδόπουλος δήλωσε ότι το σχέδιο θα αποτύχει σε ένα χρόνο.",
     "Νίκος Παπαδόπουλος"),
    ("ka", "Title\nგიორგიმ განაცხადა, რომ გეგმა ერთ წელიწადში ჩავარდება.", "გიორგიმ"),
]


@pytest.mark.parametrize(("language", "text", "speaker"), REPORTED)
def test_reported_speech_in_each_language(language, text, speaker):
    found = said(text)
    assert len(found) == 1, found
    words, resolved, direct = found[0]
    assert not direct
    assert same_name(resolved, speaker), (resolved, speaker)
    assert len(words.split()) >= 3 and speaker.split()[-1] not in words


def test_pronouns_and_roles_resolve_to_the_nearest_earlier_speaker():
    text = (
        "Title\n“The grain crisis is a fabrication,” said Dmitry Peskov, the Kremlin spokesman.\n"
        "He added that Russia remained ready to ship wheat to Africa.\n"
        "“Nobody will dictate to us where our ships sail,” the spokesman said.\n"
        "In Kyiv, “we will not wait for Moscow to decide,” said Olena Kovalenko.\n"
        "“Every day of delay costs lives,” she said."
    )
    found = said(text)
    assert [s for _, s, _ in found] == [
        "Dmitry Peskov",
        "Dmitry Peskov",
        "Dmitry Peskov",
        "Olena Kovalenko",
        "Olena Kovalenko",
    ]


def test_surnames_and_titles_resolve_to_the_full_name():
    found = said(
        "Title\n« Les affaires de Hong Kong sont internes », a déclaré le porte-parole, "
        "Wang Wenbin.\nM. Wang a ajouté que la Chine ne céderait à aucune pression."
    )
    assert [s for _, s, _ in found] == ["Wang Wenbin", "Wang Wenbin"]


def test_a_pronoun_with_no_one_before_is_unresolved():
    full, quotes = quotes_of("Title\n“We will never give up on this fight,” he said.")
    assert len(quotes) == 1
    assert quotes[0].speaker == "he" and quotes[0].resolved_speaker is None
    assert quotes[0].confidence <= 0.4


def test_coordinated_verbs_share_the_subject_and_a_clause_tail_is_no_speaker():
    found = said(
        "Title\nThe union's leader, Tom Baker, said the plan was a betrayal of the workers and"
        " promised that his members would fight it in every court of the land."
    )
    assert [speaker for _, speaker, _ in found] == ["Tom Baker"]
    assert found[0][0].startswith("his members would fight it")
    # no reporting verb before the coordinator: no speaker invented from the clause
    full, quotes = quotes_of(
        "Title\nThe plan was a betrayal of the workers and promised that his members would"
        " fight it in every court of the land."
    )
    for quote in quotes:
        assert not (quote.speaker or "").endswith(" and") and quote.resolved_speaker is None


def test_text_without_quotes_gives_none():
    assert said(
        "Energy prices climb\nHousehold bills rose by eleven percent in September.\n"
        "The increase was driven mostly by gas. Retailers expect further rises."
    ) == []
    assert said("") == []


def test_short_quoted_words_without_a_cue_are_not_quotes():
    # titles and scare quotes
    assert said("Title\nThe film “Oppenheimer” won seven awards at the ceremony.") == []


def test_quotes_in_titles():
    found = said("Peskov: “Western claims are a fabrication”\nThe Kremlin spoke on Monday.")
    assert found == [("Western claims are a fabrication", "Peskov", True)]


@pytest.mark.parametrize(
    "text",
    [
        "Title\n« « « « ” „ ‚ ‘ ’ » » ».",
        'Title\n"""" " " "a" "\n"b',
        "Title\n»«»«»«\n„“„“„\n",
        "Title\n“Unclosed quote that goes on and on, said nobody",
        "Title\n— dodał.\n, a déclaré\n: «",
        "«" * 5000 + "\n" + "»" * 5000,
    ],
)
def test_odd_marks_never_crash_and_offsets_stay_in_the_text(text):
    article = parse_text(text, "t", layout="lines")
    quotes = find_quotes(article)
    for quote in quotes:
        assert 0 <= quote.start <= quote.end <= len(article.text)
        if quote.speaker_start is not None:
            assert article.text[quote.speaker_start : quote.speaker_end] == quote.speaker


def _big_article(size: int) -> str:
    paragraph = (
        "« Nous ne céderons pas », a déclaré Jean Dupont devant la presse. Selon lui, "
        'le plan échouera. "Unclosed, he said. John Smith said that it would fail „soon.\n'
    )
    return "Title\n" + paragraph * (size // len(paragraph))


def test_time_grows_linearly_with_the_article_size():
    small, big = _big_article(250_000), _big_article(5_000_000)

    def seconds(text: str) -> float:
        article = parse_text(text, "t", layout="lines")
        start = time.process_time()
        find_quotes(article)
        return time.process_time() - start

    seconds(small)
    ratio = seconds(big) / max(seconds(small), 1e-3)
    # 20 times the text; quadratic behaviour would be about 400 times
    assert ratio < 60, ratio


def test_the_analyzer_fills_article_quotes_and_paragraph_links():
    article = parse_text("Title\n“We will win,” said John Smith.\nNo quote here.", "t")
    QuotesAnalyzer()(article)
    assert [q.resolved_speaker for q in article.quotes] == ["John Smith"]
    assert [p.quotes for p in article.paragraphs] == [[], [0], []]


def test_quotes_run_by_default_and_entities_only_when_asked():
    from propscope.analyzers.pipeline import default_names

    names = default_names()
    assert "quotes" in names and "entities" not in names
    assert names.index("quotes") > names.index("evidence")  # it links evidence to quotes
