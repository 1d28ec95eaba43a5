"""What the pages show of an analysed article, and the pieces the corpus pages are built from."""

import math

import pytest

from conftest import sample_evidence_article
from propscope.document import Prediction
from propscope.taxonomy import GROUPS, TECHNIQUES
from propscope.web.charts import Series, bar_chart, line_chart
from propscope.web.corpus import bar_data, line_data, profile, query_string
from propscope.web.intervals import wilson
from propscope.web.views import analysis_view, caveats


def test_runs_cover_the_paragraph_and_carry_every_span_over_them():
    view = analysis_view(sample_evidence_article(), show_fallback=True)
    paragraph = view.paragraphs[1]
    assert "".join(run.text for run in paragraph.runs) == view.article.paragraphs[1].text
    both = next(run for run in paragraph.runs if run.text.strip() == "corrupt elite")
    assert both.labels.split() == ["Loaded_Language", "Name_Calling-Labeling"]
    assert both.group == "manipulative_wording"  # the more confident span's colour
    assert TECHNIQUES["Name_Calling-Labeling"].definition in both.hover
    fallback = next(run for run in paragraph.runs if "Exaggeration" in run.labels)
    assert fallback.fallback and "no exact span" in fallback.hover
    assert [t.label for t in paragraph.techniques][0] == "Loaded_Language"
    tags = [tag.label for run in paragraph.runs for tag in run.tags]
    assert sorted(tags) == sorted({s.label for s in view.article.paragraphs[1].spans})
    # as in the reports, fallback evidence is hidden unless asked for
    hidden = analysis_view(sample_evidence_article()).paragraphs[1]
    assert not any("Exaggeration" in run.labels for run in hidden.runs)
    assert "".join(run.text for run in hidden.runs) == view.article.paragraphs[1].text


def test_the_confident_view_leaves_out_labels_below_the_precision_bar():
    article = sample_evidence_article()
    techniques = article.paragraphs[1].techniques
    techniques.precision = {"Loaded_Language": 0.8, "Name_Calling-Labeling": 0.3}
    confident = analysis_view(article, view="confident")
    shown = [t.label for t in confident.paragraphs[1].techniques]
    assert "Name_Calling-Labeling" not in shown and "Loaded_Language" in shown
    assert confident.hidden == 1
    assert not any("Name_Calling" in run.labels for run in confident.paragraphs[1].runs)
    assert "Name_Calling-Labeling" not in [s.label for s, _ in confident.counts]
    everything = analysis_view(article, view="all")
    assert "Name_Calling-Labeling" in [t.label for t in everything.paragraphs[1].techniques]
    assert everything.hidden == 0
    loaded = next(t for t in everything.paragraphs[1].techniques if t.label == "Loaded_Language")
    assert "right 80% of the time" in loaded.about
    with pytest.raises(ValueError):
        analysis_view(article, view="some")


def test_an_uncertain_genre_shows_no_label_and_says_why():
    article = sample_evidence_article()
    article.genre.uncertain = "opinion and reporting within 0.05"
    view = analysis_view(article)
    assert not any(s.predicted for s in view.genre)
    assert view.genre_uncertain == "opinion and reporting within 0.05"
    assert "genre uncertain: opinion and reporting within 0.05" in view.caveats


@pytest.mark.parametrize(
    ("language", "expected"), [("fr", "fr"), ("en", "en"), ("de", "en"), (None, "en")]
)
def test_definitions_are_in_the_articles_language_where_written(language, expected):
    article = sample_evidence_article()
    article.language = language
    view = analysis_view(article)
    run = next(r for r in view.paragraphs[1].runs if r.text.strip() == "corrupt elite")
    name, definition = TECHNIQUES["Loaded_Language"].describe(expected)
    assert run.hover.startswith(name) and definition in run.hover
    assert view.legend[0].name == GROUPS["attack_on_reputation"].describe(expected)[0]
    assert len(view.legend) == len(GROUPS)


def test_caveats_gather_warnings_and_prediction_notes_once_each():
    article = sample_evidence_article()
    article.warnings = ["too little text to analyse reliably"]
    note = "model not trained on language 'es'"
    article.genre.note = note
    article.paragraphs[1].techniques.note = note
    assert caveats(article) == ["too little text to analyse reliably", note]
    article.withheld = "not news: a recipe"  # set by the run layer's guards
    assert caveats(article)[0] == "no labels given: not news: a recipe"


def test_wilson_interval_matches_hand_computed_values():
    low, high = wilson(5, 10)
    assert math.isclose(low, 0.2366, abs_tol=1e-4) and math.isclose(high, 0.7634, abs_tol=1e-4)
    low, high = wilson(0, 20)
    assert low == 0.0 and math.isclose(high, 0.1611, abs_tol=1e-4)
    assert wilson(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError):
        wilson(3, 2)
    # the interval narrows as the sample grows and always holds the observed rate
    assert wilson(30, 100)[1] - wilson(30, 100)[0] < wilson(3, 10)[1] - wilson(3, 10)[0]
    assert wilson(3, 10)[0] < 0.3 < wilson(3, 10)[1]


def test_charts_escape_names_and_draw_one_bar_per_value():
    hostile = '<script>alert("x")</script>'
    svg = str(bar_chart(["Doubt", hostile], [Series(hostile, [1.0, 2.0]), Series("b", [0, 3])],
                        "per 100 paragraphs", title=hostile))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.count("<rect class=\"value\"") == 4
    line = str(line_chart(["2024-01", "2024-02"], [Series(hostile, [1.0, 0.0])], "u"))
    assert "<script>" not in line and line.count("<circle") == 2
    assert "Nothing to chart" in str(bar_chart([], [], "u"))


def _stats(what="techniques"):
    groups = [
        {"group": "A", "articles": 3, "paragraphs": 40},
        {"group": "B", "articles": 5, "paragraphs": 10},
        {"group": None, "articles": 1, "paragraphs": 4},
    ]
    rows = [
        {"group": "A", "label": "Doubt", "count": 4, "per_100_paragraphs": 10.0},
        {"group": "A", "label": "Loaded_Language", "count": 8, "per_100_paragraphs": 20.0},
        {"group": "B", "label": "Loaded_Language", "count": 5, "per_100_paragraphs": 50.0},
    ]
    return {"what": what, "by": "source", "groups": groups, "rows": rows}


def test_bar_data_orders_groups_by_size_and_labels_by_use():
    categories, series = bar_data(_stats(), top_groups=2)
    assert categories == [TECHNIQUES["Loaded_Language"].name, TECHNIQUES["Doubt"].name]
    assert [s.name for s in series] == ["B", "A"]
    assert series[0].values == [50.0, 0.0] and series[1].values == [20.0, 10.0]


def test_line_data_keeps_periods_in_order_and_leaves_unknown_dates_out():
    stats = _stats()
    for group, month in zip(stats["groups"], ["2024-03", "2024-01", None], strict=True):
        group["group"] = month
    for row, month in zip(stats["rows"], ["2024-03", "2024-03", "2024-01"], strict=True):
        row["group"] = month
    periods, series = line_data(stats)
    assert periods == ["2024-01", "2024-03"]
    assert series[0].name == TECHNIQUES["Loaded_Language"].name
    assert series[0].values == [50.0, 20.0]


def test_profile_gives_counts_rates_and_intervals_per_outlet():
    rows = profile(_stats(), ["A", "B"])
    loaded = next(r for r in rows if r.label == "Loaded_Language")
    a, b = loaded.cells
    assert (a.count, a.total, b.count, b.total) == (8, 40, 5, 10)
    assert a.rate == pytest.approx(20.0) and b.rate == pytest.approx(50.0)
    assert a.low < a.rate < a.high and b.low < b.rate < b.high
    doubt = next(r for r in rows if r.label == "Doubt")
    assert doubt.cells[1].count == 0 and doubt.cells[1].low == 0.0 and doubt.cells[1].high > 0
    assert rows[0].label == "Loaded_Language"  # highest rate first
    assert not loaded.apart  # 8/40 and 5/10: intervals overlap
    wide = profile(
        {
            "what": "frames",
            "groups": [{"group": "A", "articles": 100}, {"group": "B", "articles": 100}],
            "rows": [{"group": "A", "label": "Political", "count": 80},
                     {"group": "B", "label": "Political", "count": 10}],
        },
        ["A", "B"],
    )  # fmt: skip
    assert wide[0].apart


def test_query_string_drops_blank_filters():
    assert query_string({"q": "", "source": "A&B", "since": None}, format="csv") == (
        "source=A%26B&format=csv"
    )


def test_analysis_view_of_an_unanalysed_article_has_no_scores():
    article = sample_evidence_article()
    article.genre = None
    article.paragraphs[1].techniques = Prediction({}, [])
    view = analysis_view(article)
    assert view.genre == [] and view.counts == []


def test_predictions_of_other_models_are_shown_beside_the_selected_one():
    article = sample_evidence_article()
    article.set_prediction(
        "genre", Prediction({"opinion": 0.3, "satire": 0.7}, ["satire"], model="encoder"), False
    )
    paragraph = article.paragraphs[1]
    paragraph.set_prediction(
        "techniques", Prediction({"Doubt": 0.8}, ["Doubt"], model="encoder"), select=False
    )
    view = analysis_view(article)
    assert [s.label for s in view.genre if s.predicted] == ["opinion"]  # still the linear one
    [genre] = view.alternatives
    assert (genre.task, genre.model, [s.label for s in genre.labels]) == (
        "genre", "encoder", ["satire"]
    )
    [techniques] = view.paragraphs[1].alternatives
    assert techniques.model == "encoder" and [s.label for s in techniques.labels] == ["Doubt"]
    assert view.paragraphs[1].model == "linear"


def test_a_technique_is_named_once_per_paragraph_however_many_spans_it_has():
    from propscope.document import Span

    article = sample_evidence_article()
    paragraph = article.paragraphs[1]
    paragraph.spans.append(Span(paragraph.start + 30, paragraph.start + 39, "Loaded_Language", 0.7))
    view = analysis_view(article, view="all")
    runs = view.paragraphs[1].runs
    assert sum("Loaded_Language" in run.labels.split() for run in runs) == 2  # both highlighted
    assert [t.label for run in runs for t in run.tags].count("Loaded_Language") == 1
