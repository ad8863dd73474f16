"""scorer.csr.Rows against scipy.sparse.csr_matrix on small random matrices."""
import numpy as np
import pytest
from scipy import sparse

from scorer.csr import Rows, as_scipy, hstack, vstack


def _dense(seed, n, m, density=0.3, dtype=np.float32):
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(n, m)).astype(dtype)
    a[rng.random((n, m)) > density] = 0
    return a


@pytest.mark.parametrize("n, m", [(0, 4), (1, 1), (3, 7), (5, 1), (6, 20)])
def test_from_dense_matches_csr_matrix(n, m):
    a = _dense(n * 10 + m, n, m)
    ours, ref = Rows.from_dense(a), sparse.csr_matrix(a)
    assert ours.shape == ref.shape and ours.nnz == ref.nnz
    np.testing.assert_array_equal(ours.indptr, ref.indptr)
    np.testing.assert_array_equal(ours.indices, ref.indices)
    np.testing.assert_array_equal(ours.data, ref.data)
    np.testing.assert_array_equal(ours.toarray(), a)
    np.testing.assert_array_equal(as_scipy(ours).toarray(), a)


@pytest.mark.parametrize("rows", [0, 1, 4])
def test_hstack_and_vstack_match_scipy(rows):
    parts = [_dense(1, rows, 3), _dense(2, rows, 5, density=0.0), _dense(3, rows, 2, dtype=np.float64)]
    ours = hstack([Rows.from_dense(p) for p in parts], dtype=np.float32)
    ref = sparse.hstack([sparse.csr_matrix(p) for p in parts], format="csr", dtype=np.float32)
    np.testing.assert_array_equal(ours.toarray(), ref.toarray())
    np.testing.assert_array_equal(ours.indices, ref.indices)
    assert ours.dtype == np.float32
    blocks = [_dense(4, 2, 6), _dense(5, 0, 6), _dense(6, 3, 6)]
    stacked = vstack([Rows.from_dense(b) for b in blocks])
    np.testing.assert_array_equal(stacked.toarray(), np.vstack(blocks))


def test_product_with_coefficients_matches_scipy_and_ignores_the_other_rows():
    a = _dense(7, 9, 30)
    a[4] = 0  # an empty row in the middle
    coef = np.random.default_rng(8).normal(size=(3, 30)).astype(np.float32)
    X = Rows.from_dense(a)
    ref = sparse.csr_matrix(a).astype(np.float64) @ coef.T.astype(np.float64)
    np.testing.assert_allclose(X.dot_coef(coef), ref, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(X @ coef.T, ref, rtol=1e-12, atol=1e-12)
    for i in range(9):  # a row scored alone gives exactly its value in the batch
        np.testing.assert_array_equal(X[i].dot_coef(coef)[0], X.dot_coef(coef)[i])
    np.testing.assert_array_equal(X[2:5].toarray(), a[2:5])
    with pytest.raises(ValueError, match="do not fit"):
        X.dot_coef(coef[:, :5])
    with pytest.raises(IndexError):
        X[9]


@pytest.mark.parametrize("n, m, start", [(0, 5, 2), (4, 6, 0), (4, 6, 4), (5, 3, 3)])
def test_dense_tail_is_the_last_columns(n, m, start):
    a = _dense(n + m + start, n, m)
    tail = Rows.from_dense(a).dense_tail(start)
    assert tail.dtype == np.float64 and tail.shape == (n, m - start)
    np.testing.assert_array_equal(tail, a[:, start:].astype(np.float64))
    with pytest.raises(ValueError, match="out of range"):
        Rows.from_dense(a).dense_tail(m + 1)
