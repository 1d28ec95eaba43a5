"""Reports show who is quoted: the speakers table, and each quote under its paragraph."""

from __future__ import annotations

from propscope.analyzers.quotes import QuotesAnalyzer
from propscope.ingest import parse_text
from propscope.report.html import render_html
from propscope.report.text import render_article

TEXT = (
    "Title\n"
    "“The grain crisis is a fabrication of <Western> capitals,” said Dmitry Peskov.\n"
    "“We will never give up on this fight,” he said.\n"
    "Nobody is quoted in this last paragraph at all.\n"
)


def _article():
    return QuotesAnalyzer()(parse_text(TEXT, "t", layout="lines"))


def test_text_report_lists_speakers_and_quotes():
    report = render_article(_article())
    assert "quoted: Dmitry Peskov (2 direct, 0 reported)" in report
    assert 'said by Dmitry Peskov: "The grain crisis is a fabrication' in report
    assert report.count("said by Dmitry Peskov") == 2


def test_html_report_has_a_who_is_quoted_table_and_escapes_quotes():
    page = render_html([_article()])
    assert "<h3>Who is quoted</h3>" in page
    assert '<td class="speaker">Dmitry Peskov</td><td>2 direct, 0 reported</td>' in page
    assert "&lt;Western&gt;" in page and "<Western>" not in page
    assert page.count('<ul class="quotes">') == 2


def test_reports_without_quotes_say_nothing_about_them():
    article = parse_text("Title\nNo one speaks here.\n", "t")
    QuotesAnalyzer()(article)
    assert "quoted:" not in render_article(article)
    assert "Who is quoted" not in render_html([article])
