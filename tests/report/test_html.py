from html.parser import HTMLParser

from propscope.document import Prediction, Span
from propscope.ingest import parse_text
from propscope.report.html import render_html
from propscope.report.segments import segments


def _article():
    article = parse_text("Title <b>\n\nThe corrupt elite lied again, as always.\n", "x&1")
    paragraph = article.paragraphs[1]
    base = paragraph.start
    paragraph.spans = [
        Span(base + 4, base + 18, "Loaded_Language", 0.9),
        Span(base + 4, base + 28, "Name_Calling-Labeling", 0.6),
        Span(base + 30, base + 39, "Exaggeration-Minimisation", None, fallback=True),
    ]
    paragraph.techniques = Prediction(
        {"Loaded_Language": 0.9, "Name_Calling-Labeling": 0.6, "Exaggeration-Minimisation": 0.3},
        ["Loaded_Language", "Name_Calling-Labeling", "Exaggeration-Minimisation"],
    )
    article.genre = Prediction({"opinion": 0.8, "reporting": 0.15, "satire": 0.05}, ["opinion"])
    return article


def test_segments_cover_the_text_once():
    paragraph = _article().paragraphs[1]
    runs = segments(paragraph)
    assert "".join(r.text for r in runs) == paragraph.text
    assert [len(r.spans) for r in runs] == [0, 2, 1, 0, 1, 0]
    assert runs[1].spans[0].label == "Loaded_Language"  # most confident first


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.marks, self.external = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "mark":
            self.marks.append(attrs)
        for key in ("src", "href"):
            if key in attrs:
                self.external.append(attrs[key])


def test_html_is_self_contained_escaped_and_marks_evidence():
    page = render_html([_article()])
    collector = _Collector()
    collector.feed(page)
    assert collector.external == []  # no external assets
    assert "Title &lt;b&gt;" in page and "x&amp;1" in page
    assert len(collector.marks) == 3
    assert collector.marks[0]["class"] == "g-manipulative_wording"
    assert "Name calling / labeling (0.60)" in collector.marks[0]["title"]
    assert collector.marks[2]["class"].endswith("fallback")
    assert "Casting doubt" not in page  # only techniques present are listed
    assert "Loaded language</td><td>1 paragraph" in page
