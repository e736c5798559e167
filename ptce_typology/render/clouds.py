"""The categories of a descriptor in the cloud of poles as tables: the typicality test of
each category's mean point (:class:`~ptce_typology.analysis.clouds.CategoryClouds`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ptce_typology.render.cells import format_number
from ptce_typology.render.labels import text
from ptce_typology.vocabulary import vocabulary

if TYPE_CHECKING:
    import pandas as pd

CategoryClouds = Any  # analysis.clouds.CategoryClouds (render never imports analysis)


def cloud_title(clouds: CategoryClouds, lang: str = "en") -> str:
    """The title of the typicality table."""
    return text("clouds.title", lang, descriptor=vocabulary().label(clouds.descriptor, lang),
                first=clouds.axes[0], second=clouds.axes[1])


def figure_title(clouds: CategoryClouds, lang: str = "en") -> str:
    """The title of the figure of mean points and ellipses."""
    return text("clouds.figure", lang, descriptor=vocabulary().label(clouds.descriptor, lang),
                level=format_number(clouds.level * 100, lang, 0))


def category_name(clouds: CategoryClouds, category: str, lang: str = "en") -> str:
    """A category of the clouds' descriptor in words."""
    return vocabulary().category_label(clouds.descriptor, category, lang)


def typicality_table(clouds: CategoryClouds, lang: str = "en") -> pd.DataFrame:
    """One row per category: poles, then its mean point, test value and p on each of the two
    axes of the figure."""
    import pandas as pd

    def t(key: str, **values: Any) -> str:
        return text(f"clouds.column.{key}", lang, **values)

    tests = clouds.typicality
    categories = list(dict.fromkeys(tests.index.get_level_values("category")))
    shown: dict[str, list[str]] = {t("n"): [str(int(tests.loc[(c, f"Dim {clouds.axes[0]}"),
                                                             "n"])) for c in categories]}
    for k in clouds.axes:
        rows = [tests.loc[(c, f"Dim {k}")] for c in categories]
        shown[t("coordinate", k=k)] = [format_number(r["mean"], lang, 3) for r in rows]
        shown[t("vtest", k=k)] = [format_number(r["v_test"], lang, 2) for r in rows]
        shown[t("p", k=k)] = [format_number(r["p_value"], lang, 3) for r in rows]
    return pd.DataFrame(shown, index=pd.Index(
        [category_name(clouds, c, lang) for c in categories],
        name=text("clusters.column.category", lang)))


def cloud_sections(clouds: CategoryClouds | None, lang: str = "en"
                   ) -> list[tuple[str, pd.DataFrame]]:
    """The titled typicality table, or nothing without clouds."""
    if clouds is None:
        return []
    return [(cloud_title(clouds, lang), typicality_table(clouds, lang))]


def cloud_note(clouds: CategoryClouds, lang: str = "en") -> str:
    """How to read the figure and the test."""
    return text("clouds.note", lang, level=format_number(clouds.level * 100, lang, 0))


# The tables of ``ptce clusters --format csv --table`` this module gives.
CLOUD_TABLES = ("typicality", "ellipses")


def cloud_csv_table(clouds: CategoryClouds, table: str) -> pd.DataFrame:
    """The raw table (codes, unrounded numbers): typicality on every kept dimension, or the
    ellipses in the plane of the figure; both name the descriptor in a first column."""
    frame = (clouds.typicality if table == "typicality" else clouds.ellipses).reset_index()
    frame.insert(0, "descriptor", clouds.descriptor)
    if table == "ellipses":
        frame.insert(1, "axes", f"{clouds.axes[0]},{clouds.axes[1]}")
        frame.insert(2, "level", clouds.level)
    return frame.set_index("descriptor")
