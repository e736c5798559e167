"""The categories of a descriptor in the cloud of individuals, as GDAtools shows them: each
category's mean point, its concentration ellipse and the typicality test of its mean point
(GDAtools' ``ggadd_kellipses`` and ``dimtypicality``; Le Roux & Rouanet, *Multiple
Correspondence Analysis*, 2010, §2.3 and §3.4).

The cloud is that of the poles that shaped the typology (the fitted individuals); a
descriptor's categories are the ones they hold, in vocabulary order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ptce_typology.analysis.parameters import DEFAULT_CLOUD_DESCRIPTOR
from ptce_typology.errors import PtceError

if TYPE_CHECKING:
    import pandas as pd

# The share of a category's individuals its concentration ellipse holds (for a normal cloud).
CONCENTRATION_LEVEL = 0.90


@dataclass(frozen=True)
class CategoryClouds:
    """The categories of one descriptor in the plane of two axes.

    Attributes
    ----------
    descriptor : str
        The descriptor.
    axes : tuple of int
        The two axes of the plane (1-based), as ``Dim i`` columns of ``points``.
    points : DataFrame
        The fitted poles (index ``pole_id``): ``category``, then their coordinates on every
        kept dimension.
    ellipses : DataFrame
        :func:`concentration_ellipses` in the plane of ``axes``.
    typicality : DataFrame
        :func:`typicality_tests` on every kept dimension.
    """

    descriptor: str
    axes: tuple[int, int]
    level: float
    points: pd.DataFrame
    ellipses: pd.DataFrame
    typicality: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: descriptor, axes, level, ellipses and typicality as records."""
        return {"descriptor": self.descriptor, "axes": list(self.axes), "level": self.level,
                "ellipses": self.ellipses.reset_index().to_dict(orient="records"),
                "typicality": self.typicality.reset_index().to_dict(orient="records")}


def concentration_ellipses(coordinates: pd.DataFrame, groups: pd.Series,
                           level: float = CONCENTRATION_LEVEL) -> pd.DataFrame:
    """The mean point and concentration ellipse of each group in a plane.

    The ellipse of a group is centred on its mean point; its axes follow the eigenvectors of
    the covariance of the group's points (divisor the group's size: the subcloud's own
    variance, as GDAtools), and each half-axis is ``sqrt(q * eigenvalue)`` with ``q`` the
    chi-square quantile with 2 degrees of freedom at ``level``: for a normal subcloud it holds
    ``level`` of the points (``q`` = 4.61 at 0.90; GDAtools' kappa = 2 is ``q`` = 4, 86 %).

    Parameters
    ----------
    coordinates : DataFrame
        Individuals × exactly two columns (x, y).
    groups : Series
        The group of each individual (same index); a categorical's order is kept, and its
        empty categories are left out.

    Returns
    -------
    DataFrame
        Index ``category``; columns ``n``, ``x``, ``y`` (the mean point), ``var_x``,
        ``var_y``, ``cov_xy``, ``half_major``, ``half_minor`` (0 for a group of one) and
        ``angle`` (of the major axis from the x axis, radians in (-pi/2, pi/2]).
    """
    import math

    import numpy as np
    import pandas as pd

    if coordinates.shape[1] != 2:
        raise ValueError("concentration_ellipses needs two columns")
    q = -2 * math.log(1 - level)  # the chi-square quantile with 2 df, in closed form
    rows = []
    for category, members in _members(groups):
        xy = coordinates.loc[members].to_numpy(dtype=float)
        mean = xy.mean(axis=0)
        cov = np.cov(xy, rowvar=False, bias=True) if len(xy) > 1 else np.zeros((2, 2))
        values, vectors = np.linalg.eigh(cov)  # ascending
        major = vectors[:, 1] * (1 if vectors[0, 1] >= 0 else -1)
        angle = float(np.arctan2(major[1], major[0])) if values[1] > 0 else 0.0
        if angle <= -np.pi / 2:
            angle += np.pi
        rows.append({"category": str(category), "n": len(xy), "x": mean[0], "y": mean[1],
                     "var_x": cov[0, 0], "var_y": cov[1, 1], "cov_xy": cov[0, 1],
                     "half_major": float(np.sqrt(q * max(values[1], 0.0))),
                     "half_minor": float(np.sqrt(q * max(values[0], 0.0))), "angle": angle})
    return pd.DataFrame(rows).set_index("category")


def typicality_tests(coordinates: pd.DataFrame, groups: pd.Series,
                     eigenvalues: pd.Series) -> pd.DataFrame:
    """The typicality test of each group's mean point on each axis (GDAtools'
    ``dimtypicality``).

    On axis ``s`` with eigenvalue ``l``, a group of ``n_k`` of the ``n`` individuals whose
    mean point has coordinate ``m`` has ``v_test = m / sqrt(l) * sqrt(n_k (n - 1) / (n -
    n_k))``: the mean point against the centre of the cloud (0), the sampling variance of a
    mean of ``n_k`` drawn without replacement from ``n`` (the finite-population correction);
    ``p_value`` is two-sided, normal. A group holding every individual has v_test 0, as in
    GDAtools. It equals FactoMineR's v.test of a supplementary category.

    Parameters
    ----------
    coordinates : DataFrame
        Individuals × dimensions (``Dim k``), the coordinates of the fitted individuals.
    groups : Series
        The group of each individual (same index).
    eigenvalues : Series
        The eigenvalue of each dimension (same names as the columns).

    Returns
    -------
    DataFrame
        Index (``category``, ``dimension``); columns ``n``, ``mean`` (the coordinate of the
        mean point), ``v_test`` and ``p_value``.
    """
    import math

    import numpy as np
    import pandas as pd

    n = len(coordinates)
    rows = []
    for category, members in _members(groups):
        n_k = len(members)
        means = coordinates.loc[members].mean(axis=0)
        scale = np.sqrt(n_k * (n - 1) / (n - n_k)) if n_k < n else 0.0
        for dim, mean in means.items():
            v = float(mean / np.sqrt(eigenvalues[dim]) * scale)
            rows.append({"category": str(category), "dimension": dim, "n": n_k,
                         "mean": float(mean), "v_test": v,
                         "p_value": math.erfc(abs(v) / math.sqrt(2))})  # 2 * normal sf
    return pd.DataFrame(rows).set_index(["category", "dimension"])


def _members(groups: pd.Series) -> list[tuple[Any, list]]:
    """(category, members) of each category held by at least one individual, in order."""
    order = list(groups.cat.categories) if hasattr(groups, "cat") else sorted(
        groups.astype(str).unique())
    values = groups.astype(object)
    found = [(c, values.index[values == c].tolist()) for c in order]
    return [(c, members) for c, members in found if members]


def category_clouds(model: Any, descriptor: str = DEFAULT_CLOUD_DESCRIPTOR,
                    axes: tuple[int, int] = (1, 2),
                    level: float = CONCENTRATION_LEVEL) -> CategoryClouds:
    """The categories of ``descriptor`` in the cloud of a fitted
    :class:`~ptce_typology.analysis.typology.Typology`'s poles: mean points and concentration
    ellipses in the plane of ``axes``, typicality tests on every kept dimension.

    ``descriptor`` is any categorical column of the frame the model was fitted on (a
    supplementary descriptor such as ``laureate_any``, ``laureate_2013``,
    ``laureate_ami_2021``, or an active one).
    """
    frame, coords = model.frame_, model.coordinates_
    allowed = [c for c in frame.columns if hasattr(frame[c], "cat")]
    if descriptor not in allowed:
        raise PtceError("not a categorical descriptor of the poles", field="cloud_descriptor",
                        value=descriptor, allowed=allowed, key="cloud_descriptor",
                        values={"value": descriptor, "allowed": ", ".join(allowed)})
    check_axes(model, axes)
    groups = frame.loc[coords.index, descriptor]
    plane = coords[[f"Dim {axes[0]}", f"Dim {axes[1]}"]]
    points = coords.copy()
    points.insert(0, "category", groups.astype(object).astype(str))
    return CategoryClouds(
        descriptor=descriptor, axes=axes, level=level, points=points,
        ellipses=concentration_ellipses(plane, groups, level),
        typicality=typicality_tests(coords, groups,
                                    model.mca_.eigenvalues_["eigenvalue"]))


def check_axes(model: Any, axes: tuple[int, int]) -> None:
    """Raise when ``axes`` are not two different dimensions the fitted model keeps."""
    kept = model.coordinates_.shape[1]
    first, second = axes
    if first == second or not (1 <= first <= kept and 1 <= second <= kept):
        raise PtceError(f"two different dimensions of the {kept} the MCA keeps",
                        field="axes", value=f"{first},{second}",
                        allowed=(f"1 to {kept}",), key="axes_range",
                        values={"first": first, "second": second, "n": kept})


def plane_clouds(model: Any, descriptor: str = DEFAULT_CLOUD_DESCRIPTOR,
                 axes: tuple[int, int] | None = None) -> CategoryClouds | None:
    """:func:`category_clouds` in the plane of ``axes`` (checked), or by default in the first
    plane; None when ``axes`` is not given and the MCA keeps a single dimension."""
    if axes is None and model.coordinates_.shape[1] < 2:
        return None
    return category_clouds(model, descriptor, axes or (1, 2))
