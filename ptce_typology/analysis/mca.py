"""Multiple correspondence analysis, equal to FactoMineR's ``MCA`` (indicator method).

The MCA is the correspondence analysis of the indicator (disjunctive) table, computed with an
SVD of the standardised residuals. Numbers equal FactoMineR 2.7 to 1e-8 relative on its
``poison`` and ``tea`` data (see tests/test_mca.py), **signs included**: FactoMineR's
``svd.triplet`` turns each dimension so that its column singular vector (in the weighted
metric) sums to a positive number, and so do we; the order of the individuals on dimension 1,
which HCPC's tree and consolidation follow, is then FactoMineR's too.

Categories are named ``descriptor=category`` internally, so two descriptors may share a level
name (FactoMineR's ``predict.MCA`` fails on that).

**Specific MCA** (Le Roux & Rouanet; FactoMineR's ``MCA(excl = ...)``): ``passive`` categories
stay in the disjunctive table but get no weight in the axes. An individual holding one is placed
by its other, active categories; the passive category's own point is placed by the transition
formula. The typology makes every ``unknown`` passive by default: what no source says is never
an axis.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ptce_typology.errors import PtceError
from ptce_typology.vocabulary import SEP


class UnseenCategory(PtceError):
    """A new individual holds a category the fitted MCA has never seen."""


def passive_categories(X: pd.DataFrame, spec: tuple[str, ...] | None) -> tuple[str, ...]:
    """The categories of ``X`` that ``spec`` makes passive, as ``descriptor=category`` names.

    ``spec`` holds ``descriptor=category`` pairs or bare categories (a bare category is passive
    in every descriptor that has it); ``None`` or ``()`` make none passive. A pair
    naming a descriptor that ``X`` does not have is an error; categories no individual holds
    are simply not there.
    """
    items = [i.strip() for i in spec or () if i and i.strip()]
    chosen: list[str] = []
    for var in X.columns:
        present = set(X[var].astype(object).tolist())
        levels = (list(X[var].cat.categories) if isinstance(X[var].dtype, pd.CategoricalDtype)
                  else sorted((v for v in present if v is not None and v == v), key=str))
        for level in levels:
            name = f"{var}{SEP}{level}"
            if (name in items or str(level) in items) and level in present:
                chosen.append(name)
    for item in items:
        var = item.split(SEP, 1)[0] if SEP in item else None
        if var is not None and var not in X.columns:
            raise PtceError("a passive category names a descriptor that is not active",
                            field="passive", value=item, allowed=[str(c) for c in X.columns])
    return tuple(chosen)


def mca_core(z: np.ndarray, Q: int, active: np.ndarray, n_components: int) -> dict:
    """The specific MCA of an indicator table in plain arrays (what :class:`MCA` and the fast
    refits of stability and sensitivity share).

    Parameters
    ----------
    z : ndarray
        The n × J indicator table (0/1), every column held by someone.
    Q : int
        The number of variables.
    active : ndarray of bool
        Which columns are active (False: passive).
    n_components : int
        Dimensions kept.

    Returns
    -------
    dict
        ``F`` (rows × kept dimensions), ``G`` (columns × kept dimensions), ``eig`` (every
        non-trivial eigenvalue), ``signs``, ``r``, ``c``, ``w`` (column weights, zero when
        passive), ``Tc`` (the residuals), ``total`` (the inertia), ``ncp``.
    """
    n, J = z.shape
    P = z / (n * Q)
    r = P.sum(axis=1)
    c = P.sum(axis=0)
    # FactoMineR's CA(excl = ...): the residuals Tc of every category, weighted by the column
    # margins with the passive ones set to zero.
    Tc = P / np.outer(r, c) - 1.0
    w = np.where(active, c, 0.0)
    S = np.sqrt(r)[:, None] * Tc * np.sqrt(w)[None, :]
    U, s, _ = np.linalg.svd(S, full_matrices=False)
    n_eig = max(1, min(n - 1, J - Q, int(np.sum(s > 1e-12 * max(s[0], 1e-300)))))
    eig = s[:n_eig] ** 2
    ncp = min(n_components, n_eig)
    sv = s[:ncp]
    F = U[:, :ncp] * sv / np.sqrt(r)[:, None]
    # Every category by the transition formula (active ones get their SVD coordinates back,
    # passive ones their place as the mean point of the individuals holding them).
    G = (Tc.T @ (r[:, None] * F)) / sv
    # FactoMineR's sign convention (svd.triplet): the column singular vectors, in the
    # weighted metric, sum to a positive number (a passive column weighs 1e-15 there).
    root = np.sqrt(np.where(active, c, 1e-15))
    signs = np.sign((root[:, None] * G).sum(axis=0) / sv)
    signs[signs == 0] = 1.0
    return {"F": F * signs, "G": G * signs, "eig": eig, "signs": signs, "r": r, "c": c,
            "w": w, "Tc": Tc, "total": float(np.sum(S ** 2)), "ncp": ncp}


def modified_rates(eigenvalues: np.ndarray, n_variables: int, n_categories: int
                   ) -> pd.DataFrame:
    """Benzécri's and Greenacre's modified rates of an MCA's eigenvalues, in percent.

    Only the dimensions whose eigenvalue exceeds the mean 1/Q are kept; each gets the pseudo
    eigenvalue ``(Q / (Q - 1) * (eigenvalue - 1/Q))**2`` (Benzécri 1979; Le Roux & Rouanet,
    *Multiple Correspondence Analysis*, 2010; Greenacre, *Correspondence Analysis in
    Practice*, 2007), the others 0.

    - **Benzécri**: a pseudo eigenvalue over their sum (the rates add up to 100), as
      FactoMineR's ``MCA(excl = ...)`` and GDAtools' ``modif.rate`` give it.
    - **Greenacre**: a pseudo eigenvalue over the mean inertia of the off-diagonal blocks of
      the Burt table, ``Q / (Q - 1) * (sum(eigenvalue**2) - (J - Q) / Q**2)``; the rates add
      up to less than 100 (the adjusted inertia the kept dimensions show).

    Parameters
    ----------
    eigenvalues : ndarray
        Every non-trivial eigenvalue of the MCA, largest first.
    n_variables : int
        Q, the number of active variables.
    n_categories : int
        J, the number of categories in Greenacre's total: in a specific MCA the **active**
        categories (the passive ones shape no axis). Benzécri's rate uses Q only, in a plain
        and a specific MCA alike (FactoMineR and GDAtools do so).

    Returns
    -------
    DataFrame
        One row per eigenvalue; columns ``benzecri_rate``, ``benzecri_cumulative``,
        ``greenacre_rate``, ``greenacre_cumulative`` (percent; 0 for a dimension at or below
        1/Q). With one variable there is no off-diagonal block: every rate is NaN.
    """
    eig = np.asarray(eigenvalues, dtype=float)
    Q = n_variables
    if Q < 2:
        nan = np.full(len(eig), np.nan)
        return pd.DataFrame({"benzecri_rate": nan, "benzecri_cumulative": nan,
                             "greenacre_rate": nan, "greenacre_cumulative": nan})
    pseudo = np.where(eig > 1 / Q, (Q / (Q - 1) * (eig - 1 / Q)) ** 2, 0.0)
    adjusted_total = Q / (Q - 1) * (np.sum(eig ** 2) - (n_categories - Q) / Q ** 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        benzecri = 100 * pseudo / pseudo.sum()
        greenacre = 100 * pseudo / adjusted_total
    return pd.DataFrame({"benzecri_rate": benzecri, "benzecri_cumulative": np.cumsum(benzecri),
                         "greenacre_rate": greenacre,
                         "greenacre_cumulative": np.cumsum(greenacre)})


def _dims(n: int) -> list[str]:
    return [f"Dim {k}" for k in range(1, n + 1)]


def indicator(X: pd.DataFrame, categories: dict[str, list] | None = None,
              strict: bool = True) -> pd.DataFrame:
    """The disjunctive table: one 0/1 column ``variable=category`` per category.

    With ``categories`` (from a fit), the columns are exactly those; a value outside them raises
    :class:`UnseenCategory` naming it. Without, the categories are the observed ones, in
    categorical order (or sorted order for plain columns).

    Returns
    -------
    DataFrame
        ``X``'s index; one float column ``variable=category`` (1.0 or 0.0) per category of
        each variable, variables in ``X``'s order.
    """
    blocks = {}
    for var in X.columns:
        col = X[var].astype(object).to_numpy()
        if categories is None:
            if isinstance(X[var].dtype, pd.CategoricalDtype):
                present = set(col.tolist())
                levels = [c for c in X[var].cat.categories if c in present]
            else:
                levels = sorted({v for v in col.tolist() if v is not None and v == v}, key=str)
        else:
            levels = categories[var]
            unseen = sorted({str(v) for v in col.tolist() if v not in levels})
            if unseen and strict:
                raise UnseenCategory(
                    "category not in the fitted typology; no témoin holds it, so it has no "
                    "position on the axes", field=str(var), value=", ".join(unseen),
                    allowed=[str(c) for c in levels])
        if pd.isna(col).any():
            raise PtceError("missing value; write `unknown` instead", field=str(var))
        for level in levels:
            blocks[f"{var}{SEP}{level}"] = (col == level).astype(float)
    return pd.DataFrame(blocks, index=X.index)


class MCA:
    """Multiple correspondence analysis (FactoMineR's ``MCA``, ``method = "Indicator"``).

    Parameters
    ----------
    n_components : int
        Dimensions kept for coordinates (FactoMineR's ``ncp``, default 5). Eigenvalues are
        given for every dimension.
    passive : tuple of str
        Categories (``descriptor=category``) that are passive: the specific MCA. Empty: the
        plain MCA.

    Attributes (after ``fit``)
    --------------------------
    eigenvalues_ : DataFrame
        Index ``Dim k`` for every non-trivial dimension (min(n - 1, J - Q)); columns
        ``eigenvalue``, ``percentage`` and ``cumulative`` (percent of inertia), and the
        modified rates of :func:`modified_rates` (``benzecri_rate``, ``benzecri_cumulative``,
        ``greenacre_rate``, ``greenacre_cumulative``; Greenacre's total counts the active
        categories only in a specific MCA).
    row_coordinates_, row_contributions_, row_cos2_ : DataFrame
        Individuals × ``Dim 1..ncp``; contributions in percent, as FactoMineR.
    column_coordinates_, column_contributions_, column_cos2_, column_vtest_ : DataFrame
        Categories (``variable=category``) × dimensions, FactoMineR's ``res$var`` (coord,
        contrib, cos2, v.test). Passive categories are there too, where FactoMineR's
        ``MCA(excl = ...)`` drops them: contribution 0, coordinate by the transition formula
        (the mean point of their holders over sqrt(eigenvalue)), cos2 and v.test as for a
        supplementary category (FactoMineR's ``res$quali.sup`` of the same category).
    column_counts_ : Series
        How many individuals hold each category.
    eta2_ : DataFrame
        FactoMineR's ``res$var$eta2``: each active variable × dimension, the sum of its
        active categories' contributions times the eigenvalue times Q (the squared
        correlation ratio in a plain MCA; passive categories count for nothing).
    supplementary_coordinates_, supplementary_cos2_, supplementary_vtest_,
    supplementary_eta2_, supplementary_counts_ : DataFrame, Series or None
        FactoMineR's ``res$quali.sup`` (coord, cos2, v.test, eta2) for the supplementary
        categorical variables given to ``fit``; eta2 is the squared correlation ratio of the
        variable with the individuals' coordinates.
    categories_ : dict
        The observed categories of each active variable, in order.
    signs_ : ndarray
        The sign (+1 or -1) each kept dimension was multiplied by to follow FactoMineR's
        convention.
    """

    def __init__(self, n_components: int = 5, passive: tuple[str, ...] = ()) -> None:
        self.n_components = n_components
        self.passive = passive

    # Fitting ---------------------------------------------------------------------------------

    def fit(self, X: pd.DataFrame, supplementary: pd.DataFrame | None = None) -> MCA:
        """Fit the MCA on the active variables.

        Parameters
        ----------
        X : DataFrame
            Individuals × active categorical variables (no missing value: write
            ``unknown``), at least two rows.
        supplementary : DataFrame, optional
            Supplementary categorical variables of the same individuals, projected only.

        Returns
        -------
        MCA
            ``self``, with the attributes above.
        """
        Z, active = self._indicator(X)
        n, Q = Z.shape[0], X.shape[1]
        core = mca_core(Z.to_numpy(), Q, active, self.n_components)
        self.signs_ = core["signs"]
        self._c, self._n, self._Q = core["c"], n, Q
        self._active = active
        self._eig, self._ncp = core["eig"], core["ncp"]
        self._G = core["G"]
        self.passive_ = tuple(name for name, a in zip(Z.columns, active, strict=True) if not a)
        self._describe(X.index, Z, core, active)
        self.supplementary_coordinates_ = None
        self.supplementary_cos2_ = None
        self.supplementary_vtest_ = None
        self.supplementary_eta2_ = None
        if supplementary is not None and supplementary.shape[1]:
            self._fit_supplementary(supplementary.loc[X.index])
        return self

    def _indicator(self, X: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
        """The disjunctive table of the active variables and which of its categories are
        active (not passive), after checking that the MCA can be fitted."""
        if X.shape[0] < 2 or X.shape[1] < 1:
            raise PtceError("an MCA needs at least two individuals and one variable",
                            value=f"{X.shape[0]} × {X.shape[1]}")
        Z = indicator(X)
        self.variables_ = list(X.columns)
        self.categories_ = {v: [c.split(SEP, 1)[1] for c in Z.columns
                                if c.split(SEP, 1)[0] == str(v)] for v in X.columns}
        unknown_passive = sorted(set(self.passive) - set(Z.columns))
        if unknown_passive:
            raise PtceError("a passive category is not held by any individual",
                            field="passive", value=", ".join(unknown_passive),
                            allowed=list(Z.columns))
        active = ~np.isin(np.array(Z.columns, dtype=object), list(self.passive))
        if not active.any():
            raise PtceError("every category is passive; nothing is left to make the axes",
                            field="passive")
        return Z, active

    def _describe(self, index: pd.Index, Z: pd.DataFrame, core: dict,
                  active: np.ndarray) -> None:
        """The eigenvalues and the individuals' and categories' tables from ``mca_core``."""
        F, G, eig = core["F"], core["G"], core["eig"]
        r, w, Tc, ncp = core["r"], core["w"], core["Tc"], core["ncp"]
        n, z = Z.shape[0], Z.to_numpy()
        dims = _dims(ncp)
        total = core["total"]
        self.eigenvalues_ = pd.DataFrame(
            {"eigenvalue": eig, "percentage": 100 * eig / total,
             "cumulative": 100 * np.cumsum(eig) / total}, index=_dims(len(eig)))
        rates = modified_rates(eig, self._Q, int(active.sum()))
        for column in rates.columns:
            self.eigenvalues_[column] = rates[column].to_numpy()
        self.eigenvalues_.index.name = "dimension"
        lam = eig[:ncp]
        # Squared distances to the centroid, over all dimensions (chi-square metric, passive
        # categories left out of the individuals' distances as FactoMineR does).
        row_d2 = (Tc ** 2 * w).sum(axis=1)
        nj = z.sum(axis=0)
        col_d2 = (n - nj) / nj
        # A category every individual holds sits at the origin: its cos2 and v.test are
        # undefined (NaN), as in FactoMineR.
        with np.errstate(divide="ignore", invalid="ignore"):
            self.row_coordinates_ = self._frame(F, index, dims, "individual")
            self.row_contributions_ = self._frame(100 * r[:, None] * F ** 2 / lam, index, dims,
                                                  "individual")
            self.row_cos2_ = self._frame(F ** 2 / row_d2[:, None], index, dims, "individual")
            self.column_coordinates_ = self._frame(G, Z.columns, dims, "category")
            self.column_contributions_ = self._frame(100 * w[:, None] * G ** 2 / lam, Z.columns,
                                                     dims, "category")
            self.column_cos2_ = self._frame(G ** 2 / col_d2[:, None], Z.columns, dims, "category")
            self.column_vtest_ = self._frame(G * np.sqrt(nj * (n - 1) / (n - nj))[:, None],
                                             Z.columns, dims, "category")
            self.column_counts_ = pd.Series(nj.astype(int), index=Z.columns, name="count")
            active_names = [name for name, a in zip(Z.columns, active, strict=True) if a]
            self.eta2_ = self._eta2(self.column_coordinates_.loc[active_names],
                                    self.column_counts_.loc[active_names])

    @staticmethod
    def _frame(values: np.ndarray, index, columns, name: str) -> pd.DataFrame:
        frame = pd.DataFrame(values, index=index, columns=columns)
        frame.index.name = name
        return frame

    def _eta2(self, coords: pd.DataFrame, counts: pd.Series) -> pd.DataFrame:
        weighted = coords.to_numpy() ** 2 * (counts.to_numpy() / self._n)[:, None]
        groups = [name.split(SEP, 1)[0] for name in coords.index]
        names = list(dict.fromkeys(groups))
        codes = np.array([names.index(g) for g in groups])
        sums = np.zeros((len(names), weighted.shape[1]))
        np.add.at(sums, codes, weighted)
        return self._frame(sums, pd.Index(names), coords.columns, "variable")

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

    # Tables as a paper shows them ----------------------------------------------------------

    def category_table(self, n_dims: int | None = None) -> pd.DataFrame:
        """Every category's results on the first ``n_dims`` dimensions (all kept ones when
        ``None``): active, then passive, then supplementary categories, variables in order.

        Returns
        -------
        DataFrame
            Index ``category`` (``variable=category``); columns ``variable``, ``category_code``
            (the category alone), ``status`` (``active``, ``passive`` or ``supplementary``),
            ``count``, then for each dimension k ``coordinate_k``, ``contribution_k``
            (percent; 0 for passive, NaN for supplementary: they shape no axis), ``cos2_k``
            and ``vtest_k``.
        """
        dims = list(self.row_coordinates_.columns)[:n_dims]
        passive = set(self.passive_)
        parts = [(self.column_coordinates_, self.column_contributions_, self.column_cos2_,
                  self.column_vtest_, self.column_counts_,
                  ["passive" if c in passive else "active"
                   for c in self.column_coordinates_.index])]
        if self.supplementary_coordinates_ is not None:
            sup = self.supplementary_coordinates_
            parts.append((sup, sup * np.nan, self.supplementary_cos2_,
                          self.supplementary_vtest_, self.supplementary_counts_,
                          ["supplementary"] * len(sup)))
        frames = []
        for coord, contrib, cos2, vtest, counts, status in parts:
            frame = pd.DataFrame({
                "variable": [c.split(SEP, 1)[0] for c in coord.index],
                "category_code": [c.split(SEP, 1)[1] for c in coord.index],
                "status": status, "count": counts.loc[coord.index].to_numpy()},
                index=coord.index)
            for k, dim in enumerate(dims, start=1):
                frame[f"coordinate_{k}"] = coord[dim].to_numpy()
                frame[f"contribution_{k}"] = contrib[dim].to_numpy()
                frame[f"cos2_{k}"] = cos2[dim].to_numpy()
                frame[f"vtest_{k}"] = vtest[dim].to_numpy()
            frames.append(frame)
        table = pd.concat(frames)
        order = {"active": 0, "passive": 1, "supplementary": 2}
        table = table.iloc[np.lexsort((np.arange(len(table)),
                                       table["status"].map(order).to_numpy()))]
        table.index.name = "category"
        return table

    def eta2_table(self, n_dims: int | None = None) -> pd.DataFrame:
        """FactoMineR's ``res$var$eta2`` and ``res$quali.sup$eta2`` in one table: each active,
        then supplementary, variable on the first ``n_dims`` dimensions.

        Returns
        -------
        DataFrame
            Index ``variable``; columns ``status`` (``active`` or ``supplementary``), then
            ``eta2_k`` for each dimension k.
        """
        dims = list(self.row_coordinates_.columns)[:n_dims]
        parts = [(self.eta2_, "active")]
        if self.supplementary_eta2_ is not None:
            parts.append((self.supplementary_eta2_, "supplementary"))
        frames = []
        for eta2, status in parts:
            frame = pd.DataFrame({"status": status}, index=eta2.index)
            for k, dim in enumerate(dims, start=1):
                frame[f"eta2_{k}"] = eta2[dim].to_numpy()
            frames.append(frame)
        table = pd.concat(frames)
        table.index.name = "variable"
        return table

    # Projection of new individuals -----------------------------------------------------------

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """Coordinates of new (supplementary) individuals, by the transition formula.

        Raises :class:`UnseenCategory` when a value was not seen at fit, naming it: such a
        category has no position, and dropping it silently would move the point.

        Returns
        -------
        DataFrame
            Index ``individual`` (``X``'s index); columns ``Dim 1..ncp``, as
            ``row_coordinates_``.
        """
        z = indicator(X[self.variables_], self.categories_).to_numpy()
        coords = self._coordinates(z / self._Q)
        return self._frame(coords, X.index, list(self.row_coordinates_.columns), "individual")

    def _coordinates(self, profile: np.ndarray) -> np.ndarray:
        """Coordinates of row profiles (rows sum to 1 over all categories, passive included):
        FactoMineR's ``row.sup`` formula, sum over active categories of (p - c) G / sqrt(eig)."""
        lam = self._eig[: self._ncp]
        centred = np.where(self._active, profile - self._c, 0.0)
        return centred @ self._G / np.sqrt(lam)

    def _distance2(self, profile: np.ndarray) -> np.ndarray:
        """Squared chi-square distances of row profiles to the centroid, over active
        categories."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self._active, (profile - self._c) ** 2 / self._c, 0.0).sum(axis=1)

    def project(self, X: pd.DataFrame, passive: tuple[str, ...] = ()
                ) -> tuple[pd.DataFrame, pd.Series, dict[object, list[str]]]:
        """Project new individuals; a category never seen at fit is held as a passive one.

        Every value keeps its share 1/Q of the individual's profile, as in FactoMineR's
        projection of supplementary individuals (2.14: the profile centred, passive categories
        weightless). A category no fitted individual holds has no column, so its share stays
        in the profile with no weight, exactly as a passive ``unknown``: the individual is
        placed by its other values, which are **not** re-weighted to fill the gap. Such values
        are returned in ``unseen`` so that the caller names them; values passive by ``passive``
        (``descriptor=category`` or a bare category, e.g. an ``unknown`` no fitted individual
        held) are not. An individual holding no active category has no position (NaN).

        Returns
        -------
        coordinates : DataFrame
            Individuals × kept dimensions (NaN when no active category is held).
        quality : Series
            Sum of cos2 over the kept dimensions (the share of the individual's distance to
            the centroid that the kept dimensions show).
        unseen : dict
            Individual -> list of ``variable=category`` held passive because never seen.
        """
        data = X[self.variables_]
        z = indicator(data, self.categories_, strict=False).to_numpy()
        values = data.astype(object)
        seen = np.column_stack([values[var].isin(self.categories_[var]).to_numpy()
                                for var in self.variables_])
        passive_here = np.column_stack([
            values[var].map(lambda v, var=var: f"{var}{SEP}{v}" in passive or v in passive)
            .to_numpy(dtype=bool) for var in self.variables_])
        unseen = {idx: [f"{var}{SEP}{data.at[idx, var]}" for j, var in enumerate(self.variables_)
                        if not seen[row, j] and not passive_here[row, j]]
                  for row, idx in enumerate(data.index)}
        profile = z / self._Q
        placed = (z[:, self._active] > 0).any(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            coords = self._coordinates(profile)
            quality = (coords ** 2).sum(axis=1) / self._distance2(profile)
        coords[~placed] = np.nan
        quality[~placed] = np.nan
        frame = self._frame(coords, X.index, list(self.row_coordinates_.columns), "individual")
        return frame, pd.Series(quality, index=X.index, name="cos2"), unseen
