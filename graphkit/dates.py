"""Dates and outlets of articles: parsing, front matter and datelines.

Dates are normalised to ISO 8601 at the precision they are known:
``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``. ISO strings sort as dates, so the
earliest of several is their ``min``, and a month sorts before its days.

- :func:`parse_date` reads ISO dates and timestamps, ``11/10/2024`` (day
  first, as written in French), ``11 octobre 2024``, ``October 11, 2024``,
  ``oct. 2024``... with French and English month names.
- :func:`front_matter` finds a ``---`` block at the top of a text file
  (``date:``, ``title:``, ``outlet:``, ``url:``, one ``key: value`` a line).
- :func:`dateline` reads an agency dateline at the start of an article:
  « PARIS, 11 octobre (Reuters) - ».
- :func:`read_date_table` reads the CSV of ``graphkit build --dates``
  (``file,date[,outlet]``) and :func:`meta_for` finds a document's row.
"""

from __future__ import annotations

import calendar
import csv
import re
import unicodedata
import warnings
from datetime import date
from pathlib import Path
from typing import NamedTuple

from graphkit.errors import DateWarning, InputError

__all__ = [
    "FRONT_MATTER_KEYS",
    "Dateline",
    "parse_date",
    "period_bounds",
    "front_matter",
    "dateline",
    "with_year",
    "read_date_table",
    "meta_for",
    "date_problem",
]

FRONT_MATTER_KEYS = ("date", "title", "outlet", "url")
"""The keys of a front-matter block that become document metadata."""

_MONTHS = {
    **{
        name: number
        for number, names in enumerate(
            (
                ("janvier", "january", "janv", "jan"),
                ("fevrier", "february", "fevr", "fev", "feb"),
                ("mars", "march", "mar"),
                ("avril", "april", "avr", "apr"),
                ("mai", "may"),
                ("juin", "june", "jun"),
                ("juillet", "july", "juil", "jul"),
                ("aout", "august", "aug"),
                ("septembre", "september", "sept", "sep"),
                ("octobre", "october", "oct"),
                ("novembre", "november", "nov"),
                ("decembre", "december", "dec"),
            ),
            start=1,
        )
        for name in names
    }
}
_MONTH = r"([^\W\d_]+)\.?"
_ISO = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")
_NUMERIC = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")
_DAY_MONTH_YEAR = re.compile(rf"(?:[^\W\d_]+\.?,?\s+)?(\d{{1,2}})(?:er)?\s+{_MONTH}\s+(\d{{4}})")
_MONTH_DAY_YEAR = re.compile(rf"(?:[^\W\d_]+\.?,?\s+)?{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})")
_MONTH_YEAR = re.compile(rf"{_MONTH}\s+(\d{{4}})")
_FRONT_MATTER = re.compile(r"---[ \t]*\n((?:.*\n)*?)---[ \t]*(?:\n|$)")
_FIELD = re.compile(r"([A-Za-z_]+)[ \t]*:[ \t]*(.*)")
# « PARIS, 11 octobre (Reuters) - », « NEW YORK, 3 mars 2024 (AFP) — », « Lyon, le 2 mai (AFP) – »
_DATELINE = re.compile(
    r"\s*[A-ZÀ-Ý][\w'’.\- ]{1,40},\s+(?:le\s+)?(\d{1,2})(?:er)?\s+([^\W\d_]+)\.?(?:\s+(\d{4}))?"
    r"\s+\(([^()\n]{2,40})\)\s*[-–—]"
)


class Dateline(NamedTuple):
    """What a dateline says: the outlet, and the date as far as it is certain."""

    outlet: str
    date: str
    month_day: tuple[int, int]


def _month(word: str) -> int | None:
    """The month a French or English name (or its abbreviation) stands for.

    >>> _month("Février"), _month("sept"), _month("Octobre"), _month("lundi")
    (2, 9, 10, None)
    """
    folded = unicodedata.normalize("NFKD", word.lower())
    return _MONTHS.get("".join(c for c in folded if not unicodedata.combining(c)))


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    """The ISO string of a year, month or day; None when no such date exists."""
    try:
        if day is not None and month is not None:
            return date(year, month, day).isoformat()
        if month is not None:
            return date(year, month, 1).isoformat()[:7]
        return date(year, 1, 1).isoformat()[:4]
    except ValueError:
        return None


def parse_date(text: str) -> str | None:
    """``text`` as an ISO date (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``), or None if it is not one.

    >>> parse_date("2024-10-11T08:30:00+02:00"), parse_date("2024-10"), parse_date(" 2024 ")
    ('2024-10-11', '2024-10', '2024')
    >>> parse_date("11/10/2024"), parse_date("1er février 2024"), parse_date("October 11, 2024")
    ('2024-10-11', '2024-02-01', '2024-10-11')
    >>> parse_date("vendredi 11 oct. 2024"), parse_date("Sept 2023")
    ('2024-10-11', '2023-09')
    >>> parse_date("hier"), parse_date("2024-13-01"), parse_date("31/02/2024")
    (None, None, None)
    """
    text = " ".join(text.split())
    match = _ISO.fullmatch(text)
    if match:
        year, month, day = (int(g) if g else None for g in match.groups())
        return _iso(year, month, day)  # type: ignore[arg-type]
    match = _NUMERIC.fullmatch(text)
    if match:
        return _iso(int(match[3]), int(match[2]), int(match[1]))
    match = _DAY_MONTH_YEAR.fullmatch(text)
    if match and _month(match[2]):
        return _iso(int(match[3]), _month(match[2]), int(match[1]))
    match = _MONTH_DAY_YEAR.fullmatch(text)
    if match and _month(match[1]):
        return _iso(int(match[3]), _month(match[1]), int(match[2]))
    match = _MONTH_YEAR.fullmatch(text)
    if match and _month(match[1]):
        return _iso(int(match[2]), _month(match[1]))
    return None


def period_bounds(iso: str) -> tuple[str, str]:
    """The first and last day of an ISO date, month or year.

    >>> period_bounds("2024-02"), period_bounds("2024"), period_bounds("2024-10-11")
    (('2024-02-01', '2024-02-29'), ('2024-01-01', '2024-12-31'), ('2024-10-11', '2024-10-11'))
    """
    if len(iso) == 4:
        return f"{iso}-01-01", f"{iso}-12-31"
    if len(iso) == 7:
        year, month = int(iso[:4]), int(iso[5:])
        return f"{iso}-01", f"{iso}-{calendar.monthrange(year, month)[1]:02d}"
    return iso, iso


def front_matter(text: str) -> tuple[dict[str, str], int]:
    """The metadata of a ``---`` block at the very top of ``text``, and the block's length.

    Keys other than :data:`FRONT_MATTER_KEYS` are ignored; values may be quoted.
    Returns ``({}, 0)`` when the text does not start with such a block.

    >>> front_matter('---\\ndate: 11 octobre 2024\\ntitle: "Un titre"\\ntags: x\\n---\\nLe texte.')
    ({'date': '11 octobre 2024', 'title': 'Un titre'}, 56)
    >>> front_matter("--- pas un bloc\\nLe texte.")
    ({}, 0)
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, 0
    meta: dict[str, str] = {}
    for line in match[1].splitlines():
        field = _FIELD.fullmatch(line.strip())
        if field is None:
            if line.strip():
                return {}, 0  # not a block of key: value lines
            continue
        key, value = field[1].lower(), field[2].strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1].strip()
        if key in FRONT_MATTER_KEYS and value:
            meta[key] = value
    return meta, match.end()


def dateline(text: str) -> Dateline | None:
    """The outlet and date of an agency dateline starting one of the first three lines of ``text``.

    Blank lines are not counted: a headline may come first.

    Without a year the date is not certain: ``date`` is "" and ``month_day``
    holds what the dateline says (see :func:`with_year`).

    >>> dateline("PARIS, 11 octobre (Reuters) - La banque a annoncé...")
    Dateline(outlet='Reuters', date='', month_day=(10, 11))
    >>> dateline("NEW YORK, 3 mars 2024 (AFP) — Le groupe...")
    Dateline(outlet='AFP', date='2024-03-03', month_day=(3, 3))
    >>> dateline("Un titre\\n\\nLYON, le 2 mai (AFP) – Le groupe...").outlet
    'AFP'
    >>> dateline("Le groupe (AFP) - a annoncé") is None
    True
    """
    lines = [line for line in text.splitlines()[:20] if line.strip()][:3]
    match = next(filter(None, map(_DATELINE.match, lines)), None)
    if match is None:
        return None
    month = _month(match[2])
    if month is None:
        return None
    day = int(match[1])
    found = _iso(int(match[3]), month, day) if match[3] else ""
    if found is None or _iso(2000, month, day) is None:  # 2000: a leap year, so 29 February exists
        return None
    return Dateline(" ".join(match[4].split()), found, (month, day))


def with_year(month_day: tuple[int, int], known: str) -> str:
    """The full date of a dateline's day and month, with the year of a known date (else "").

    The dateline's day is used only when the known date says less (a year, or the same month).

    >>> with_year((10, 11), "2024"), with_year((10, 11), "2024-10"), with_year((10, 11), "2024-09-30")
    ('2024-10-11', '2024-10-11', '2024-09-30')
    >>> with_year((10, 11), "")
    ''
    """
    if len(known) == 10 or not known:
        return known
    month, day = month_day
    if len(known) == 7 and int(known[5:]) != month:
        return known
    return _iso(int(known[:4]), month, day) or known


def date_problem(value: str) -> str:
    """The one-line warning about a date that cannot be read (after the name of its document).

    >>> date_problem("le mois\\n dernier")
    'date not understood, left out: le mois dernier'
    """
    return f"date not understood, left out: {' '.join(value.split())[:60]}"


def read_date_table(path: str | Path) -> dict[str, dict[str, str]]:
    """The rows of a ``file,date[,outlet]`` CSV, by file name: ``{"a.txt": {"date": ..., "outlet": ...}}``.

    A header row (first cell ``file``) is skipped. A date that cannot be read
    is left out with a warning naming the file and line; the outlet is kept.

    Raises
    ------
    InputError
        If the file cannot be read or a row has fewer than two cells.
    """
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise InputError(f"cannot read dates file {path}: {err}") from None
    table: dict[str, dict[str, str]] = {}
    for number, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells) or (number == 1 and cells[0].lower() == "file"):
            continue
        if len(cells) < 2 or not cells[0]:
            raise InputError(f"{path}, line {number}: expected file,date[,outlet]")
        meta: dict[str, str] = {}
        if cells[1]:
            iso = parse_date(cells[1])
            if iso is None:
                warnings.warn(f"{path}, line {number}: {date_problem(cells[1])}", DateWarning, stacklevel=2)
            else:
                meta["date"] = iso
        if len(cells) > 2 and cells[2]:
            meta["outlet"] = cells[2]
        table[cells[0]] = meta
    return table


def meta_for(doc: str, table: dict[str, dict[str, str]]) -> dict[str, str]:
    """The row of document ``doc``: its own, else its file's (``a.jsonl`` for ``a.jsonl#3``).

    >>> table = {"a.jsonl": {"date": "2024"}, "b.txt": {"outlet": "AFP"}}
    >>> meta_for("a.jsonl#3", table), meta_for("b.txt", table), meta_for("c.txt", table)
    ({'date': '2024'}, {'outlet': 'AFP'}, {})
    """
    if doc in table:
        return table[doc]
    return table.get(doc.rpartition("#")[0], {}) if "#" in doc else {}
