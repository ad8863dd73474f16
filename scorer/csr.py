"""Compressed sparse rows: the part of ``scipy.sparse.csr_matrix`` that scoring uses.

Importing ``scipy.sparse`` costs a process ~20 MB of memory and ~0.3 s (measured: RSS 28.7 →
49.0 MB, ``python -X importtime``: 0.28 s), once in every ``--jobs`` worker. Scoring only builds
feature rows, stacks them, multiplies them by a linear model's coefficients and reads one row's
entries for explanations, which plain numpy arrays do. Training hands the same matrices to
scikit-learn through :meth:`Rows.to_scipy` (scipy is a dependency of scikit-learn, imported
only there).
"""
from __future__ import annotations

import numpy as np

__all__ = ["Rows", "hstack", "vstack", "as_scipy"]


class Rows:
    """A CSR matrix: row ``i`` holds ``data[indptr[i]:indptr[i+1]]`` in the columns
    ``indices[indptr[i]:indptr[i+1]]`` (sorted within each row)."""

    __slots__ = ("data", "indices", "indptr", "shape")

    def __init__(self, data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, shape: tuple[int, int]):
        self.data = data
        self.indices = indices
        self.indptr = indptr
        self.shape = (int(shape[0]), int(shape[1]))

    @classmethod
    def empty(cls, n: int, width: int, dtype=np.float64) -> Rows:
        return cls(np.zeros(0, dtype=dtype), np.zeros(0, dtype=np.int32), np.zeros(n + 1, dtype=np.int32), (n, width))

    @classmethod
    def from_dense(cls, a, dtype=None) -> Rows:
        """The non-zero entries of a 2-d array (as ``csr_matrix(a)``)."""
        a = np.asarray(a, dtype=dtype)
        if a.ndim != 2:
            raise ValueError(f"expected a 2-d array, got shape {a.shape}")
        rows, cols = np.nonzero(a)
        indptr = np.zeros(a.shape[0] + 1, dtype=np.int32)
        np.cumsum(np.bincount(rows, minlength=a.shape[0]), out=indptr[1:])
        return cls(a[rows, cols], cols.astype(np.int32), indptr, a.shape)

    @property
    def dtype(self):
        return self.data.dtype

    @property
    def nnz(self) -> int:
        return int(self.indptr[-1])

    def __getitem__(self, i) -> Rows:
        """Row ``i`` (an int) or rows ``a:b`` (a slice with step 1), as a matrix."""
        if isinstance(i, slice):
            a, b, step = i.indices(self.shape[0])
            if step != 1:
                raise IndexError("only contiguous row slices are supported")
            b = max(a, b)
        else:
            a = int(i)
            if a < 0:
                a += self.shape[0]
            if not 0 <= a < self.shape[0]:
                raise IndexError(f"row {i} out of range for {self.shape[0]} rows")
            b = a + 1
        lo, hi = self.indptr[a], self.indptr[b]
        return Rows(self.data[lo:hi], self.indices[lo:hi], self.indptr[a:b + 1] - lo, (b - a, self.shape[1]))

    def tocsr(self) -> Rows:
        return self

    def toarray(self) -> np.ndarray:
        out = np.zeros(self.shape, dtype=self.data.dtype)
        out[self._row_ids(), self.indices] = self.data
        return out

    def dense_tail(self, start: int) -> np.ndarray:
        """Columns ``start:`` as a dense ``(n, width - start)`` float64 array (the few dense cue
        columns that end a feature matrix, without densifying the n-gram columns before them)."""
        if not 0 <= start <= self.shape[1]:
            raise ValueError(f"column {start} out of range for {self.shape[1]} columns")
        out = np.zeros((self.shape[0], self.shape[1] - start), dtype=np.float64)
        keep = self.indices >= start
        out[self._row_ids()[keep], self.indices[keep] - start] = self.data[keep]
        return out

    def _row_ids(self) -> np.ndarray:
        return np.repeat(np.arange(self.shape[0]), np.diff(self.indptr))

    def dot_coef(self, coef: np.ndarray) -> np.ndarray:
        """``self @ coef.T`` for a dense ``(k, width)`` coefficient matrix: ``(n, k)``, float64.

        Each row's products are summed in the row's column order, so a row's value does not
        depend on the other rows of the matrix.
        """
        coef = np.asarray(coef)
        if coef.ndim != 2 or coef.shape[1] != self.shape[1]:
            raise ValueError(f"coefficients of shape {coef.shape} do not fit {self.shape[1]} columns")
        n, k = self.shape[0], coef.shape[0]
        out = np.zeros((n, k), dtype=np.float64)
        if self.nnz == 0:
            return out
        prods = coef[:, self.indices].astype(np.float64) * self.data.astype(np.float64)
        counts = np.diff(self.indptr)
        filled = np.flatnonzero(counts)
        # reduceat over the start of every non-empty row (an empty row would repeat a value)
        out[filled] = np.add.reduceat(prods, self.indptr[filled], axis=1).T
        return out

    def __matmul__(self, other):
        """``X @ coef.T`` (what a linear model computes) through :meth:`dot_coef`."""
        other = np.asarray(other)
        if other.ndim == 1:
            return self.dot_coef(other[None, :])[:, 0]
        return self.dot_coef(other.T)

    def to_scipy(self):
        """The same matrix as ``scipy.sparse.csr_matrix`` (for scikit-learn)."""
        from scipy import sparse

        return sparse.csr_matrix((self.data, self.indices, self.indptr), shape=self.shape)


def as_scipy(X):
    """``X`` as scikit-learn takes it: a :class:`Rows` becomes a ``csr_matrix``."""
    return X.to_scipy() if isinstance(X, Rows) else X


def vstack(blocks: list[Rows]) -> Rows:
    """Rows of ``blocks`` one after the other (all of the same width)."""
    if not blocks:
        raise ValueError("nothing to stack")
    width = blocks[0].shape[1]
    if any(b.shape[1] != width for b in blocks):
        raise ValueError("blocks of different widths")
    offsets = np.cumsum([0] + [b.nnz for b in blocks])
    indptr = np.concatenate([[0]] + [b.indptr[1:] + off for b, off in zip(blocks, offsets)]).astype(np.int64)
    return Rows(np.concatenate([b.data for b in blocks]), np.concatenate([b.indices for b in blocks]),
                indptr, (sum(b.shape[0] for b in blocks), width))


def hstack(blocks: list[Rows], dtype=None) -> Rows:
    """Columns of ``blocks`` side by side (all with the same rows): each row keeps the first
    block's entries, then the second's with its columns shifted, and so on."""
    if not blocks:
        raise ValueError("nothing to stack")
    n = blocks[0].shape[0]
    if any(b.shape[0] != n for b in blocks):
        raise ValueError("blocks with different numbers of rows")
    dtype = dtype or np.result_type(*[b.data.dtype for b in blocks])
    shifts = np.cumsum([0] + [b.shape[1] for b in blocks])
    rows = np.concatenate([b._row_ids() for b in blocks])
    order = np.argsort(rows, kind="stable")  # by row; within a row, block order then column order
    data = np.concatenate([b.data.astype(dtype, copy=False) for b in blocks])[order]
    indices = np.concatenate([b.indices.astype(np.int64) + s for b, s in zip(blocks, shifts)])[order]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    return Rows(data, indices.astype(np.int32), indptr, (n, int(shifts[-1])))
