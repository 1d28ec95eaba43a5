"""Issue #11: one test (or a few) per observation; each failed on the code the issue was filed
against. Observation 9 (the network) is in test_issue11_network.py, 13 (library traps) in
tests/test_library.py."""

from __future__ import annotations

import csv
import html
import json
import os
import re
import signal
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest

import propscope
from conftest import EXAMPLES, ROOT, run_cli
from propscope.ingest import parse_text, read_path
from propscope.report.html import render_html
from propscope.report.text import render_article
from propscope.report.view import shown_genre

PAGES = ROOT / "benchmarks" / "data" / "pages"
WORD = re.compile(r"\w+(?:[-'’]\w+)*")

GREEK = (
    "Η κυβέρνηση προδίδει ξανά τον λαό\n\n"
    "Η κυβέρνηση των ψεμάτων πούλησε για άλλη μια φορά τη χώρα στους δανειστές, ενώ οι "
    "συνταξιούχοι ψάχνουν φαγητό στα σκουπίδια και οι νέοι φεύγουν στο εξωτερικό.\n\n"
    "Ο πρωθυπουργός και οι αδίστακτοι υπουργοί του γελούν στα τηλεοπτικά πάνελ, την ώρα που "
    "τα νοσοκομεία κλείνουν το ένα μετά το άλλο και τα σχολεία μένουν χωρίς δασκάλους.\n\n"
    "Όλοι ξέρουν την αλήθεια. Φτάνει πια: ο λαός πρέπει να τους διώξει πριν να είναι αργά.\n"
)


def _analyze_text(text: str, tmp_path: Path, name: str = "article.txt", *extra: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = run_cli("analyze", str(path), "--format", "json", *extra)
    return result, json.loads(result.stdout or b"[]")


# -- 1. untrained languages carry their note in every format ---------------------------------


def test_issue11_obs1_html_report_says_the_model_was_not_trained_on_the_language():
    article = propscope.analyze(parse_text(GREEK, "el1", language="el"))
    note = "model not trained on language 'el'"
    assert note in render_article(article)
    assert note in article.to_json()
    assert note in html.unescape(render_html([article]))


# -- 2. too little text: no labels -----------------------------------------------------------


def test_issue11_obs2_boilerplate_only_file_gets_no_labels(tmp_path):
    text = (
        "Partagez cet article sur Facebook\n"
        "Abonnez-vous à notre newsletter\n"
        "© 2024 Le Journal du Soir. Tous droits réservés.\n"
        "Mis à jour le 12 mars 2024 à 10h32\n"
    )
    result, [article] = _analyze_text(text, tmp_path)
    assert result.returncode == 0
    assert article["withheld"].startswith("too little text")
    assert article["genre"] is None and article["frames"] is None
    assert all(p["techniques"] is None for p in article["paragraphs"])
    assert any("labels withheld" in w for w in article["warnings"])


def test_issue11_obs2_bom_only_file_is_reported(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf")
    result = run_cli("analyze", str(path), "--format", "json")
    assert result.returncode == 1
    assert "only a byte order mark" in result.stderr.decode()
    assert json.loads(result.stdout) == []


def test_issue11_obs2_title_and_caption_page_is_too_short(tmp_path):
    html = (
        "<html><head><title>Flood waters rise</title></head><body><article>"
        "<h1>Flood waters rise in the valley</h1><figure><img src='x.jpg'>"
        "<figcaption>Residents watch the river from the old stone bridge on Sunday morning."
        "</figcaption></figure></article></body></html>"
    )
    result, [article] = _analyze_text(html, tmp_path, "page.html")
    assert article["withheld"] and "too little text" in article["withheld"]
    assert article["genre"] is None
    report = render_article(propscope.Article.from_dict(article))
    assert "labels withheld: too little text" in report


# -- 3. non-news pages and the satire rate ---------------------------------------------------


def test_issue11_obs3_not_news_pages_are_flagged_and_satire_is_rare():
    articles = {path: propscope.analyze(read_path(path)) for path in sorted(PAGES.rglob("*.txt"))}
    assert len(articles) >= 60
    satire = [p.name for p, a in articles.items() if shown_genre(a) == "satire"]
    assert len(satire) <= len(articles) / 20, satire
    for path, article in articles.items():
        flagged = bool(article.withheld and article.withheld.startswith("not news"))
        if path.parent.name in ("news", "press"):
            assert not flagged, path.name
            assert article.genre is not None
        else:
            assert flagged, path.name
            assert article.genre is None and article.technique_counts() == {}
    # the police crash report is never presented as opinion
    crash = next(a for p, a in articles.items() if p.name == "en_police_crash.txt")
    assert shown_genre(crash) != "opinion"


def test_issue11_obs3_label_all_labels_a_recipe_with_a_warning(tmp_path):
    from propscope.runner import Runner

    recipe = PAGES / "recipe" / "en_muffins.txt"
    [withheld] = Runner().run([str(recipe)])
    [labelled] = Runner(withhold=False).run([str(recipe)])
    assert withheld.withheld == "not news: this page looks like a recipe"
    assert labelled.withheld is None and labelled.genre is not None
    assert "not news: this page looks like a recipe" in labelled.warnings
    # the command line's switch
    result = run_cli("analyze", str(recipe), "--label-all", "--format", "json")
    assert json.loads(result.stdout)[0]["genre"] is not None


def test_issue11_obs3_genre_is_uncertain_when_the_top_two_are_close():
    from propscope.document import Prediction
    from propscope.guards import genre_uncertainty

    long_text = "Title\n\n" + "The council met on Monday to discuss the budget. " * 40
    article = parse_text(long_text, "g1")
    close = Prediction({"opinion": 0.45, "reporting": 0.41, "satire": 0.14}, ["opinion"])
    clear = Prediction({"opinion": 0.75, "reporting": 0.15, "satire": 0.10}, ["opinion"])
    assert "within" in genre_uncertainty(article, close)
    assert genre_uncertainty(article, clear) is None
    article.genre = close
    close.uncertain = genre_uncertainty(article, close)
    assert shown_genre(article) == "uncertain"
    assert "genre: uncertain" in render_article(article)


# -- 4. highlights ---------------------------------------------------------------------------


def _real_articles(shared_examples):
    paths = sorted(EXAMPLES.glob("*.txt")) + sorted(shared_examples.glob("*.txt"))
    return [propscope.analyze(read_path(p)) for p in paths]


def test_issue11_obs4_spans_are_whole_phrases_not_lone_function_words(shared_examples):
    from propscope.features.function_words import ALL_FUNCTION_WORDS

    spans = one_word = 0
    for article in _real_articles(shared_examples):
        for paragraph in article.paragraphs:
            for span in paragraph.spans:
                if span.fallback:
                    continue
                words = WORD.findall(article.text[span.start : span.end])
                spans += 1
                one_word += len(words) == 1
                assert words, "a span without a word"
                assert not (len(words) == 1 and words[0].lower() in ALL_FUNCTION_WORDS), words
                last = words[-1].lower()
                assert last not in ALL_FUNCTION_WORDS or len(words) == 1, words
    assert spans >= 5
    assert one_word / spans < 0.10


def test_issue11_obs4_decomposed_text_is_composed_and_never_cut_mid_word():
    text = (
        "Réforme : une trahison honteuse\n\n"
        "Le gouvernement a choisi de sacrifier les habitants des campagnes sur l'autel de ses "
        "économies, et ce mépris éhonté détruira nos villages déjà abandonnés.\n"
    )
    decomposed = unicodedata.normalize("NFD", text)
    article = propscope.analyze(decomposed, decision="balanced")
    assert article.text == unicodedata.normalize("NFC", text)
    for paragraph in article.paragraphs:
        assert article.text[paragraph.start : paragraph.end] == paragraph.text
        for span in paragraph.spans:
            before = article.text[span.start - 1 : span.start]
            after = article.text[span.end : span.end + 1]
            assert not (before.isalnum() or after.isalnum()), (before, after)


def test_issue11_obs4_fallback_spans_hidden_by_default_and_marked_when_shown():
    from conftest import sample_evidence_article

    article = sample_evidence_article()
    assert "as always" in article.text and any(s.fallback for s in article.paragraphs[1].spans)
    default = render_article(article)
    shown = render_article(article, show_fallback=True)
    assert "(fallback)" not in default and "[as" not in default
    assert "[as" in shown and "{Exaggeration / minimisation (fallback)}" in shown
    assert "fallback" not in render_html([article], show_fallback=False).split("<main>")[1]


# -- 5. --decision balanced never shows fewer techniques -------------------------------------


def test_issue11_obs5_balanced_never_shows_fewer_techniques_than_micro():
    from propscope.analyzers.techniques import TechniquesAnalyzer

    micro = TechniquesAnalyzer.load(decision="micro")
    balanced = TechniquesAnalyzer.load(decision="balanced")
    assert (balanced.thresholds <= micro.thresholds).all()
    for path in sorted(EXAMPLES.glob("*.txt")):
        a = propscope.analyze(propscope.read(str(path)))
        b = propscope.analyze(propscope.read(str(path)), decision="balanced")
        for pa, pb in zip(a.paragraphs, b.paragraphs, strict=True):
            if pa.techniques is not None:
                assert set(pa.techniques.predicted) <= set(pb.techniques.predicted)


# -- 6, 7, 8, 10. the user's files -----------------------------------------------------------


def test_issue11_obs6_output_equal_to_an_input_is_refused(tmp_path):
    source = tmp_path / "article.txt"
    source.write_bytes((EXAMPLES / "en_opinion_energy.txt").read_bytes())
    before = source.read_bytes()
    result = run_cli("analyze", str(source), "-o", str(source))
    assert result.returncode == 2
    assert "also an input" in result.stderr.decode()
    assert source.read_bytes() == before
    # the same file through another path
    result = run_cli("analyze", str(source), "-o", str(tmp_path / "." / "article.txt"))
    assert result.returncode == 2 and source.read_bytes() == before
    # a folder holding the output: the output is left out of the inputs, and left alone
    result = run_cli("analyze", str(tmp_path), "-o", str(source))
    assert source.read_bytes() == before


def test_issue11_obs7_a_run_without_articles_keeps_the_old_output(tmp_path):
    out = tmp_path / "results.json"
    out.write_text('[{"earlier": "results"}]\n', encoding="utf-8")
    result = run_cli("analyze", str(tmp_path / "missing.txt"), "--format", "json", "-o", str(out))
    assert result.returncode == 1
    assert out.read_text(encoding="utf-8") == '[{"earlier": "results"}]\n'
    assert f"{out} left as it was" in result.stderr.decode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.json"]


def test_issue11_obs8_the_output_file_is_never_read_back_as_an_input(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_bytes((EXAMPLES / "en_opinion_energy.txt").read_bytes())
    out = folder / "report.txt"
    for _ in range(2):
        result = run_cli("analyze", str(folder), "-o", str(out))
        assert result.returncode == 0, result.stderr.decode()
    assert out.read_text(encoding="utf-8").count("\n== ") + 1 == 1  # one article, not two


def test_issue11_obs10_output_folder_is_refused_before_any_analysis(tmp_path):
    result = run_cli("analyze", str(tmp_path / "missing.txt"), "-o", str(tmp_path))
    assert result.returncode == 2
    errors = result.stderr.decode()
    assert f"-o {tmp_path}: is a folder" in errors
    assert "missing.txt" not in errors  # stopped before reading any input


def test_issue11_obs10_unwritable_output_names_the_real_path():
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory() as name:  # not under pytest's private tmp: others enter it
        root = Path(name)
        root.chmod(0o755)
        example = root / "article.txt"
        example.write_text((EXAMPLES / "en_opinion_energy.txt").read_text(encoding="utf-8"))
        example.chmod(0o644)
        folder = root / "locked"
        folder.mkdir()
        folder.chmod(0o555)
        user = None
        if os.geteuid() == 0:  # root writes everywhere: run the command as an ordinary user
            if shutil.which("setpriv") is None:
                pytest.fail("running as root needs setpriv to test permissions")
            user = "65534"
        result = run_cli("analyze", str(example), "-o", str(folder / "r.json"), user=user)
        folder.chmod(0o755)
    assert result.returncode == 1
    assert f"cannot write {folder / 'r.json'}: Permission denied" in result.stderr.decode()


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_issue11_obs10_signals_leave_no_temporary_file(tmp_path, number):
    out = tmp_path / "out.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(
        [sys.executable, "-m", "propscope", "analyze", "-", "-o", str(out)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        # as from a terminal: a runner under nohup would pass SIGHUP on as ignored, which
        # propscope rightly leaves alone
        preexec_fn=lambda: signal.signal(number, signal.SIG_DFL),
    )
    try:
        deadline = time.monotonic() + 60
        while not any(p.name.startswith(".out.json.") for p in tmp_path.iterdir()):
            assert time.monotonic() < deadline, "the run never opened its output"
            time.sleep(0.05)
        process.send_signal(number)
        process.wait(timeout=60)
    finally:
        process.kill()
        process.stdin.close()
    assert process.returncode == 128 + number
    assert list(tmp_path.iterdir()) == []


# -- 11. loud, not silent --------------------------------------------------------------------


def test_issue11_obs11_unterminated_csv_quote_gets_a_line_and_later_rows_are_read(tmp_path):
    path = tmp_path / "export.csv"
    body = "A body long enough to be read as an article about the harbour and its ferry. " * 8
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "text"])
        writer.writerow(["r1", body])
        out.write('r2,"an unterminated quote starts here\n')
        writer.writerow(["r3", body])
        writer.writerow(["r4", body])
    result = run_cli("analyze", str(path), "--format", "jsonl")
    assert result.returncode == 1
    errors = result.stderr.decode().splitlines()
    assert len(errors) == 1 and "row 3" in errors[0] and "unterminated quote" in errors[0]
    ids = [json.loads(line)["id"] for line in result.stdout.decode().splitlines()]
    assert ids == ["r1", "r3", "r4"]


def test_issue11_obs11_links_and_fifos_in_folders_each_get_a_line(tmp_path):
    (tmp_path / "a.txt").write_bytes((EXAMPLES / "en_opinion_energy.txt").read_bytes())
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    result = run_cli("analyze", str(tmp_path), "--format", "jsonl")
    assert result.returncode == 1
    errors = result.stderr.decode()
    assert "dangling.txt: skipped: a broken symbolic link" in errors
    assert "loop.txt: skipped: a symbolic link loop" in errors
    assert "pipe.txt: skipped: a FIFO" in errors
    assert len(result.stdout.decode().splitlines()) == 1


def test_issue11_obs11_a_named_fifo_is_refused_not_waited_for(tmp_path):
    fifo = tmp_path / "article.txt"
    os.mkfifo(fifo)
    result = subprocess.run(
        [sys.executable, "-m", "propscope", "analyze", str(fifo)],
        capture_output=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        check=False,
    )
    assert result.returncode == 1
    assert "FIFO (named pipe), not read" in result.stderr.decode()


# -- 12. escape sequences never reach the terminal -------------------------------------------


def test_issue11_obs12_control_characters_are_escaped_in_the_text_report(tmp_path):
    text = (
        "Title \x1b]0;owned\x07 here\n\n"
        + "The council met on Monday \x1b[2J to discuss the budget for next year. " * 8
        + "\n"
    )
    path = tmp_path / "evil.txt"
    path.write_text(text, encoding="utf-8")
    for extra in ((), ("--color", "always")):
        report = run_cli("analyze", str(path), "--label-all", *extra).stdout.decode()
        assert "\x1b]" not in report and "\x1b[2J" not in report and "\x07" not in report
        assert "\\x1b]0;owned\\x07" in report and "\\x1b[2J" in report


# -- 14. progress and large HTML reports -----------------------------------------------------


def test_issue11_obs14_progress_on_request_silent_otherwise():
    example = str(EXAMPLES / "fr_tribune_reforme.txt")
    quiet = run_cli("analyze", example, "--format", "jsonl")
    assert quiet.stderr.decode() == ""
    loud = run_cli("analyze", example, "--format", "jsonl", "--progress", "always")
    assert "articles" in loud.stderr.decode()
    assert loud.stdout == quiet.stdout


def test_issue11_obs14_html_report_has_an_index_and_a_size_warning(tmp_path, caplog):
    from propscope.report import html as html_report
    from propscope.report import sinks

    articles = [propscope.analyze(read_path(p)) for p in sorted(EXAMPLES.glob("*.txt"))]
    page = render_html(articles)
    links = re.findall(r'<a href="#(a\d+)">', page)
    assert links == [f"a{i + 1}" for i in range(len(articles))]
    for anchor in links:
        assert f'<article id="{anchor}"' in page
    out = tmp_path / "report.html"
    with out.open("w", encoding="utf-8") as handle:
        sink = sinks.make_sink("html", handle)
        for article in articles:
            sink.write(article)
        limit = html_report.LARGE_PAGE_BYTES
        html_report.LARGE_PAGE_BYTES = 1000
        try:
            sink.close()
        finally:
            html_report.LARGE_PAGE_BYTES = limit
    assert any("browsers may be slow" in r.getMessage() for r in caplog.records)


# -- 15. docs that run -----------------------------------------------------------------------


def _readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", readme, re.S)
    lines = [line.split("  #")[0].strip() for block in blocks for line in block.splitlines()]
    # train takes an hour; serve runs until stopped (the server tests start it for real);
    # --scheduler needs a running Dask cluster
    skipped = {"train", "serve", "--scheduler"}
    return [line for line in lines if "propscope " in line and not skipped & set(line.split())]


def test_issue11_obs15_every_readme_example_runs_against_bundled_files(
    tmp_path, monkeypatch, capsys
):
    import io
    import shlex
    import shutil

    from propscope.cli import main

    shutil.copytree(EXAMPLES, tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    commands = _readme_commands()
    assert len(commands) >= 10
    for command in commands:  # in this process: the same code as the command, less start-up
        stdin = b""
        if command.startswith("cat "):
            piped, command = command.split("|", 1)
            stdin = (tmp_path / shlex.split(piped)[1]).read_bytes()
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        argv = shlex.split(command)
        assert argv[0] == ".venv/bin/propscope", command
        assert main(argv[1:]) == 0, (command, capsys.readouterr().err)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for block in re.findall(r"```python\n(.*?)```", readme, re.S):
        exec(compile(block, "README.md", "exec"), {})


def test_issue11_obs15_evaluate_warns_on_training_articles(tmp_path):
    manifest = json.loads(
        (ROOT / "src" / "propscope" / "models" / "genre" / "manifest.json").read_text("utf-8")
    )
    seen = manifest["training_article_ids"][:3]
    gold = tmp_path / "gold.txt"
    gold.write_text("".join(f"{i}\topinion\n" for i in seen), encoding="utf-8")
    result = run_cli("evaluate", "genre", "--gold", str(gold), "--pred", str(gold))
    assert result.returncode == 0
    assert "3 of the 3 articles" in result.stderr.decode()
    unseen = tmp_path / "unseen.txt"
    unseen.write_text("x-not-a-training-id\topinion\n", encoding="utf-8")
    result = run_cli("evaluate", "genre", "--gold", str(unseen), "--pred", str(unseen))
    assert result.returncode == 0 and result.stderr.decode() == ""


def test_issue11_obs4_runs_grow_past_function_words_and_lone_function_words_go():
    import numpy as np

    from propscope.analyzers.evidence_decode import TokenTable, decode
    from propscope.features.function_words import weak_tokens
    from propscope.features.tokenize import WORDS_AND_PUNCTUATION

    text = "Le coût augmentera sans aucun doute, dit-il aux habitants de Jean-Jacques Rousseau."
    matches = list(WORDS_AND_PUNCTUATION.finditer(text))
    starts = np.array([m.start() for m in matches])
    ends = np.array([m.end() for m in matches])
    words = [m.group() for m in matches]
    zeros = np.zeros(len(words), dtype=np.int64)
    table = TokenTable(starts, ends, zeros, zeros, weak_tokens(text, starts, ends))
    prob = np.zeros(len(words), dtype=np.float32)
    for word in ("augmentera", "sans", "aucun"):
        prob[words.index(word)] = 0.3
    prob[words.index("aux")] = 0.9
    prob[words.index("Jean")] = prob[words.index("Jacques")] = 0.2  # a name, weakly scored
    first, last, _ = decode(table, prob, "token", 0.2)
    spans = [text[starts[a] : ends[b - 1]] for a, b in zip(first, last, strict=True)]
    assert spans == ["augmentera sans aucun doute"]


def test_confident_view_shows_only_precise_labels_and_counts_the_rest():
    from propscope.document import Prediction

    article = parse_text("Title\n\nThe corrupt elite lied again, as always.\n", "c1")
    paragraph = article.paragraphs[1]
    paragraph.techniques = Prediction(
        {"Loaded_Language": 0.9, "Doubt": 0.3},
        ["Loaded_Language", "Doubt"],
        precision={"Loaded_Language": 0.71, "Doubt": 0.38},
    )
    confident = render_article(article, view="confident")
    everything = render_article(article, view="all")
    assert "Loaded language x1" in confident and "Casting doubt" not in confident
    assert "1 more label below the confident view's precision bar" in confident
    assert "Loaded language x1" in everything and "Casting doubt x1" in everything
    assert "Casting doubt" not in render_html([article], view="confident")
    assert "Casting doubt" in render_html([article], view="all")
