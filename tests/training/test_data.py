from propscope.training.data import folders_for, load_labelled


def test_folders_accept_iso_and_folder_codes():
    assert folders_for(["de", "po"]) == ["ge", "po"]
    assert len(folders_for(None)) == 6


def test_load_labelled_techniques(shared_data):
    corpus = load_labelled(shared_data, "techniques", ["fr"])
    assert corpus.languages() == ["fr"]
    keys = {(a.id, p.line) for a in corpus.articles for p in a.paragraphs}
    assert keys == set(corpus.gold)
    assert len(corpus.fingerprint) == 64
    again = load_labelled(shared_data, "techniques", ["fr"])
    assert again.fingerprint == corpus.fingerprint


def test_load_labelled_genre(shared_data):
    corpus = load_labelled(shared_data, "genre", ["de"])
    assert {a.id for a in corpus.articles} == set(corpus.gold)
    assert set(corpus.gold.values()) <= {"opinion", "reporting", "satire"}
