import pytest

from scorer.lines import DENSE_NAMES, is_attribution_line, is_source_line, page_features


@pytest.mark.parametrize("line,expected", [
    ("Dean Ball, chercheur IA", True),
    ("Clément Delangue, sur Twitter", True),
    ("— Paul Martin, PDG de Quantix", True),
    ("Joey Jia, cité par la BBC", True),
    ("Par Marie Dupont", False),
    ("Partager sur Facebook", False),
    ("Le président lors de sa visite à Abidjan. © AFP", False),
    ("Accueil", False),
])
def test_is_attribution_line(line, expected):
    assert is_attribution_line(line) is expected


@pytest.mark.parametrize("line,expected", [
    ("Source : Techcrunch", True),
    ("(Selon SCMP)", True),
    ("Avec AFP", True),
    ("Sources: BBC, Reuters", True),
    ("Sourcing et achats", False),
])
def test_is_source_line(line, expected):
    assert is_source_line(line) is expected


def test_page_features_one_row_per_line():
    lines = ["Titre", "Un paragraphe assez long pour être du contenu, avec des mots et des virgules.", "Partager"]
    X = page_features(lines)
    assert X.shape == (3, len(DENSE_NAMES))
    assert page_features([]).shape == (0, len(DENSE_NAMES))


def test_classifier_learns_and_predicts_per_line(tiny_model):
    lc = tiny_model.heads["lines"]
    proba = lc.predict_proba_page(["Accueil", "Le gouvernement a annoncé mardi un plan de relance pour les entreprises."])
    assert proba.shape == (2, 3) and abs(proba.sum(axis=1) - 1).max() < 1e-6


def test_classifier_score_is_line_accuracy(tiny_model):
    """``score`` follows scikit-learn's classifier protocol: line accuracy over the pages."""
    lc = tiny_model.heads["lines"]
    pages = [["Accueil", "Le gouvernement a annoncé mardi un plan de relance pour les entreprises."],
             ["Partager", "© 2025"]]
    pred = lc.predict(pages)
    assert lc.score(pages, pred) == 1.0
    flipped = [["content" if lab == "boilerplate" else "boilerplate" for lab in page] for page in pred]
    assert lc.score(pages, flipped) == 0.0
    one_wrong = [pred[0], flipped[1]]
    assert lc.score(pages, one_wrong) == 0.5 and lc.score(pages, one_wrong, sample_weight=[3, 1]) == 0.75
