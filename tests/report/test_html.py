from html.parser import HTMLParser

from conftest import sample_evidence_article
from propscope.report.html import render_html
from propscope.report.segments import segments


def test_segments_cover_the_text_once():
    paragraph = sample_evidence_article().paragraphs[1]
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
    page = render_html([sample_evidence_article()])
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
