"""Strict readers for typed comparisons, written to read every string exactly as the
TypeScript engine does (core/schema/values.ts): decimal numbers, ISO 8601 dates (with
JavaScript's Date.parse rules for that format) and semantic versions (node-semver, strict)."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from decimal import Decimal

NAN = math.nan
MAX_SAFE_INTEGER = 9007199254740991

_NUMERIC = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_ISO_DATE_TIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2})"
    r"(?::([0-9]{2})(?:\.([0-9]{1,9}))?)?(Z|[+-][0-9]{2}:[0-9]{2})"
)


def is_number(value: object) -> bool:
    """A JSON number (bool is not a number, as in JavaScript)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def as_double(value: float) -> float:  # an int is a float to the type checker
    """The IEEE double JavaScript holds for a JSON number (huge integers become ±Infinity)."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def to_number(value: object) -> float:
    """A finite number, or a numeric string; NaN for anything else."""
    if isinstance(value, str):
        return float(value) if _NUMERIC.fullmatch(value) else NAN
    if is_number(value):
        number = as_double(value)  # type: ignore[arg-type]
        return number if math.isfinite(number) else NAN
    return NAN


def key_string(value: object) -> str | None:
    """Strings as they are, safe integers in decimal; None for anything else."""
    if isinstance(value, str):
        return value
    if is_number(value):
        number = as_double(value)  # type: ignore[arg-type]
        if math.isfinite(number) and number == math.floor(number) and abs(number) <= MAX_SAFE_INTEGER:
            return str(int(number))
    return None


def js_string(value: str | float) -> str:
    """String(value) in JavaScript: numbers in their shortest round-trip form."""
    if isinstance(value, str):
        return value
    number = as_double(value)
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    if number == 0:
        return "0"
    if number < 0:
        return "-" + js_string(-number)
    _sign, digit_tuple, exponent = Decimal(repr(number)).normalize().as_tuple()
    digits = "".join(str(d) for d in digit_tuple)
    k = len(digits)
    n = k + int(exponent)
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + digits
    e = n - 1
    mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"


def _days_from_civil(year: int, month: int, day: int) -> int:
    # Howard Hinnant's algorithm; day may exceed the month's length (Date.parse rolls over).
    year -= month <= 2
    era = (year if year >= 0 else year - 399) // 400
    yoe = year - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _iso_millis(parts: tuple[str | None, ...]) -> float:
    year, month, day, hour, minute, second, fraction, offset = parts
    mo, d, h, mi = int(month or 0), int(day or 0), int(hour or 0), int(minute or 0)
    s = int(second or 0)
    frac = fraction or ""
    if not (1 <= mo <= 12 and 1 <= d <= 31 and h <= 24 and mi <= 59 and s <= 59):
        return NAN
    if h == 24 and (mi != 0 or s != 0 or frac.strip("0") != ""):
        return NAN
    shift = 0
    if offset is not None and offset != "Z":
        oh, om = int(offset[1:3]), int(offset[4:6])
        if oh > 23 or om > 59:
            return NAN
        shift = (oh * 60 + om) * 60000 * (1 if offset[0] == "+" else -1)
    ms = int((frac + "000")[:3])
    days = _days_from_civil(int(year or 0), mo, 1) + d - 1
    return float(days * 86400000 + h * 3600000 + mi * 60000 + s * 1000 + ms - shift)


def to_epoch_millis(value: object) -> float:
    """Epoch milliseconds of a datetime, an epoch-millis number or an ISO date string; NaN otherwise."""
    if is_number(value):
        number = as_double(value)  # type: ignore[arg-type]
        return number if math.isfinite(number) else NAN
    if isinstance(value, datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return float(math.floor(moment.timestamp() * 1000))
    if not isinstance(value, str):
        return NAN
    date = _ISO_DATE.fullmatch(value)
    if date is not None:
        return _iso_millis((*date.groups(), "00", "00", "00", None, "Z"))
    date_time = _ISO_DATE_TIME.fullmatch(value)
    return _iso_millis(date_time.groups()) if date_time is not None else NAN
