import propscope
from conftest import EXAMPLES


def test_read_and_analyze_a_bundled_example():
    article = propscope.read(str(EXAMPLES / "en_opinion_energy.txt"))
    assert article.title.startswith("The great energy giveaway")
    analysed = propscope.analyze(article)
    assert analysed is article and article.language == "en"


def test_analyze_plain_text():
    article = propscope.analyze("Titre\n\nLe gouvernement a présenté une réforme des retraites.\n")
    assert article.language == "fr"
    assert [p.line for p in article.paragraphs] == [1, 3]


def test_decision_selects_the_techniques_thresholds():
    text = "Title\n\n" + "These corrupt elites lie to us again and again. " * 6 + "\n"
    micro = propscope.analyze(text).paragraphs[1].techniques
    balanced = propscope.analyze(text, decision="balanced").paragraphs[1].techniques
    assert micro.probabilities == balanced.probabilities
    assert micro.thresholds != balanced.thresholds
