import pytest

from scorer.heads import CueFeatures


def test_cue_features_are_named_and_length_normalised():
    cues = CueFeatures()
    X = cues.transform(["Achetez vite ! Le meilleur prix : 9,99 €", "Il a plu hier."]).toarray()
    names = list(cues.get_feature_names_out())
    assert X.shape == (2, len(names))
    assert X[0, names.index("cue:exclamation")] > 0 and X[1].sum() == 0


def test_contributions_are_positive_and_sorted(tiny_model):
    head = tiny_model.heads["topic"]
    contrib = head.contributions("Le match de football a été remporté par l'équipe locale.", "sports")
    weights = [w for _, w in contrib]
    assert weights == sorted(weights, reverse=True) and all(w > 0 for w in weights)


def test_sentence_contexts_pair_each_sentence_with_its_neighbours():
    from scorer.heads import SEP, sentence_contexts

    assert sentence_contexts(["a", "b"]) == [f"{SEP}a{SEP}b{SEP}", f"a{SEP}b{SEP}{SEP}"]


@pytest.mark.parametrize("sentences, inside", [
    # a quotation running over three sentences: the second and third lie inside it
    (["Il a dit : « Que signifie le mot équipe ?", "C'est la plus belle chose.", "Fin. »", "Après."],
     [False, True, True, False]),
    (["“We won,” she said.", "It was late."], [False, False]),            # opened and closed
    (['He said: "We will.', 'Then we left."', "Next."], [False, True, False]),  # straight quotes
    (["and that was all », a-t-il ajouté.", "Suite."], [True, False]),      # opening not seen
    (["« Ouvert."] + ["Phrase."] * 10, [False] + [True] * 8 + [False] * 2),  # stray mark forgotten
])
def test_quote_states(sentences, inside):
    from scorer.heads import QUOTE_SPAN, quote_states

    assert QUOTE_SPAN == 8
    assert quote_states(sentences) == inside


def test_sourcing_cues_read_the_quote_state():
    from scorer.heads import SourcingCues, sentence_contexts

    items = sentence_contexts(["Il a dit : « Nous partons.", "Nous reviendrons. »", "Ensuite."])
    cues = SourcingCues(context=True, quote_state=True)
    names = list(cues.get_feature_names_out())
    X = cues.transform(items).toarray()
    assert X.shape == (3, len(names)) and names[-1] == "src:inside_quote"
    assert list(X[:, -1]) == [0.0, 1.0, 0.0]
    # without the option (models saved before it), the same items give the old columns
    assert SourcingCues(context=True).transform(items).shape == (3, len(names) - 1)


def test_head_probabilities_equal_sklearns():
    """A head's probabilities are LogisticRegression's, computed from the copied coefficients."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from scorer.heads import TextHead

    texts = ["Le gouvernement a annoncé une réforme.", "Achetez maintenant, offre limitée !",
             "The team won the cup final.", "Selon le ministre, la croissance ralentit.",
             "Profitez de notre offre exceptionnelle !", "Le match s'est terminé sur un nul."] * 3
    for labels, calibrate in ((["a", "b", "c"] * 6, False), ([0, 1] * 9, False)):
        head = TextHead(word_ngrams=(1, 1), char_ngrams=(2, 3), min_df=1, calibrate=calibrate).fit(texts, labels)
        X = head.transform(texts)
        ref = LogisticRegression(C=head.C, class_weight=head.class_weight, max_iter=5000,
                                 random_state=0).fit(X.to_scipy(), labels)
        np.testing.assert_allclose(head.predict_proba_matrix(X), ref.predict_proba(X.to_scipy()), rtol=1e-4, atol=1e-6)
        assert list(head.classes_) == list(ref.classes_)


def _sourcing_rows(n_docs=40):
    import json
    from pathlib import Path

    from scorer.heads import sentence_contexts

    lines = (Path(__file__).parents[1] / "training/data/sourcing.jsonl").read_text("utf-8").splitlines()
    items, labels, groups = [], [], []
    for line in lines[:: max(1, len(lines) // n_docs)][:n_docs]:
        row = json.loads(line)
        sents = row["sourcing_sentences"]
        items += sentence_contexts([s["text"] for s in sents])
        labels += [int(s["attributed"]) for s in sents]
        groups += [row["id"]] * len(sents)
    return items, labels, groups


def test_stacked_head_scores_with_trees_on_the_linear_value_and_cues():
    """stack=True: the trees read the linear model's value and the cue columns; a sentence
    scored alone gets its probability in the batch; the linear contributions are unchanged."""
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import GroupKFold, cross_val_predict

    from scorer.heads import STACK_FOLDS, STACK_TREES, TextHead

    items, labels, groups = _sourcing_rows()
    params = dict(word_ngrams=(1, 2), char_ngrams=None, min_df=1, cues="sourcing", context=True, C=1.0)
    linear = TextHead(**params).fit(items, labels)
    stacked = TextHead(**params, stack=True).fit(items, labels, groups=groups)
    assert linear.stack_ is None and stacked.stack_ is not None
    X = stacked.transform(items)
    p = stacked.predict_proba_matrix(X)
    assert p.shape == (len(items), 2) and np.allclose(p.sum(axis=1), 1) and (p >= 0).all()
    np.testing.assert_allclose(stacked.model_.coef_, linear.model_.coef_)  # the same linear model
    for i in (0, 7, len(items) - 1):
        np.testing.assert_allclose(stacked.predict_proba([items[i]])[0], p[i], rtol=1e-12)
    # the same trees as scikit-learn's, fitted on the same out-of-fold values and cue columns
    oof = cross_val_predict(stacked._make_model(), X.to_scipy(), np.asarray(labels), groups=groups,
                            cv=GroupKFold(STACK_FOLDS), method="decision_function")
    Z = np.column_stack([oof, X.dense_tail(stacked.stack_start_)])
    ref = HistGradientBoostingClassifier(**STACK_TREES, early_stopping=False, random_state=0).fit(Z, labels)
    Zs = np.column_stack([stacked.model_.decision_function(X), X.dense_tail(stacked.stack_start_)])
    np.testing.assert_allclose(p, ref.predict_proba(Zs), rtol=1e-9, atol=1e-12)
    assert stacked.contributions(items[0], 1) == linear.contributions(items[0], 1)


def test_stacking_needs_a_binary_head_with_cues_and_stays_linear_on_too_few_documents():
    from scorer.heads import STACK_FOLDS, TextHead

    items, labels, groups = _sourcing_rows(10)
    with pytest.raises(ValueError, match="binary head with cue features"):
        TextHead(word_ngrams=(1, 1), char_ngrams=None, min_df=1, stack=True).fit(items, labels, groups=groups)
    # every attributed sentence in one document: a fold trains on one label only
    items, labels, groups = _sourcing_rows(12)
    first = groups[0]
    labels = [int(g == first and i % 2 == 0) for i, g in enumerate(groups)]
    head = TextHead(word_ngrams=(1, 1), char_ngrams=None, min_df=1, cues="sourcing", context=True,
                    stack=True).fit(items, labels, groups=groups)
    assert head.stack_ is None
    few = _sourcing_rows(STACK_FOLDS - 1)
    head = TextHead(word_ngrams=(1, 1), char_ngrams=None, min_df=1, cues="sourcing", context=True,
                    stack=True).fit(*few[:2], groups=few[2])
    assert head.stack_ is None and head.predict_proba(few[0][:3]).shape == (3, 2)


def test_line_probabilities_equal_sklearns(tiny_model):
    import numpy as np

    clf = tiny_model.heads["lines"]
    lines = ["Accueil > Tech", "Le modèle a été publié lundi par la société chinoise.", "Partager", "© 2025"]
    M = clf._matrix([lines])
    ref = np.exp(clf.model_.decision_function(M))
    np.testing.assert_allclose(clf._stage1_proba(lines), ref / ref.sum(axis=1, keepdims=True), rtol=1e-6, atol=1e-9)


def test_multiclass_calibration_keeps_the_winning_label():
    """Temperature scaling changes how sure the topic head is, never which label wins."""
    import json
    from pathlib import Path

    import numpy as np

    from scorer.heads import TextHead

    rows = [json.loads(x) for x in (Path(__file__).parents[1] / "training/data/topic_news.jsonl")
            .read_text("utf-8").splitlines()[:240]]
    texts, labels = [r["text"] for r in rows], [r["topic"] for r in rows]
    head = TextHead(word_ngrams=(1, 1), char_ngrams=None, min_df=1, calibrate=True).fit(texts, labels)
    assert head.temperature_ is not None and 0.05 <= head.temperature_ <= 20
    X = head.transform(texts[:50])
    calibrated = head.predict_proba_matrix(X)
    np.testing.assert_allclose(calibrated.sum(axis=1), 1.0, rtol=1e-6)
    assert (calibrated.argmax(axis=1) == head.model_.decision_function(X).argmax(axis=1)).all()


@pytest.mark.parametrize("sentence, long_quote, short_only", [
    ("« Nous partirons demain matin pour Paris », a-t-il dit.", 1.0, 0.0),
    ("La loi « Informatique et Libertés » s'applique.", 0.0, 1.0),        # a title
    ('He called it a "game changer" in the statement.', 0.0, 1.0),          # a scare quote
    ("Le marché a progressé de 2 %.", 0.0, 0.0),                             # no quote
])
def test_sourcing_cues_tell_long_quotes_from_short_ones(sentence, long_quote, short_only):
    from scorer.heads import SourcingCues

    cues = SourcingCues(quote_spans=True)
    names = list(cues.get_feature_names_out())
    row = cues.transform([sentence]).toarray()[0]
    assert (row[names.index("src:long_quote")], row[names.index("src:short_quotes_only")]) == (long_quote, short_only)
    # without the option (models saved before it): the old columns only
    assert SourcingCues().transform([sentence]).shape[1] == len(names) - 2


@pytest.mark.parametrize("line,found", [
    ("Sponsored content. This article contains affiliate links.", True),
    ("We may earn a small commission when you buy through our links.", True),
    ("Contenu sponsorisé", True),
    ("Cet article contient des liens affiliés.", True),
    ("Publi-rédactionnel", True),
    ("Advertisement", False),  # an ad slot's label, on any page
    ("Publicité", False),
    ("Le festival est organisé en partenariat avec l'Unesco.", False),
    ("The race is sponsored by a local bank.", False),
    # labels and statements in their common wordings
    ("This post is sponsored by Acme.", True),
    ("Sponsored by Acme", True),
    ("In partnership with Acme", True),
    ("As an Amazon Associate I earn from qualifying purchases.", True),
    ("Cet article a été sponsorisé par Orange.", True),
    ("Article réalisé en partenariat avec la marque.", True),
    ("Contenu proposé par notre partenaire BNP Paribas", True),
    ("Lorsque vous effectuez un achat via ce site, nous pouvons gagner une petite commission d'affiliation.", True),
    ("« Sur chaque billet vendu, nous recevons une commission de 3 % », explique Paul Martin.", False),
    # a menu, prose about sponsored content
    ("Accueil | Actualités | Contenu sponsorisé | Contact", False),
    ("Sponsored content is on the rise, according to a new report.", False),
])
def test_find_disclosure(line, found):
    from scorer.heads import find_disclosure

    assert (find_disclosure(["Un titre", line]) is not None) is found


@pytest.mark.parametrize("line,found", [
    ("Sponsored Content", False),           # an ad widget's heading outside the article
    ("Contenu sponsorisé", False),
    ("Sponsored by Acme Bank", True),       # a label that names the sponsor
    ("We may earn a commission when you buy through our links.", True),
])
def test_find_disclosure_outside_the_article(line, found):
    from scorer.heads import find_disclosure

    assert (find_disclosure([line], labels=False) is not None) is found


def test_disclosure_in_an_html_footer(shipped):
    body = "".join(f"<p>Paragraph {i} about robot vacuums and how they clean floors in many homes.</p>"
                   for i in range(8))
    html = ("<html><body><article><h1>The best robot vacuums of 2025</h1>" + body + "</article>"
            "<footer><p>This article contains affiliate links. We may earn a commission.</p></footer></body></html>")
    assert shipped.score(html).promotional["disclosure"].startswith("This article contains affiliate links")
    widget = html.replace("<footer><p>This article contains affiliate links. We may earn a commission.</p></footer>",
                          "<aside><h3>Sponsored Content</h3><a href='x'>You won't believe</a></aside>")
    assert shipped.score(widget).promotional["disclosure"] is None


@pytest.mark.parametrize("text", [
    "selon le ministre, il a déclaré que les sources : x", "a-t-il a-t-elle ont déclaré a dit a",
    "The spokesman said, according to reports; said says saidsays", "", "aaa a déclarée a déclaré",
])
def test_literal_alternation_finds_what_the_plain_alternation_finds(text):
    import re

    from scorer.heads import REPORTING_VERBS, literal_alternation

    plain = re.compile("|".join(re.escape(v) for v in sorted(REPORTING_VERBS, key=len, reverse=True)))
    assert re.findall(literal_alternation(REPORTING_VERBS), text) == plain.findall(text)
    words = ["a", "ab", "abc", "b", "bd"]
    plain = re.compile("|".join(sorted(words, key=len, reverse=True)))
    assert re.findall(literal_alternation(words), "abcd abd bd b abx") == plain.findall("abcd abd bd b abx")


@pytest.mark.parametrize("sentence, dash, first_person", [
    ("— Nous avons tout perdu, je ne sais pas quoi faire.", 1.0, 2 / 11),  # the dash is a word
    ("Le ministre a annoncé 3 mesures en 2024.", 0.0, 0.0),
    ("I think we were right.", 0.0, 2 / 5),
])
def test_sentence_shape(sentence, dash, first_person):
    import numpy as np

    from scorer.heads import SourcingCues, _shape

    words, starts_with_dash, fp, digits, capitalised = _shape(sentence)
    assert words == pytest.approx(np.log1p(len(sentence.split())))
    assert starts_with_dash == dash and fp == pytest.approx(first_person)
    assert (digits > 0) == any(c.isdigit() for c in sentence) and 0 < capitalised <= 1
    cues = SourcingCues(context=True, quote_state=True, quote_spans=True, shape=True)
    names = list(cues.get_feature_names_out())
    X = cues.transform([sentence]).toarray()
    assert X.shape == (1, len(names)) and "src:first_person" in names and "src:prev_words" in names
    assert X[0, names.index("src:starts_with_dash")] == dash
    assert X[0, names.index("src:prev_words")] == 0.0  # no previous sentence


@pytest.mark.parametrize("sentence, say_any, pronoun_report", [
    ("On l'a fait s'agenouiller sur deux pierres, dit-elle.", 1.0, 1.0),           # inverted pronoun
    ("Ce chiffre est obtenu, précise-t-il en petits caractères, en mode éco.", 1.0, 1.0),
    ("Il a également estimé que terminer son diplôme serait un recul.", 1.0, 1.0),  # adverb between
    ("Elles avaient également recommandé à la population d'arrêter.", 1.0, 1.0),
    ("She later told reporters it was fine.", 1.0, 1.0),
    ("Ils ne sont pas encore allés au Mali, dit leur père.", 1.0, 0.0),           # a report, no pronoun
    ("Peut-il encore gagner ?", 0.0, 0.0),                                          # a question, no report
    ("C'est, dit-on, le meilleur vin de la région.", 1.0, 0.0),                     # "dit-on": nobody
    ("Il a mangé une pomme.", 0.0, 0.0),
])
def test_wide_report_cues(sentence, say_any, pronoun_report):
    from scorer.heads import SourcingCues

    cues = SourcingCues(wide=True)
    names = list(cues.get_feature_names_out())
    X = cues.transform([sentence]).toarray()
    assert X[0, names.index("src:say_any")] == say_any
    assert X[0, names.index("src:pronoun_report_wide")] == pronoun_report
    assert SourcingCues().transform([sentence]).shape[1] == len(names) - 2  # off by default


def test_an_empty_sentence_has_no_shape():
    from scorer.heads import _shape

    assert _shape("") == [0.0, 0.0, 0.0, 0.0, 0.0]


def test_the_gated_pronoun_report_equals_the_whole_pattern():
    """The fast path is the pattern's two alternatives, each behind a condition every match of it
    meets (the inverted form has "-il"/"-elle"…, the others a pronoun word); checked on tricky
    cases and on the shipped training sentences (in the repository), where both halves match."""
    import json
    import random
    from pathlib import Path

    from scorer import heads
    from scorer.heads import _PRONOUN_REPORT_WIDE, _pronoun_report_wide

    inverted, led = heads._PRONOUN_REPORT_INVERTED, heads._PRONOUN_REPORT_LED
    assert _PRONOUN_REPORT_WIDE.pattern == inverted.pattern + "|" + led.pattern
    assert _PRONOUN_REPORT_WIDE.flags == inverted.flags == led.flags == heads._PRONOUN_WORD.flags
    cases = ["dit-elle", "DIT-ELLE.", "précise-t-il", "Précise-T-Il", "dit-on", "Il   a  aussi déclaré",
             "elles déclarent", "they later said", "They said", "avril, il estime", "sont-ils venus ?",
             "-il", "ils", "", "he-said", "mobile-il dit", "Elle-même a dit"]
    data = Path(__file__).resolve().parent.parent / "training" / "data" / "sourcing.jsonl"
    sentences = [s["text"] for line in data.read_text("utf-8").splitlines()
                 for s in json.loads(line).get("sourcing_sentences", [])]
    hits = {"inverted": 0, "led": 0}
    for s in cases + random.Random(0).sample(sentences, 4000):
        assert _pronoun_report_wide(s) == bool(_PRONOUN_REPORT_WIDE.search(s)), s
        hits["inverted"] += bool(inverted.search(s))
        hits["led"] += bool(led.search(s))
    assert hits["inverted"] > 10 and hits["led"] > 50, hits


@pytest.mark.parametrize("sentence, cue", [
    ("Selon le ministère, la croissance ralentit.", True),
    ("Selon lui, la crise va durer.", True),
    ("Selon Le Pays au quotidien, la cour a statué.", True),  # a newspaper, capitalised
    ("Selon nous, ces huiles devraient être encadrées.", False),  # the writer's view
    ("Elle se décline selon le temps et le budget de chacune.", False),  # a condition
    ("Everything went according to plan.", False),
    ("Selon les modèles de Météo-France, il pleuvra.", True),  # a condition word with a named owner
])
def test_selon_cue_is_a_source_not_a_view_or_a_condition(sentence, cue):
    from scorer.heads import _SELON_ANY

    assert bool(_SELON_ANY.search(sentence)) is cue
