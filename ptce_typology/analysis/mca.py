"""Multiple correspondence analysis, equal to FactoMineR's ``MCA`` (indicator method).

The MCA is the correspondence analysis of the indicator (disjunctive) table, computed with an
SVD of the standardised residuals. Numbers equal FactoMineR 2.7 to 1e-8 relative on its
``poison`` and ``tea`` data (see tests/test_mca.py), with one fixed **sign convention**: on
each dimension, the category with the largest absolute coordinate has a positive coordinate
(the first one in category order on a tie). FactoMineR's signs come from LAPACK and are
arbitrary; compare coordinates up to a sign per dimension.

Categories are named ``descriptor=category`` internally, so two descriptors may share a level
name (FactoMineR's ``predict.MCA`` fails on that). ``unknown`` is a category like any other, as
FactoMineR does by default (``na.method = "NA"``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ptce_typology.errors import PtceError
from ptce_typology.vocabulary import SEP


class UnseenCategory(PtceError):
    """A new individual holds a category the fitted MCA has never seen."""


def _dims(n: int) -> list[str]:
    return [f"Dim {k}" for k in range(1, n + 1)]


def indicator(X: pd.DataFrame, categories: dict[str, list] | None = None,
              strict: bool = True) -> pd.DataFrame:
    """The disjunctive table: one 0/1 column ``variable=category`` per category.

    With ``categories`` (from a fit), the columns are exactly those; a value outside them raises
    :class:`UnseenCategory` naming it. Without, the categories are the observed ones, in
    categorical order (or sorted order for plain columns).
    """
    blocks = {}
    for var in X.columns:
        col = X[var].astype(object)
        if categories is None:
            if isinstance(X[var].dtype, pd.CategoricalDtype):
                levels = [c for c in X[var].cat.categories if (col == c).any()]
            else:
                levels = sorted(col.dropna().unique(), key=str)
        else:
            levels = categories[var]
            unseen = sorted({str(v) for v in col if v not in levels})
            if unseen and strict:
                raise UnseenCategory(
                    "category not in the fitted typology; no témoin holds it, so it has no "
                    "position on the axes", field=str(var), value=", ".join(unseen),
                    allowed=[str(c) for c in levels])
        if col.isna().any():
            raise PtceError("missing value; write `unknown` instead", field=str(var))
        for level in levels:
            blocks[f"{var}{SEP}{level}"] = (col == level).to_numpy(dtype=float)
    return pd.DataFrame(blocks, index=X.index)


class MCA:
    """Multiple correspondence analysis (FactoMineR's ``MCA``, ``method = "Indicator"``).

    Parameters
    ----------
    n_components : int
        Dimensions kept for coordinates (FactoMineR's ``ncp``, default 5). Eigenvalues are
        given for every dimension.

    Attributes (after ``fit``)
    --------------------------
    eigenvalues_ : DataFrame
        Index ``Dim k`` for every non-trivial dimension (min(n - 1, J - Q)); columns
        ``eigenvalue``, ``percentage`` and ``cumulative`` (percent of inertia).
    row_coordinates_, row_contributions_, row_cos2_ : DataFrame
        Individuals × ``Dim 1..ncp``; contributions in percent, as FactoMineR.
    column_coordinates_, column_contributions_, column_cos2_, column_vtest_ : DataFrame
        Categories (``variable=category``) × dimensions.
    eta2_ : DataFrame
        Squared correlation ratio of each active variable with each dimension.
    supplementary_coordinates_, supplementary_cos2_, supplementary_vtest_,
    supplementary_eta2_ : DataFrame or None
        The same for supplementary categorical variables given to ``fit``.
    categories_ : dict
        The observed categories of each active variable, in order.
    """

    def __init__(self, n_components: int = 5) -> None:
        self.n_components = n_components

    # Fitting ---------------------------------------------------------------------------------

    def fit(self, X: pd.DataFrame, supplementary: pd.DataFrame | None = None) -> MCA:
        if X.shape[0] < 2 or X.shape[1] < 1:
            raise PtceError("an MCA needs at least two individuals and one variable",
                            value=f"{X.shape[0]} × {X.shape[1]}")
        Z = indicator(X)
        self.variables_ = list(X.columns)
        self.categories_ = {v: [c.split(SEP, 1)[1] for c in Z.columns
                                if c.split(SEP, 1)[0] == str(v)] for v in X.columns}
        n, J = Z.shape
        Q = X.shape[1]
        z = Z.to_numpy()
        P = z / (n * Q)
        r = P.sum(axis=1)
        c = P.sum(axis=0)
        S = (P - np.outer(r, c)) / np.sqrt(np.outer(r, c))
        U, s, Vt = np.linalg.svd(S, full_matrices=False)
        n_eig = max(1, min(n - 1, J - Q))
        eig = s[:n_eig] ** 2
        ncp = min(self.n_components, n_eig)
        F = U[:, :ncp] * s[:ncp] / np.sqrt(r)[:, None]
        G = Vt.T[:, :ncp] * s[:ncp] / np.sqrt(c)[:, None]
        # Sign convention: the category farthest from the origin is on the positive side.
        signs = np.sign(G[np.argmax(np.abs(G), axis=0), np.arange(ncp)])
        signs[signs == 0] = 1.0
        F, G = F * signs, G * signs
        self.signs_ = signs
        self._r, self._c, self._n, self._Q = r, c, n, Q
        self._eig, self._ncp = eig, ncp
        self._G = G
        self._columns = list(Z.columns)

        dims = _dims(ncp)
        total = eig.sum()
        self.eigenvalues_ = pd.DataFrame(
            {"eigenvalue": eig, "percentage": 100 * eig / total,
             "cumulative": 100 * np.cumsum(eig) / total}, index=_dims(n_eig))
        self.eigenvalues_.index.name = "dimension"
        lam = eig[:ncp]
        # Squared distances to the centroid, over all dimensions (chi-square metric).
        row_d2 = (((z / Q) - c) ** 2 / c).sum(axis=1)
        nj = z.sum(axis=0)
        col_d2 = (n - nj) / nj
        # A category every individual holds sits at the origin: its cos2 and v.test are
        # undefined (NaN), as in FactoMineR.
        with np.errstate(divide="ignore", invalid="ignore"):
            self.row_coordinates_ = self._frame(F, X.index, dims, "individual")
            self.row_contributions_ = self._frame(100 * r[:, None] * F ** 2 / lam, X.index, dims,
                                                  "individual")
            self.row_cos2_ = self._frame(F ** 2 / row_d2[:, None], X.index, dims, "individual")
            self.column_coordinates_ = self._frame(G, Z.columns, dims, "category")
            self.column_contributions_ = self._frame(100 * c[:, None] * G ** 2 / lam, Z.columns,
                                                     dims, "category")
            self.column_cos2_ = self._frame(G ** 2 / col_d2[:, None], Z.columns, dims, "category")
            self.column_vtest_ = self._frame(G * np.sqrt(nj * (n - 1) / (n - nj))[:, None],
                                             Z.columns, dims, "category")
            self.column_counts_ = pd.Series(nj.astype(int), index=Z.columns, name="count")
            self.eta2_ = self._eta2(self.column_coordinates_, self.column_counts_)
        self.supplementary_coordinates_ = None
        self.supplementary_cos2_ = None
        self.supplementary_vtest_ = None
        self.supplementary_eta2_ = None
        if supplementary is not None and supplementary.shape[1]:
            self._fit_supplementary(supplementary.loc[X.index])
        return self

    @staticmethod
    def _frame(values: np.ndarray, index, columns, name: str) -> pd.DataFrame:
        frame = pd.DataFrame(values, index=index, columns=columns)
        frame.index.name = name
        return frame

    def _eta2(self, coords: pd.DataFrame, counts: pd.Series) -> pd.DataFrame:
        weighted = coords.pow(2).mul(counts / self._n, axis=0)
        groups = [name.split(SEP, 1)[0] for name in coords.index]
        eta2 = weighted.groupby(groups, sort=False).sum()
        eta2.index.name = "variable"
        return eta2

    def _fit_supplementary(self, Xs: pd.DataFrame) -> None:
        Zs = indicator(Xs)
        zs = Zs.to_numpy()
        nj = zs.sum(axis=0)
        F = self.row_coordinates_.to_numpy()
        lam = self._eig[: self._ncp]
        means = (zs.T @ F) / nj[:, None]
        coords = means / np.sqrt(lam)
        n = self._n
        dims = list(self.row_coordinates_.columns)
        d2 = (n - nj) / nj
        with np.errstate(divide="ignore", invalid="ignore"):
            vt = coords * np.sqrt(nj * (n - 1) / (n - nj))[:, None]
            cos2 = coords ** 2 / d2[:, None]
        self.supplementary_coordinates_ = self._frame(coords, Zs.columns, dims, "category")
        self.supplementary_cos2_ = self._frame(cos2, Zs.columns, dims, "category")
        self.supplementary_vtest_ = self._frame(vt, Zs.columns, dims, "category")
        self.supplementary_counts_ = pd.Series(nj.astype(int), index=Zs.columns, name="count")
        self.supplementary_eta2_ = self._eta2(self.supplementary_coordinates_,
                                              self.supplementary_counts_)

    # Projection of new individuals -----------------------------------------------------------

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """Coordinates of new (supplementary) individuals, by the transition formula.

        Raises :class:`UnseenCategory` when a value was not seen at fit, naming it: such a
        category has no position, and dropping it silently would move the point.
        """
        z = indicator(X[self.variables_], self.categories_).to_numpy()
        lam = self._eig[: self._ncp]
        coords = (z / self._Q) @ self._G / np.sqrt(lam)
        return self._frame(coords, X.index, list(self.row_coordinates_.columns), "individual")

    def transform_cos2(self, X: pd.DataFrame) -> pd.DataFrame:
        """Quality of the projection of new individuals (cos2 on each kept dimension)."""
        z = indicator(X[self.variables_], self.categories_).to_numpy()
        d2 = (((z / self._Q) - self._c) ** 2 / self._c).sum(axis=1)
        coords = self.transform(X)
        return coords.pow(2).div(d2, axis=0)

    def project(self, X: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series, dict[object, list[str]]]:
        """Project new individuals, leaving out (and reporting) categories never seen at fit.

        A category no fitted individual holds has no position. Instead of failing, each such
        value is left out of that individual's profile, which then spreads over its other
        variables, and it is returned in ``skipped`` so that the caller says so.

        Returns
        -------
        coordinates : DataFrame
            Individuals × kept dimensions (NaN when every value is unseen).
        quality : Series
            Sum of cos2 over the kept dimensions (the share of the individual's distance to
            the centroid that the kept dimensions show).
        skipped : dict
            Individual -> list of ``variable=category`` left out.
        """
        data = X[self.variables_]
        z = indicator(data, self.categories_, strict=False).to_numpy()
        seen = np.column_stack([data[var].astype(object).isin(self.categories_[var]).to_numpy()
                                for var in self.variables_])
        q = seen.sum(axis=1).astype(float)
        skipped = {idx: [f"{var}{SEP}{data.at[idx, var]}" for j, var in enumerate(self.variables_)
                         if not seen[row, j]]
                   for row, idx in enumerate(data.index)}
        lam = self._eig[: self._ncp]
        with np.errstate(divide="ignore", invalid="ignore"):
            profile = z / q[:, None]
            coords = profile @ self._G / np.sqrt(lam)
            d2 = ((profile - self._c) ** 2 / self._c).sum(axis=1)
            quality = (coords ** 2).sum(axis=1) / d2
        frame = self._frame(coords, X.index, list(self.row_coordinates_.columns), "individual")
        return frame, pd.Series(quality, index=X.index, name="cos2"), skipped
