"""The plain-array copies of fitted scikit-learn models predict exactly what the originals do."""
import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from scorer.fitted import LinearModel, Standardiser, TreeEnsemble, expit


def _data(n_classes: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(300, 6))
    y = (X[:, 0] + X[:, 1] * X[:, 2] > 0).astype(int) + (n_classes > 2) * (X[:, 3] > 0.5)
    return X, np.asarray(["a", "b", "c"])[y]


@pytest.mark.parametrize("n_classes", [2, 3])
def test_tree_ensemble_equals_hist_gradient_boosting(n_classes):
    X, y = _data(n_classes)
    X[::7, 1] = np.nan  # missing values take the side the trees learned
    est = HistGradientBoostingClassifier(max_iter=40, random_state=0).fit(X, y)
    trees = TreeEnsemble.from_estimator(est)
    X_new, _ = _data(n_classes, seed=1)
    X_new[::5, 2] = np.nan
    np.testing.assert_allclose(trees.predict_proba(X_new), est.predict_proba(X_new), rtol=1e-9, atol=1e-12)
    assert list(trees.classes_) == list(est.classes_)
    assert trees.predict_proba(X_new[:0]).shape == (0, len(est.classes_))


def test_tree_ensemble_walks_rows_in_blocks_with_the_same_result(monkeypatch):
    import scorer.fitted

    X, y = _data(2)
    trees = TreeEnsemble.from_estimator(HistGradientBoostingClassifier(max_iter=20, random_state=0).fit(X, y))
    whole = trees.raw_predict(X)
    monkeypatch.setattr(scorer.fitted, "TREE_ROW_BLOCK", 7)  # 300 rows: 43 blocks, the last one short
    np.testing.assert_array_equal(trees.raw_predict(X), whole)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_linear_model_equals_logistic_regression(n_classes):
    X, y = _data(n_classes)
    est = LogisticRegression(max_iter=1000).fit(X, y)
    model = LinearModel.from_estimator(est)
    np.testing.assert_allclose(model.predict_proba(X), est.predict_proba(X), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(model.decision_function(X), est.decision_function(X), rtol=1e-9, atol=1e-12)


def test_standardiser_equals_standard_scaler():
    X, _ = _data(2)
    est = StandardScaler().fit(X)
    np.testing.assert_allclose(Standardiser.from_estimator(est).transform(X), est.transform(X))


def test_expit_is_stable_at_the_extremes():
    from scipy.special import expit as scipy_expit

    z = np.array([-1000.0, -30.0, -1.5, 0.0, 2.0, 30.0, 1000.0])
    with np.errstate(over="raise", invalid="raise"):
        p = expit(z)
    np.testing.assert_allclose(p, scipy_expit(z), rtol=1e-12, atol=0)


def test_heads_follow_sklearns_estimator_protocol():
    """get_params / set_params / clone and cross-validation work on the scorer's own estimators."""
    from sklearn.base import clone, is_classifier
    from sklearn.model_selection import cross_val_score

    from scorer.heads import TextHead

    head = TextHead(word_ngrams=(1, 1), char_ngrams=None, min_df=1, C=2.0)
    assert head.get_params()["C"] == 2.0
    copy = clone(head).set_params(C=3.0)
    assert copy.C == 3.0 and head.C == 2.0 and is_classifier(copy)
    assert "C=2.0" in repr(head)
    with pytest.raises(ValueError, match="invalid parameter"):
        head.set_params(nope=1)
    texts = ["le match de football", "la réforme du gouvernement", "the football cup final",
             "the government reform bill"] * 5
    labels = ["sports", "politics"] * 10
    scores = cross_val_score(head, texts, labels, cv=2)
    assert scores.mean() == 1.0
