"""The columns of the tidy frame (``ptce list --format csv``), by name: no import, so that
``--help`` can list them without loading the package's heavier modules."""

# The national calls and their columns (data/vocabulary.yaml, `calls`), in call order.
CALLS = ("call_2013", "call_2015", "ami_2021", "ami_2022", "ami_2023", "ami_2024", "ami_2025")
CALL_COLUMNS = ("laureate_2013", "laureate_2015", "laureate_ami_2021", "laureate_ami_2022",
                "laureate_ami_2023", "laureate_ami_2024", "laureate_ami_2025")
# Categorical columns of the tidy frame, in this order, each an ordered categorical.
CATEGORY_COLUMNS = (
    "role", "age_class", "members_class", "origin", "territory", "sector", "shared_premises",
    "employer_group", "research_partnership", *CALL_COLUMNS, "laureate_any",
    "funding_member_fees", "funding_public", "funding_private", "funding_own_revenue",
    "funding_volunteering",
)
FRAME_COLUMNS = (
    "name", "role", "commune", "departement", "region", "website", "start_year", "age",
    "age_class", "origin", "territory", "sector", "theme", "shared_premises", "employer_group",
    "research_partnership", "members", "members_year", "members_class", "legal_form",
    *CALL_COLUMNS, "laureate_any", "funding_member_fees", "funding_public",
    "funding_private", "funding_own_revenue", "funding_volunteering", "alternatives",
    "inferred",
)
#: The numeric columns a condition or an outcome may threshold (``age>10``).
NUMERIC_COLUMNS = ("start_year", "age", "members", "members_year")
