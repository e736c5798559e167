"""Names vulture cannot see used (tests/test_style.py): read by a library, a protocol or
pydantic, or published for users. Never run; each line says why the name stays."""

from types import SimpleNamespace

_ = SimpleNamespace()

USED = (
    # Module-level __getattr__ and __dir__: Python calls them (lazy public names).
    _.__getattr__, _.__dir__,
    # typer reads the wrapper's signature and annotations (cli/options.py); click calls the
    # group's format_commands to write the command list (cli/app.py).
    _.__signature__, _.__annotations__, _.format_commands,
    # scikit-learn's estimator protocol: get_params(deep=...) and set_params.
    _.deep, _.set_params,
    # Published fitted attributes of the MCA (FactoMineR's tables), documented in its class.
    _.supplementary_cos2_, _.supplementary_vtest_, _.signs_,
    # pydantic fields: data of the case files, claims and référentiel, read by validation and
    # written to the outputs by name.
    _.accessed, _.approximate, _.qualifier, _.activities, _.cooperative_tools, _.why,
    _.call_2013, _.call_2015, _.ami_2021, _.ami_2022, _.ami_2023, _.ami_2024, _.ami_2025,
    # Attributes that zipfile, python-docx and openpyxl read from the objects we set them on.
    _.compress_type, _.autofit, _.bold, _.alignment, _.space_after, _.author,
    _.last_modified_by, _.revision, _.data_type, _.orientation, _.top_margin, _.bottom_margin,
    # Dead, in render/latex.py, which the hostile-input work is rewriting: remove there.
    _.CHAR_PT, _.TABCOLSEP_PT,
)
