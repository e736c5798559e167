"""``python -m ptce_typology.cli``: the same as the ``ptce`` command."""

from ptce_typology.cli import run

run()
