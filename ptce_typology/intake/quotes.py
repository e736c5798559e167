"""Do the quotes carry the facts? Numbers in a source's quote, in digits or in French words,
and the years and counts of a case that no quote it cites gives.

A stated year or count must be readable in the quote of a source it cites; an inferred one
(``basis: inferred``) carries its reasoning in ``note`` instead.

>>> french_number("quarante-huit")
48
>>> french_number("une vingtaine")
20
>>> sorted(numbers_in("créé en 2008, il compte plus de cinq cents adhérents"))
[500, 2008]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ptce_typology.intake.schema import Case, Sourced
from ptce_typology.vocabulary import UNKNOWN

# Words that add their value to the number being read.
_ADD = {
    "zéro": 0, "zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5,
    "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12,
    "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20,
    "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "septante": 70,
    "huitante": 80, "octante": 80, "nonante": 90,
}
# Words that multiply what was read since the last « mille »: cent, and the approximate
# nouns (« une vingtaine » = 20, « deux centaines » = 200).
_MULTIPLY = {
    "cent": 100, "cents": 100, "dizaine": 10, "dizaines": 10, "douzaine": 12, "douzaines": 12,
    "quinzaine": 15, "quinzaines": 15, "vingtaine": 20, "vingtaines": 20, "trentaine": 30,
    "trentaines": 30, "quarantaine": 40, "quarantaines": 40, "cinquantaine": 50,
    "cinquantaines": 50, "soixantaine": 60, "soixantaines": 60, "centaine": 100,
    "centaines": 100,
}
# Words that close a group: everything read so far times their value.
_SCALE = {"mille": 1000, "millier": 1000, "milliers": 1000, "million": 1_000_000,
          "millions": 1_000_000}
_WORDS = {**_ADD, **_MULTIPLY, **_SCALE}
_ARTICLES = {"un", "une"}  # alone, « un » and « une » are read as articles, not as numbers

# A run of number words joined by spaces or hyphens, « et » allowed inside (« vingt et un »).
_WORD = "|".join(sorted(map(re.escape, _WORDS), key=len, reverse=True))
_SEP = r"[\s\u00a0\u202f-]+"
_RUN_RE = re.compile(rf"(?<![\w-])(?:{_WORD})(?:{_SEP}(?:et{_SEP}(?=(?:un|une|onze)\b))?"
                     rf"(?:{_WORD}))*(?![\w-])", re.IGNORECASE)
# Digits, alone or grouped by thousands with a space, a thin space, a no-break space or a dot.
_DIGITS_RE = re.compile(r"\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?!\d)|\d+")


def french_number(words: str) -> int | None:
    """The value of a French number written in words, or None when ``words`` is not one.

    Hyphens and spaces both join (« quarante-huit », « cinq cents », « deux-cent-dix »);
    « quatre-vingt(s) » is 80; the approximate nouns count as their round value
    (« une dizaine » = 10, « une trentaine » = 30, « deux centaines » = 200, « un millier »
    = 1000).

    Parameters
    ----------
    words
        The number alone, e.g. ``"soixante et onze"``.

    Returns
    -------
    int or None
    """
    tokens = [t for t in re.split(r"[\s\u00a0\u202f-]+", words.strip().lower()) if t]
    if not tokens or tokens[0] == "et" or tokens[-1] == "et":
        return None
    total, current, previous = 0, 0, None
    for token in tokens:
        if token == "et":
            previous = token
            continue
        if token not in _WORDS:
            return None
        if token in ("vingt", "vingts") and previous == "quatre":
            current += 80 - 4  # quatre-vingt(s): the « quatre » already added is a factor
        elif token in _ADD:
            current += _ADD[token]
        elif token in _MULTIPLY:
            current = (current or 1) * _MULTIPLY[token]
        else:
            total += (current or 1) * _SCALE[token]
            current = 0
        previous = token
    return total + current


def numbers_in(text: str) -> set[int]:
    """Every number a text writes, in digits (``2010``, ``1 200``) or in French words.

    A digit group separated by a space may be a thousands group or two numbers; both
    readings are returned. A lone « un » or « une » is an article, not a number.
    """
    found: set[int] = set()
    for match in _DIGITS_RE.finditer(text):
        digits = match.group()
        found.add(int(re.sub(r"\D", "", digits)))
        found.update(int(part) for part in re.split(r"\D", digits) if part)
    for match in _RUN_RE.finditer(text):
        run = match.group()
        if run.lower() in _ARTICLES:
            continue
        value = french_number(run)
        if value is not None:
            found.add(value)
    return found


@dataclass(frozen=True)
class UnquotedNumber:
    """A stated year or count of a case that no quote of its cited sources writes."""

    pole_id: str
    field: str  # dotted path: grouping_start.events.0.year, members.1.count, ...
    number: int

    def one_line(self) -> str:
        """The problem in one line, for a test's message."""
        return f"{self.pole_id}: {self.field} = {self.number} is in no quote it cites"


def _quoted(case: Case, value: Sourced) -> set[int]:
    quotes = {s.id: s.quote or "" for s in case.sources}
    return numbers_in(" ; ".join(quotes.get(sid, "") for sid in value.sources))


def unquoted_numbers(case: Case) -> list[UnquotedNumber]:
    """The stated years and counts of a case that no quote of its cited sources writes.

    Checked: each grouping event's ``year``, each member count's ``count`` and the year of its
    ``date`` (unless ``unknown``), and the shared premises' ``year``. Values with ``basis:
    inferred`` are not checked: their ``note`` gives the reasoning.

    Returns
    -------
    list of UnquotedNumber
        In file order; empty when every stated number is quoted.
    """
    checks: list[tuple[str, int, Sourced]] = []
    for i, event in enumerate(case.grouping_start.events):
        checks.append((f"grouping_start.events.{i}.year", event.year, event))
    for i, count in enumerate(case.members):
        checks.append((f"members.{i}.count", count.count, count))
        if count.date != UNKNOWN:
            checks.append((f"members.{i}.date", int(count.date[:4]), count))
    premises = case.shared_premises
    if premises.year is not None:
        checks.append(("shared_premises.year", premises.year, premises))
    return [UnquotedNumber(case.pole_id, path, number) for path, number, value in checks
            if value.basis != "inferred" and number not in _quoted(case, value)]
