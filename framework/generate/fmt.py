"""Value formatting exactly as Synthea's CSV exporter writes it.

Times are handled as integer seconds since the Unix epoch (UTC) throughout the generator:
integer arithmetic is deterministic and much faster than ``datetime`` objects, and Synthea's
own timestamps are whole seconds.
"""

from __future__ import annotations

import calendar
from datetime import date

DAY = 86_400
YEAR = 31_556_952  # 365.2425 days: average Gregorian year, for ages and rates
MONTH_30 = 30 * DAY  # Synthea's "one dispense per month" unit

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_DAY_CACHE: dict[int, str] = {}


def ts(year: int, month: int = 1, day: int = 1, hour: int = 0, minute: int = 0, second: int = 0) -> int:
    """Epoch seconds of a UTC date-time."""
    return calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0))


def add_months(t: int, months: int) -> int:
    """Shift a time by whole calendar months (day clamped to the month's length)."""
    d = _to_date(t)
    index = d.year * 12 + (d.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return ts(year, month0 + 1, min(d.day, last)) + t % DAY


def add_years(t: int, years: int) -> int:
    """Shift a time by whole calendar years (29 February becomes 28 February)."""
    return add_months(t, 12 * years)


def _to_date(t: int) -> date:
    return date.fromordinal(_EPOCH_ORDINAL + t // DAY)


def year_of(t: int) -> int:
    return _to_date(t).year


def day_start(t: int) -> int:
    return t - t % DAY


def day(t: int) -> str:
    """``yyyy-MM-dd`` (patients BIRTHDATE/DEATHDATE, condition/allergy/careplan START/STOP, supplies DATE)."""
    d = t // DAY
    text = _DAY_CACHE.get(d)
    if text is None:
        text = date.fromordinal(_EPOCH_ORDINAL + d).isoformat()
        _DAY_CACHE[d] = text
    return text


def stamp(t: int) -> str:
    """``yyyy-MM-ddTHH:mm:ssZ``: every other date-time column."""
    d, rest = divmod(t, DAY)
    text = _DAY_CACHE.get(d)
    if text is None:
        text = date.fromordinal(_EPOCH_ORDINAL + d).isoformat()
        _DAY_CACHE[d] = text
    hour, rest = divmod(rest, 3600)
    minute, second = divmod(rest, 60)
    return f"{text}T{hour:02d}:{minute:02d}:{second:02d}Z"


def money(cents: int) -> str:
    """Two decimals, as Synthea's ``%.2f``; amounts are kept in integer cents to stay exact."""
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def balance(cents: int) -> str:
    """OUTSTANDING-style amounts: Synthea writes a bare ``0`` when nothing is left."""
    return "0" if cents == 0 else money(cents)


def clean(text: str) -> str:
    """What Synthea's exporter does to free text: commas and line breaks become one space each."""
    return text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ").replace(",", " ").strip()


def coordinate(value: float) -> str:
    """LAT/LON as Java prints a double: up to 17 significant digits."""
    return repr(value)
