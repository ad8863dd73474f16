"""Fitted models as plain arrays, so that scoring never imports scikit-learn.

Importing scikit-learn costs a scoring process ~1.3 s and ~90 MB before it reads a document
(`python -c "import sklearn"`: 115 MB peak RSS against 49 MB for `import scipy.sparse`), which
is most of the cold start, of each ``--jobs`` worker's memory and of the start-up of every
worker in a short run. Training still fits scikit-learn's estimators; what scoring needs from
them is copied here once fitted:

* :class:`LinearModel` — ``coef_``, ``intercept_``, ``classes_`` of a logistic regression, and its
  decision function;
* :class:`Standardiser` — ``mean_`` and ``scale_`` of a ``StandardScaler``;
* :class:`TreeEnsemble` — the trees of a ``HistGradientBoostingClassifier``, evaluated for all
  rows and all trees at once with numpy.

:class:`Estimator` gives the scorer's own estimators scikit-learn's parameter protocol
(``get_params`` / ``set_params``, so ``sklearn.base.clone`` works, and tags when scikit-learn
asks for them) without inheriting from ``BaseEstimator``, which would import scikit-learn.
Each copy is checked equal to the scikit-learn original in ``tests/test_fitted.py``.
"""
from __future__ import annotations

import inspect
from typing import Any

import numpy as np

__all__ = ["Estimator", "Classifier", "Transformer", "LinearModel", "Standardiser", "TreeEnsemble", "softmax",
           "expit"]


class Estimator:
    """scikit-learn's estimator protocol without the import.

    Parameters are the ``__init__`` arguments, stored under their own names (scikit-learn's
    convention); fitted attributes end in ``_``. ``_estimator_type`` is "classifier" or
    "transformer".
    """

    _estimator_type: str | None = None

    @classmethod
    def _param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        return sorted(p.name for p in sig.parameters.values()
                      if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD))

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in self._param_names():
            value = getattr(self, name)
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                out.update((f"{name}__{k}", v) for k, v in value.get_params().items())
            out[name] = value
        return out

    def set_params(self, **params):
        valid = set(self._param_names())
        for key, value in params.items():
            name, _, sub = key.partition("__")
            if name not in valid:
                raise ValueError(f"invalid parameter {name!r} for {type(self).__name__}; "
                                 f"valid parameters: {sorted(valid)}")
            if sub:
                getattr(self, name).set_params(**{sub: value})
            else:
                setattr(self, name, value)
        return self

    def fit_transform(self, X, y=None, **fit_params):
        return self.fit(X, y, **fit_params).transform(X)

    def __sklearn_tags__(self):
        # only scikit-learn calls this, so scikit-learn is already imported
        from sklearn.utils import ClassifierTags, Tags, TargetTags, TransformerTags

        tags = Tags(estimator_type=self._estimator_type, target_tags=TargetTags(required=False),
                    transformer_tags=TransformerTags() if self._estimator_type == "transformer" else None)
        if self._estimator_type == "classifier":
            tags.classifier_tags = ClassifierTags()
            tags.target_tags.required = True
        return tags

    def __repr__(self) -> str:
        defaults = {p.name: p.default for p in inspect.signature(type(self).__init__).parameters.values()}
        changed = [f"{k}={getattr(self, k)!r}" for k in self._param_names()
                   if not _same(getattr(self, k), defaults.get(k))]
        return f"{type(self).__name__}({', '.join(changed)})"


def _same(a, b) -> bool:
    try:
        return bool(a == b)
    except Exception:  # arrays and the like: shown
        return False


class Classifier(Estimator):
    _estimator_type = "classifier"

    def score(self, X, y, sample_weight=None) -> float:
        """Mean accuracy, as scikit-learn's ``ClassifierMixin.score``."""
        hit = (np.asarray(self.predict(X)) == np.asarray(y)).astype(float)
        return float(np.average(hit, weights=sample_weight))


class Transformer(Estimator):
    _estimator_type = "transformer"


# ---------------------------------------------------------------------------------------------


def softmax(scores: np.ndarray) -> np.ndarray:
    scores = scores - scores.max(axis=1, keepdims=True)
    e = np.exp(scores)
    return e / e.sum(axis=1, keepdims=True)


def expit(z: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-z)) without overflow warnings (``scipy.special.expit``'s values)."""
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


class LinearModel:
    """A fitted linear classifier's ``coef_``, ``intercept_`` and ``classes_``."""

    def __init__(self, coef, intercept, classes):
        self.coef_ = np.asarray(coef)
        self.intercept_ = np.asarray(intercept, dtype=np.float64)
        self.classes_ = np.asarray(classes)

    @classmethod
    def from_estimator(cls, est, dtype=None) -> LinearModel:
        """Copy a fitted scikit-learn linear classifier (``dtype`` to store ``coef_`` in)."""
        coef = est.coef_ if dtype is None else est.coef_.astype(dtype)
        return cls(coef, est.intercept_, est.classes_)

    def decision_function(self, X) -> np.ndarray:
        """``X @ coef_.T + intercept_``: one column per class, or a vector for a binary model."""
        scores = np.asarray(X @ self.coef_.T, dtype=np.float64) + self.intercept_
        return scores.ravel() if scores.shape[1] == 1 else scores

    def predict_proba(self, X) -> np.ndarray:
        """As ``LogisticRegression.predict_proba`` (multinomial for more than two classes)."""
        scores = self.decision_function(X)
        if scores.ndim == 1:
            p1 = expit(scores)
            return np.column_stack([1 - p1, p1])
        return softmax(scores)


class Standardiser:
    """A fitted ``StandardScaler``'s ``mean_`` and ``scale_``."""

    def __init__(self, mean, scale):
        self.mean_ = np.asarray(mean, dtype=np.float64)
        self.scale_ = np.asarray(scale, dtype=np.float64)

    @classmethod
    def from_estimator(cls, est) -> Standardiser:
        return cls(est.mean_, est.scale_)

    def transform(self, X: np.ndarray) -> np.ndarray:
        return (X - self.mean_) / self.scale_


TREE_ROW_BLOCK = 1024  # rows walked at once by TreeEnsemble.raw_predict (~12 MB with 200 trees)


class TreeEnsemble:
    """The trees of a fitted ``HistGradientBoostingClassifier``, as flat node arrays.

    All trees' nodes are concatenated; a leaf points to itself, so walking every (row, tree)
    pair down ``max_depth_`` levels at once lands each on its leaf. The raw score of class k is
    the baseline plus the leaf values of the trees of class k; probabilities are its softmax
    (or the logistic function for one tree per iteration), as scikit-learn computes them.
    """

    def __init__(self, feature, threshold, missing_left, left, right, value, roots, tree_class,
                 baseline, max_depth, classes):
        self.feature_ = feature
        self.threshold_ = threshold
        self.missing_left_ = missing_left
        self.left_ = left
        self.right_ = right
        self.value_ = value
        self.roots_ = roots
        self.tree_class_ = tree_class
        self.baseline_ = baseline
        self.max_depth_ = max_depth
        self.classes_ = classes

    @classmethod
    def from_estimator(cls, est) -> TreeEnsemble:
        feature, threshold, missing, left, right, value, roots, tree_class = ([] for _ in range(8))
        offset, depth = 0, 0
        for iteration in est._predictors:
            for k, predictor in enumerate(iteration):
                nodes = predictor.nodes
                if nodes["is_categorical"].any():
                    raise ValueError("categorical splits are not supported")
                leaf = nodes["is_leaf"].astype(bool)
                own = np.arange(len(nodes)) + offset
                feature.append(np.where(leaf, 0, nodes["feature_idx"]).astype(np.intp))
                threshold.append(np.where(leaf, np.inf, nodes["num_threshold"]))
                missing.append(nodes["missing_go_to_left"].astype(bool))
                left.append(np.where(leaf, own, nodes["left"].astype(np.int64) + offset))
                right.append(np.where(leaf, own, nodes["right"].astype(np.int64) + offset))
                value.append(nodes["value"].astype(np.float64))
                roots.append(offset)
                tree_class.append(k)
                depth = max(depth, int(nodes["depth"].max()))
                offset += len(nodes)
        return cls(np.concatenate(feature), np.concatenate(threshold), np.concatenate(missing),
                   np.concatenate(left).astype(np.intp), np.concatenate(right).astype(np.intp),
                   np.concatenate(value), np.asarray(roots, dtype=np.intp),
                   np.asarray(tree_class, dtype=np.intp),
                   np.asarray(est._baseline_prediction, dtype=np.float64).ravel(), depth,
                   np.asarray(est.classes_))

    def raw_predict(self, X: np.ndarray) -> np.ndarray:
        """The summed leaf values (plus the baseline) of every row: ``(n, classes)``.

        Rows are walked :data:`TREE_ROW_BLOCK` at a time: the walk keeps a few (rows × trees)
        arrays, ~12 KB a row with 200 trees, and a long page's thousands of sentences would
        otherwise hold tens of megabytes at once. A row's value does not depend on the others.
        """
        X = np.asarray(X, dtype=np.float64)
        if X.shape[0] > TREE_ROW_BLOCK:
            return np.concatenate([self._raw_predict(X[a:a + TREE_ROW_BLOCK])
                                   for a in range(0, X.shape[0], TREE_ROW_BLOCK)])
        return self._raw_predict(X)

    def _raw_predict(self, X: np.ndarray) -> np.ndarray:
        n = X.shape[0]
        k = len(self.baseline_)
        raw = np.tile(self.baseline_, (n, 1))
        if n == 0 or len(self.roots_) == 0:
            return raw
        T = len(self.roots_)
        node = np.tile(self.roots_, n)  # (row, tree) pairs, flat
        row = np.repeat(np.arange(n), T)
        is_leaf = self.left_ == np.arange(len(self.left_))
        live = np.flatnonzero(~is_leaf[node])
        # walk down only the pairs not yet at a leaf (most trees are far shallower than the
        # deepest one): the same leaves as walking every pair max_depth_ levels
        while len(live):
            at = node[live]
            x = X[row[live], self.feature_[at]]
            go_left = np.where(np.isnan(x), self.missing_left_[at], x <= self.threshold_[at])
            at = np.where(go_left, self.left_[at], self.right_[at])
            node[live] = at
            live = live[~is_leaf[at]]
        node = node.reshape(n, T)
        leaf_values = self.value_[node]
        for c in range(k):
            raw[:, c] += leaf_values[:, self.tree_class_ == c].sum(axis=1)
        return raw

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        raw = self.raw_predict(X)
        if raw.shape[1] == 1:
            p1 = expit(raw[:, 0])
            return np.column_stack([1 - p1, p1])
        return softmax(raw)
