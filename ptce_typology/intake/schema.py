"""The schema of a case file: one pole, every value with the source(s) it rests on.

Categorical values come from ``data/vocabulary.yaml``; ``unknown`` is legal wherever a source
may be silent and means "no source read says it", never "no". Age and age class are derived
from the dated grouping events, never typed in.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)

from ptce_typology.vocabulary import DEFAULT_REFERENCE_YEAR, NOT_APPLICABLE, UNKNOWN, allowed

AGE_CLASS_THRESHOLD = 10  # the paper's "plus de 10 ans"
DEFAULT_MEMBERS_YEAR = 2014  # the year of the paper's case studies

# One place for each rule: the table reader (intake/tables.py) uses these too.
DATE_PATTERN = r"\d{4}(-\d{2}(-\d{2})?)?"
POLE_ID_PATTERN = r"^[a-z][a-z0-9_]*$"
YEAR_MIN, YEAR_MAX = 1800, _dt.date.today().year  # no year or date in the future
POLE_ID_MAX_LENGTH = 60
TEXT_MAX_LENGTH = 5000
MEMBERS_MIN, MEMBERS_MAX = 0, 1_000_000
ROLES = ("temoin", "case")
_DATE_RE = re.compile(rf"^{DATE_PATTERN}$")
# A source's url is followed by readers (a link in the report): http or https only. A website
# may also be a bare domain (www.example.org); javascript:, data:, file: ... are refused.
URL_PATTERN = r"(?i)^https?://[^\s\x00-\x1f\x7f]+$"
WEBSITE_PATTERN = (r"(?i)^(https?://[^\s\x00-\x1f\x7f]+"
                   r"|[a-z0-9][a-z0-9-]*(\.[a-z0-9-]+)+(:[0-9]+)?(/[^\s\x00-\x1f\x7f]*)?)$")
_URL_RE = re.compile(URL_PATTERN)
_WEBSITE_RE = re.compile(WEBSITE_PATTERN)


def _to_date_text(value: Any) -> Any:
    if isinstance(value, bool):
        return value  # rejected below as a wrong type
    if isinstance(value, int):
        value = str(value)
    if isinstance(value, str) and not _DATE_RE.match(value.strip()):
        raise ValueError("a date is written YYYY, YYYY-MM or YYYY-MM-DD")
    if isinstance(value, str):
        check_calendar_date(value.strip())
    return value.strip() if isinstance(value, str) else value


def check_calendar_date(text: str) -> None:
    """Raise ValueError unless ``YYYY[-MM[-DD]]`` is a real date between YEAR_MIN and today's
    year (``2014-02-30``, ``2009-02-29`` and ``2014-13-45`` are not)."""
    parts = [int(p) for p in text.split("-")]
    if not YEAR_MIN <= parts[0] <= YEAR_MAX:
        raise ValueError(f"the year must be between {YEAR_MIN} and {YEAR_MAX} (not in the "
                         "future)")
    try:
        _dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        raise ValueError("no such date: the month is 01 to 12 and the day one the month "
                         "has") from None


def _http_url(value: str) -> str:
    if not _URL_RE.match(value):
        raise ValueError("a url starts with http:// or https:// (no other scheme, no space)")
    return value


def _website(value: str) -> str:
    if value != "unknown" and not _WEBSITE_RE.match(value):
        raise ValueError("a website is an http:// or https:// address or a domain name "
                         "(www.example.org); no other scheme")
    return value


def _yes_no(value: Any) -> Any:
    # YAML 1.1 reads an unquoted yes/no as a boolean.
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return value


DateText = Annotated[str, BeforeValidator(_to_date_text)]
Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]
Identifier = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$", max_length=80)]
PoleId = Annotated[str, Field(pattern=POLE_ID_PATTERN, max_length=POLE_ID_MAX_LENGTH)]
NonEmpty = Annotated[str, Field(min_length=1, max_length=TEXT_MAX_LENGTH)]


def _category(descriptor: str) -> Any:
    return Literal[allowed(descriptor)]  # type: ignore[valid-type]


TriState = Annotated[_category("shared_premises"), BeforeValidator(_yes_no)]


class _Strict(BaseModel):
    # Built on first use: a case validates through one Case schema, not each part's own.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True,
                              defer_build=True)


class Source(_Strict):
    """A source a reader can follow: the paper with its section, or a URL with a short quote."""

    id: Identifier
    citation: NonEmpty | None = None
    url: Annotated[NonEmpty, AfterValidator(_http_url)] | None = None
    quote: NonEmpty | None = None
    date: DateText | None = Field(None, description="publication or consultation date")
    checked: bool = Field(True, description="false when the quote could not be checked against "
                                            "the page itself (a page not stored, a copy only)")
    accessed: DateText | None = Field(None, description="when the source was last read")

    @model_validator(mode="after")
    def _followable(self) -> Source:
        if not self.citation and not self.url:
            raise ValueError("a source needs a citation or a url")
        return self


class Sourced(_Strict):
    """Base of every sourced value: the ids of the sources it rests on, its basis and a note.

    ``basis`` is ``stated`` (a cited quote says it, the default), ``inferred`` (derived by
    reasoning: by elimination, from a rule, from a date; ``rule`` names the codebook rule and
    ``note`` gives the reasoning) or ``derived`` (computed from official data named as a
    source with its version).
    """

    sources: list[Identifier] = Field(default_factory=list)
    basis: Literal["stated", "inferred", "derived"] = "stated"
    rule: Identifier | None = Field(None, description="with `inferred`: the id of the codebook "
                                                      "rule it applies")
    searched: list[Identifier] = Field(
        default_factory=list, description="ids of the sources read for this value that do not "
                                          "give it (an `unknown` value says where it was sought)")
    note: NonEmpty | None = None

    @model_validator(mode="after")
    def _inferred_says_how(self) -> Sourced:
        if self.basis == "inferred" and not self.note:
            raise ValueError("an inferred value needs a note giving the reasoning")
        return self


class Text(Sourced):
    """A sourced free text."""
    value: NonEmpty
    date: DateText | None = Field(None, description="when the value held, for facts that change")


def _alternatives(descriptor: str, annotation: Any = None) -> Any:
    """``alternatives:`` of a categorical descriptor: other readings of a contested coding,
    each with its sources and note."""

    from pydantic import create_model

    alternative = create_model(f"{descriptor.title().replace('_', '')}Alternative",
                               __base__=Sourced, value=(annotation or _category(descriptor), ...))
    return list[alternative]


class Website(Text):
    """A pole's website: an http(s) address (any other scheme is refused)."""

    value: Annotated[NonEmpty, AfterValidator(_website)]


class Origin(Sourced):
    """A sourced origin: one of the vocabulary's origins or ``unknown``."""
    value: _category("origin")
    alternatives: _alternatives("origin") = Field(default_factory=list)


class Territory(Sourced):
    """A sourced territory: one of the vocabulary's territories or ``unknown``."""
    value: _category("territory")
    alternatives: _alternatives("territory") = Field(default_factory=list)


class Sector(Sourced):
    """A sourced sector, with a free ``theme``."""
    value: _category("sector")
    spans: list[Literal[allowed("sector")[:3]]] = Field(  # type: ignore[valid-type]
        default_factory=list, description="with `mixed`: the paper's sectors it spans")
    theme: NonEmpty | None = Field(None, description="free theme: agrifood, books, ...")
    alternatives: _alternatives("sector") = Field(default_factory=list)

    @model_validator(mode="after")
    def _spans_with_mixed(self) -> Sector:
        if self.spans and self.value != "mixed":
            raise ValueError("`spans` goes with `value: mixed`")
        return self


class YesNo(Sourced):
    """A sourced ``yes`` / ``no`` / ``unknown``."""
    value: TriState
    date: DateText | None = None
    alternatives: _alternatives("shared_premises", TriState) = Field(default_factory=list)


class SharedPremises(YesNo):
    """Shared premises: yes / no / unknown, with the premises' name and year."""
    name: NonEmpty | None = None
    year: Year | None = None


class Event(Sourced):
    """A dated event of the grouping's history (``approximate`` when the year is)."""
    id: Identifier
    year: Year
    event: NonEmpty
    approximate: bool = False


class GroupingStart(_Strict):
    """The grouping's dated events and the id of the one that counts as its start."""
    events: list[Event] = Field(default_factory=list)
    start: Identifier = Field(UNKNOWN,
                              description="id of the event that counts as the start, or unknown")
    note: NonEmpty | None = None


def _date_or_unknown(value: Any) -> Any:
    return value if value == UNKNOWN else _to_date_text(value)


MEMBER_UNITS = ("structures", "members", "actors")


class MemberCount(Sourced):
    """A count of the pole's members at a date: ``structures`` (the default: member
    organisations), ``members`` (adhérents, individuals included) or ``actors`` (people or
    organisations involved, not members). Only dated counts of structures make the tidy
    table's ``members``."""

    count: Annotated[int, Field(ge=MEMBERS_MIN, le=MEMBERS_MAX)]
    date: Annotated[str, BeforeValidator(_date_or_unknown)]
    unit: Literal[MEMBER_UNITS] = "structures"  # type: ignore[valid-type]
    qualifier: Literal["exact", "about", "more_than", "at_least"] = "exact"

    def year(self) -> int | None:
        """The year of the count, or None when its date is unknown."""
        return None if self.date == UNKNOWN else int(self.date[:4])


def _unknown_text() -> Text:
    return Text(value=UNKNOWN)


def _unknown_yes_no() -> YesNo:
    return YesNo(value=UNKNOWN)


class Assessment(Sourced):
    """A user's score of the pole on one indicator of the référentiel (``assessment:``)."""

    score: Annotated[float, Field(ge=-1e9, le=1e9)]
    date: DateText | None = None


class Funding(_Strict):
    """The kinds of funding: member fees, public, private, own revenue, volunteering."""
    member_fees: YesNo = Field(default_factory=_unknown_yes_no)
    public: YesNo = Field(default_factory=_unknown_yes_no)
    private: YesNo = Field(default_factory=_unknown_yes_no)
    own_revenue: YesNo = Field(default_factory=_unknown_yes_no)
    volunteering: YesNo = Field(default_factory=_unknown_yes_no)


class NationalCalls(_Strict):
    """One entry per national call (``data/vocabulary.yaml``, ``calls``): ``yes`` (laureate),
    ``no`` (a source says the pole applied and lost, or the call's complete list of laureates,
    cited, does not hold a pole that had started: codebook rule calls.R1) or ``unknown``.
    ``not_applicable`` is derived, never typed: the pole started after the call's results.
    The keys ``laureate_2013`` and ``laureate_2015`` of earlier files are read as
    ``call_2013`` and ``call_2015``."""

    call_2013: YesNo = Field(default_factory=_unknown_yes_no)
    call_2015: YesNo = Field(default_factory=_unknown_yes_no)
    ami_2021: YesNo = Field(default_factory=_unknown_yes_no)
    ami_2022: YesNo = Field(default_factory=_unknown_yes_no)
    ami_2023: YesNo = Field(default_factory=_unknown_yes_no)
    ami_2024: YesNo = Field(default_factory=_unknown_yes_no)
    ami_2025: YesNo = Field(default_factory=_unknown_yes_no)

    @model_validator(mode="before")
    @classmethod
    def _earlier_keys(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = dict(data)
            for old, new in (("laureate_2013", "call_2013"), ("laureate_2015", "call_2015")):
                if old in data and new not in data:
                    data[new] = data.pop(old)
        return data


class Case(_Strict):
    """One pole. See README, section "Case files", for every field."""

    pole_id: PoleId
    name: NonEmpty
    aliases: list[NonEmpty] = Field(default_factory=list)
    role: Literal[ROLES]  # type: ignore[valid-type]
    commune: Text = Field(default_factory=_unknown_text)
    departement: Text = Field(default_factory=_unknown_text)
    region: Text = Field(default_factory=_unknown_text, description="pre-2016 region name")
    website: Website = Field(default_factory=lambda: Website(value=UNKNOWN))
    grouping_start: GroupingStart
    origin: Origin
    territory: Territory
    sector: Sector
    shared_premises: SharedPremises
    employer_group: YesNo
    research_partnership: YesNo = Field(
        default_factory=_unknown_yes_no,
        description="a research or higher-education partner works with the pole")
    members: list[MemberCount] = Field(default_factory=list)
    legal_form: list[Text] = Field(default_factory=list)
    activities: list[Text] = Field(default_factory=list)
    cooperative_tools: list[Text] = Field(default_factory=list)
    funding: Funding = Field(default_factory=Funding)
    national_calls: NationalCalls = Field(default_factory=NationalCalls)
    assessment: dict[Identifier, Assessment] = Field(
        default_factory=dict, description="scores on user-defined indicators of the référentiel")
    notes: list[NonEmpty] = Field(default_factory=list)
    sources: list[Source] = Field(min_length=1)

    # Derived values -------------------------------------------------------------------------

    def start_event(self) -> Event | None:
        """The event that counts as the start of the grouping, or None when unknown."""
        for event in self.grouping_start.events:
            if event.id == self.grouping_start.start:
                return event
        return None

    def start_year(self) -> int | None:
        """The year of the start event, or None when it is ``unknown``."""
        event = self.start_event()
        return event.year if event else None

    def age(self, reference_year: int = DEFAULT_REFERENCE_YEAR) -> int | None:
        """Years from the start to ``reference_year`` (:func:`age_at`)."""
        return age_at(self.start_year(), reference_year)

    def age_class(self, reference_year: int = DEFAULT_REFERENCE_YEAR) -> str:
        """The paper's age class at ``reference_year`` (:func:`age_class_at`)."""
        return age_class_at(self.start_year(), reference_year)

    def member_count(self, year: int = DEFAULT_MEMBERS_YEAR) -> MemberCount | None:
        """The dated count of structures closest to ``year`` (the earlier one on a tie)."""
        dated = [m for m in self.members if m.unit == "structures" and m.year() is not None]
        if not dated:
            return None
        return min(dated, key=lambda m: (abs(m.year() - year), m.year()))

    def call_value(self, call: str) -> str:
        """yes / no / unknown as the file says, or ``not_applicable`` when the grouping
        started after the call's results (derived, never typed)."""
        return call_value_at(getattr(self.national_calls, call).value, call, self.start_year())

    def latest_legal_form(self) -> Text | None:
        """The legal form with the latest date, or None."""
        if not self.legal_form:
            return None
        return max(self.legal_form, key=lambda f: f.date or "")

    def source(self, source_id: str) -> Source:
        """The source with this id (a :class:`KeyError` if there is none)."""
        for src in self.sources:
            if src.id == source_id:
                return src
        raise KeyError(source_id)


MEMBERS_CLASS_BOUNDS = ((10, "under_10"), (20, "from_10_to_19"), (30, "from_20_to_29"))


NOT_STARTED = "not_started"


def call_results_year(call: str) -> int | None:
    """The year a national call's results were announced (``data/vocabulary.yaml``)."""
    from ptce_typology.vocabulary import vocabulary

    return vocabulary().calls.get(call, {}).get("results_year")


def age_at(start: int | None, reference_year: int) -> int | None:
    """Years from the start of the grouping to ``reference_year``; None when the start is
    unknown or after the reference year (never a negative age)."""
    if start is None or start > reference_year:
        return None
    return reference_year - start


def age_class_at(start: int | None, reference_year: int) -> str:
    """``not_started`` when the grouping started after ``reference_year``, else the class of
    its age (``unknown`` when the start is)."""
    if start is not None and start > reference_year:
        return NOT_STARTED
    return age_class_of(age_at(start, reference_year))


def call_value_at(value: str, call: str, start: int | None) -> str:
    """A call's value as the file says it, or ``not_applicable`` when the grouping started
    after the call's results (a ``yes`` is kept: a source says it)."""
    results = call_results_year(call)
    if value != "yes" and start is not None and results is not None and start > results:
        return NOT_APPLICABLE
    return value


def age_class_of(age: int | None) -> str:
    """The paper's age class of an age in years (``unknown`` when the age is unknown)."""
    if age is None:
        return UNKNOWN
    return "over_10_years" if age > AGE_CLASS_THRESHOLD else "up_to_10_years"


def members_class(count: int | None) -> str:
    """The class of a member count (bounds around the paper's « une vingtaine »)."""
    if count is None:
        return UNKNOWN
    for bound, key in MEMBERS_CLASS_BOUNDS:
        if count < bound:
            return key
    return "from_30"


def case_json_schema() -> dict:
    """The JSON Schema of a case file, for editors that validate while typing."""
    schema = Case.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "ptce-typology case file"
    return schema
