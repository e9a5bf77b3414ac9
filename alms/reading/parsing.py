"""Parse the text of real exports into typed values, one column at a time.

Every parser takes a pyarrow string array (null = blank cell) and returns a `Parsed`:
the typed array (null where blank or bad) and, per row, an error text or null. A blank
cell is never an error here; required fields are checked by the caller.

Each distinct text is parsed once (dictionary encoding), so a 10M-row column with a few
thousand distinct dates costs a few thousand Python calls.

A Parquet file's typed columns (`readers.typed_cells`) are taken as they are where their
text would give the same values (`_typed_numbers`, `_typed_days`: numbers, durations,
flags, dates), and as their text (`cells.as_text`) everywhere else: 10M durations and
dates cost ~2 s to write as text and read back.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from alms.reading.cells import as_text, float_text, one_array

MONEY_SCALE = 4
"""Money is kept exactly, to 1/10,000 of the currency unit (DECIMAL(38, 4))."""
MONEY_TYPE = pa.decimal128(38, MONEY_SCALE)
MAX_AMOUNT = Decimal(10) ** 14
"""The largest amount ALMS takes (100 trillion, in absolute value): money is summed as
int64 counts of 1/10,000, so any 90,000 such amounts still add up exactly. A larger value
is a rejected cell (it is a typo or another unit far more often than a real amount)."""
MAX_TOTAL = Decimal(9) * Decimal(10) ** 14
"""The largest revenue total of a book (900 trillion): int64 holds 922 trillion in units
of 1/10,000. A book beyond it is refused as a whole."""
_QUANTUM = Decimal(1).scaleb(-MONEY_SCALE)


@dataclass(frozen=True)
class Parsed:
    values: pa.Array
    errors: pa.Array  # string per row: null = fine
    note: str = ""  # what the parser inferred for the column ("day/month/year", ...)


def _no_errors(values: pa.Array) -> pa.Array:
    """No error on any row."""
    return pa.nulls(len(values), pa.string())


def _map_distinct(
    col: pa.Array, parse: Callable[[str], Any], out_type: pa.DataType, note: str = ""
) -> Parsed:
    """Apply `parse` (text -> value, raising ValueError with a reason) to each distinct text."""
    col = clean_text(col)
    encoded = one_array(pc.dictionary_encode(col))
    values: list[Any] = []
    errors: list[str | None] = []
    for text in encoded.dictionary.to_pylist():
        try:
            values.append(parse(text))
            errors.append(None)
        except (ValueError, ArithmeticError) as exc:
            values.append(None)
            errors.append(str(exc))
    idx = encoded.indices
    typed = pa.array(values, type=out_type).take(idx)
    errs = pa.array(errors, type=pa.string()).take(idx)
    return Parsed(typed, errs, note)


def clean_text(col: pa.Array) -> pa.Array:
    """Trimmed text; blank -> null."""
    return _blank_as_null(_trimmed(as_text(col)))


_TRIM_SLICE = 1 << 20
"""Rows trimmed at a time to learn whether a column needs it (one slice's copy at once)."""


def _trimmed(texts: pa.Array) -> pa.Array:
    """The texts without leading and trailing whitespace: the column itself when no
    value has any (10M texts trimmed into a copy cost ~170 MB at the load's peak,
    a column of clean values now nothing), else the trimmed copy."""
    for start in range(0, len(texts), _TRIM_SLICE):
        part = texts.slice(start, _TRIM_SLICE)
        if not pc.all(pc.equal(pc.utf8_trim_whitespace(part), part)).as_py():
            return pc.utf8_trim_whitespace(texts)
    return texts


def _blank_as_null(col: pa.Array) -> pa.Array:
    """Empty texts as null; the column itself when it has none (a copy of 10M texts
    costs ~150 MB at the load's peak)."""
    empty = pc.equal(col, "")
    if not pc.any(empty).as_py():
        return col
    return pc.if_else(empty, pa.scalar(None, pa.string()), col)


def _all_float_ids(texts: pa.Array) -> bool:
    """Whether every present text reads like "17850.0" (and one is present). The first
    thousand decide first: a 10M-row column of other ids is not matched whole (~0.6 s)."""
    if texts.null_count == len(texts):
        return False
    for part in (texts.slice(0, 1000), texts):
        if not pc.all(pc.match_substring_regex(part, r"^\d+\.0+$"), min_count=0).as_py():
            return False
    return True


def clean_ids(col: pa.Array) -> Parsed:
    """Trimmed id text. When every id of a column reads like "17850.0" (a spreadsheet or
    pandas turned integer ids into floats), the ".0" is dropped; otherwise ids stay
    exactly as written ("00123" and "123" are two accounts)."""
    texts = clean_text(col)
    note = ""
    if _all_float_ids(texts):
        texts = pc.replace_substring_regex(texts, r"\.0+$", "")
        note = 'ids like "17850.0" read as "17850"'
    return Parsed(texts, _no_errors(texts), note)


# ---------------------------------------------------------------- money and numbers

BLANK_MARKERS = ("-", "–", "—", "n/a", "na", "#n/a", "null", "none", "nan")
"""Read as blank in money and number columns only (a company called "NA" stays a name)."""


def _numeric_text(col: pa.Array) -> pa.Array:
    texts = clean_text(col)
    marker = pc.is_in(pc.utf8_lower(texts), value_set=pa.array(BLANK_MARKERS))
    return pc.if_else(pc.fill_null(marker, False), pa.scalar(None, pa.string()), texts)


_CURRENCY = re.compile(
    r"^(?:[A-Z]{3}|[$€£¥₹₩₽₺₪]|R\$|US\$|A\$|C\$|kr|Fr\.?)\s*|\s*(?:[A-Z]{3}|[$€£¥₹₩₽₺₪]|kr|Fr\.?)$"
)
_EU_HINT = r"(?:^|[^\d])\d{1,3}(?:\.\d{3})+,\d+$|\d,\d{1,2}$|^\d+,\d{4,}$"
_US_HINT = r"\d{1,3}(?:,\d{3})+\.\d+$|\d\.\d{1,2}$|^\d+\.\d{4,}$"
"""The texts that vote for a decimal comma / point (RE2: \\d is an ASCII digit; a
value written in other digits is no number ALMS reads, so it does not vote)."""


class DecimalMark(StrEnum):
    AUTO = "auto"
    POINT = "."
    COMMA = ","


def _strip_money(text: str) -> tuple[str, bool]:
    """Remove sign wrappers and currency tokens; return (digits text, negative)."""
    s = text.strip().replace("\u00a0", " ").replace("\u202f", " ")
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    if s.endswith("-") and not s.startswith("-"):  # SAP style "1,200.00-"
        negative, s = True, s[:-1].strip()
    if s.startswith(("-", "−")):
        negative, s = not negative, s[1:].strip()
    elif s.startswith("+"):
        s = s[1:].strip()
    for _ in range(2):
        s = _CURRENCY.sub("", s).strip()
    if s.startswith(("-", "−")):  # "$-5" / "USD -5"
        negative, s = not negative, s[1:].strip()
    return s, negative


_WS = (
    r"[\t\n\x{0b}\f\r \x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}"
    r"\x{202f}\x{205f}\x{3000}]"
)
"""Python's whitespace (str.isspace, and \\s in a str pattern) as an RE2 class: RE2's
own \\s is ASCII only."""
_CURRENCY_RE2 = _CURRENCY.pattern.replace(r"\s", _WS)


def _replace(texts: pa.Array, pattern: str, by: str = "") -> pa.Array:
    return pc.replace_substring_regex(texts, pattern, by)


def _strip(texts: pa.Array) -> pa.Array:
    return _replace(texts, f"^{_WS}+|{_WS}+$")


def _vote_texts(texts: pa.Array) -> pa.Array:
    """`_strip_money` and the separators' removal of `infer_decimal_mark`, for a whole
    column at once (the sign it finds does not vote, so it is not kept)."""
    s = _strip(_replace(texts, "[\u00a0\u202f]", " "))
    s = _strip(_replace(s, r"(?s)^\((.*)\)$", r"\1"))
    s = _strip(_replace(s, r"(?s)^([^-].*)-$", r"\1"))  # SAP style "1,200.00-"
    s = _strip(_replace(s, "^[-−+]"))
    for _ in range(2):
        s = _strip(_replace(s, _CURRENCY_RE2))
    s = _strip(_replace(s, "^[-−]"))
    return _replace(s, "[ '’]")


def infer_decimal_mark(texts: pa.Array) -> DecimalMark:
    """Which mark separates decimals in a column: the one its unambiguous values use.

    "1.200,50" and "12,5" vote comma; "1,200.50" and "12.5" vote point; "1,200" or
    "1.200" alone do not vote. A tie (or no vote) reads as point. Nulls are skipped;
    the votes are counted by Arrow over the whole column.
    """
    s = _vote_texts(pc.drop_null(texts))
    eu = pc.match_substring_regex(s, _EU_HINT)
    us = pc.and_(pc.invert(eu), pc.match_substring_regex(s, _US_HINT))
    n_eu, n_us = (pc.sum(pc.cast(v, pa.int64())).as_py() or 0 for v in (eu, us))
    return DecimalMark.COMMA if n_eu > n_us else DecimalMark.POINT


def parse_decimal(text: str, mark: DecimalMark = DecimalMark.POINT) -> Decimal:
    """One money text -> Decimal. Raises ValueError with the reason.

    Accepts "$1,200.50", "1.200,50 €", "USD 1200", "(1,000)" (= -1000), "1 200,50",
    "1'200.50", "-5", "5-". Thousands groups are checked ("1,20.5" is an error).
    """
    s, negative = _strip_money(text)
    s = s.replace(" ", "").replace("'", "").replace("’", "")
    if not s:
        raise ValueError(f"not a number: {text!r}")
    if mark == DecimalMark.AUTO:
        mark = infer_decimal_mark(pa.array([text], pa.string()))
    thousands = "," if mark == DecimalMark.POINT else "."
    if re.search(r"[eE][+-]?\d+$", s) and re.fullmatch(r"\d+(\.\d+)?[eE][+-]?\d+", s):
        number = s  # scientific notation as spreadsheets write big numbers
    else:
        if s.count(mark.value) > 1:
            raise ValueError(f"not a number: {text!r}")
        whole, _, frac = s.partition(mark.value)
        if thousands in whole:
            groups = whole.split(thousands)
            if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
                raise ValueError(f"not a number (misplaced {thousands!r}): {text!r}")
            whole = "".join(groups)
        if not whole and frac:
            whole = "0"
        if not whole.isdigit() or (frac and not frac.isdigit()) or not whole.isascii():
            raise ValueError(f"not a number: {text!r}")
        number = f"{whole}.{frac}" if frac else whole
    try:
        value = Decimal(number)
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {text!r}") from exc
    if not value.is_finite():
        raise ValueError(f"not a number: {text!r}")
    return -value if negative else value


def parse_money_column(col: pa.Array, mark: DecimalMark = DecimalMark.AUTO) -> Parsed:
    """Money texts -> DECIMAL(38, 4), rounded half-even to 1/10,000 of the unit. An
    integer column is its amounts exactly; a float column its shortest texts."""
    if pa.types.is_integer(col.type):
        values = col.cast(MONEY_TYPE)
        return _within_limit(Parsed(values, _no_errors(values), _mark_note(mark)))
    if pa.types.is_floating(col.type) and mark != DecimalMark.COMMA:
        # A float's text has no blank marker, space or comma: nothing to clean, no vote.
        texts, mark = float_text(col), DecimalMark.POINT
    else:
        texts = _numeric_text(col)
        if mark == DecimalMark.AUTO:
            mark = infer_decimal_mark(pc.unique(pc.drop_null(texts)).slice(0, 50_000))

    def parse(text: str) -> Decimal:
        value = parse_decimal(text, mark).quantize(_QUANTUM, rounding=ROUND_HALF_EVEN)
        if value.adjusted() >= 38 - MONEY_SCALE:
            raise ValueError(f"number too large: {text!r}")
        return value

    def matches(pattern: str) -> pa.Array:
        return pc.fill_null(pc.match_substring_regex(texts, pattern), False)

    def cast(mask: pa.Array, to: pa.DataType) -> pa.Array:
        chosen = pc.if_else(mask, texts, pa.scalar(None, pa.string()))
        if mark == DecimalMark.COMMA:
            chosen = pc.replace_substring(chosen, ",", ".")
        return pc.cast(chosen, to)

    note = _mark_note(mark)
    # Plain numbers ("1234.5", "-7") are cast in one vectorised step, and so are those
    # with more decimals than kept ("1234.56789", a float's digits): exactly, to 17
    # decimals, then rounded half-even as `parse` rounds. Only the rest (currency signs,
    # separators, brackets, exponents, errors) go through the Python parser.
    point = "," if mark == DecimalMark.COMMA else r"\."
    plain = matches(rf"^-?\d{{1,33}}(?:{point}\d{{1,{MONEY_SCALE}}})?$")
    long = matches(rf"^-?\d{{1,{38 - _LONG_SCALE}}}{point}\d{{{MONEY_SCALE + 1},{_LONG_SCALE}}}$")
    vector = pc.or_(plain, long)
    if not pc.any(vector).as_py():
        return _within_limit(_map_distinct(texts, parse, MONEY_TYPE, note))
    values = cast(plain, MONEY_TYPE)
    if pc.any(long).as_py():
        exact = cast(long, pa.decimal128(38, _LONG_SCALE))
        rounded = pc.round(exact, ndigits=MONEY_SCALE, round_mode="half_to_even")
        values = pc.coalesce(values, rounded.cast(MONEY_TYPE))
    rest = _map_distinct(pc.if_else(vector, pa.scalar(None, pa.string()), texts), parse, MONEY_TYPE)
    return _within_limit(Parsed(pc.coalesce(values, rest.values), rest.errors, note))


_LONG_SCALE = 17
"""The most decimals a plain money text is cast with before rounding (a float's
shortest text has at most 17 significant digits); 38 - 17 digits before the point."""


def _mark_note(mark: DecimalMark) -> str:
    return "decimal comma" if mark == DecimalMark.COMMA else "decimal point"


def _within_limit(parsed: Parsed) -> Parsed:
    """Amounts beyond MAX_AMOUNT become errors (the row is rejected with the reason)."""
    limit = pa.scalar(MAX_AMOUNT, MONEY_TYPE)
    big = pc.fill_null(pc.greater(pc.abs(parsed.values), limit), False)
    if not pc.any(big).as_py():
        return parsed
    reason = pa.scalar(f"beyond {MAX_AMOUNT:,.0f}: larger than ALMS sums exactly", pa.string())
    return Parsed(
        pc.if_else(big, pa.scalar(None, MONEY_TYPE), parsed.values),
        pc.if_else(big, reason, parsed.errors),
        parsed.note,
    )


_EXACT_INT = 2**53
"""Integers up to this size are float64 values exactly (their text would read the same)."""


def _typed_numbers(col: pa.Array, mark: DecimalMark) -> pa.Array | None:
    """An integer or float column as float64 (NaN blank), the values its text would
    give: finite floats (their shortest text reads back as them; with no comma in it,
    a column's texts never vote for a decimal comma) and integers within 2**53. None
    for anything else, or floats when a decimal comma is pinned (their text is read
    under that mark)."""
    kind = col.type
    if pa.types.is_integer(kind):
        extremes = pc.min_max(col)
        lo, hi = extremes["min"].as_py(), extremes["max"].as_py()
        if lo is not None and (lo < -_EXACT_INT or hi > _EXACT_INT):
            return None
        return col.cast(pa.float64())
    if not pa.types.is_floating(kind) or mark == DecimalMark.COMMA:
        return None
    values = col.cast(pa.float64())
    if pc.any(pc.is_inf(values)).as_py():
        return None
    # NaN is a blank cell; -0.0 reads as "0"
    return pc.add(pc.if_else(pc.is_nan(values), pa.scalar(None, pa.float64()), values), 0.0)


def parse_number_column(col: pa.Array, mark: DecimalMark = DecimalMark.AUTO) -> Parsed:
    """Plain numbers (float64): same text rules as money, a trailing "%" allowed."""
    typed = _typed_numbers(col, mark)
    if typed is not None:
        return Parsed(typed, _no_errors(typed))
    texts = _numeric_text(col)
    if mark == DecimalMark.AUTO:
        distinct = pc.unique(pc.drop_null(texts)).slice(0, 50_000)
        mark = infer_decimal_mark(_replace(distinct, "[% ]+$"))

    def parse(text: str) -> float:
        return float(parse_decimal(text.rstrip().rstrip("%"), mark))

    return _map_distinct(texts, parse, pa.float64())


def parse_minutes_column(col: pa.Array) -> Parsed:
    """Durations in minutes (float64, >= 0). "1:30" reads as 90 minutes (h:mm)."""
    typed = _typed_numbers(col, DecimalMark.POINT)
    if typed is not None:
        negative = pc.fill_null(pc.less(typed, 0.0), False)
        if not pc.any(negative).as_py():
            return Parsed(typed, _no_errors(typed))
        text = as_text(pc.if_else(negative, col, pa.scalar(None, col.type)))
        reason = pc.binary_join_element_wise("negative duration: '", text, "'", "")
        return Parsed(pc.if_else(negative, pa.scalar(None, pa.float64()), typed), reason)
    texts = _numeric_text(col)

    def parse(text: str) -> float:
        m = re.fullmatch(r"(\d+):([0-5]\d)(?::([0-5]\d))?", text)
        if m:
            return int(m[1]) * 60 + int(m[2]) + int(m[3] or 0) / 60
        value = float(parse_decimal(text, DecimalMark.POINT))
        if value < 0:
            raise ValueError(f"negative duration: {text!r}")
        return value

    return _map_distinct(texts, parse, pa.float64())


_TRUE = {"yes", "y", "true", "t", "1", "x", "ja", "oui", "si", "sí"}
_FALSE = {"no", "n", "false", "f", "0", "nein", "non"}


def parse_flag_column(col: pa.Array) -> Parsed:
    """yes/true/1/x -> True; no/false/0 -> False; blank -> null."""
    if pa.types.is_boolean(col.type):
        return Parsed(col, _no_errors(col))

    def parse(text: str) -> bool:
        low = text.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise ValueError(f"not yes/no: {text!r}")

    return _map_distinct(clean_text(col), parse, pa.bool_())


# ---------------------------------------------------------------- dates


class DateOrder(StrEnum):
    AUTO = "auto"
    DMY = "DMY"  # 31/12/2024, 31.12.2024
    MDY = "MDY"  # 12/31/2024
    YMD = "YMD"  # 2024-12-31, 2024/12/31


_ISO_NOTE = "ISO (year-month-day)"
EXCEL_EPOCH = date(1899, 12, 30)
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?")
_YMD = re.compile(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?:[T ].*)?")
_XYZ = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?:[T ,].*)?")
_SERIAL = re.compile(r"\d{4,5}(?:\.\d+)?")
_MONTH_NAME_FORMATS = (
    "%d %b %Y",
    "%d %B %Y",
    "%b %d %Y",
    "%B %d %Y",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%a, %d %b %Y",
    "%Y%m%d",
)


def infer_date_order(texts: list[str]) -> tuple[DateOrder, str]:
    """Day-first or month-first for texts like 03/04/2024, from the values that decide it.

    A first part above 12 decides day-first, a second part above 12 month-first. When no
    value decides, month-first is assumed for "/" and day-first for "." and "-" (the
    common conventions of US and European exports), and the note says it is a guess.
    """
    dmy = mdy = 0
    seps: dict[str, int] = {}
    for t in texts:
        m = _XYZ.fullmatch(t.strip())
        if not m:
            continue
        sep = t.strip()[len(m[1])]
        seps[sep] = seps.get(sep, 0) + 1
        a, b = int(m[1]), int(m[2])
        if a > 12 >= b:
            dmy += 1
        elif b > 12 >= a:
            mdy += 1
    if dmy or mdy:
        order = DateOrder.DMY if dmy >= mdy else DateOrder.MDY
        return order, ("day/month/year" if order == DateOrder.DMY else "month/day/year")
    if not seps:
        return DateOrder.YMD, _ISO_NOTE
    common = max(seps, key=lambda s: seps[s])
    order = DateOrder.MDY if common == "/" else DateOrder.DMY
    guess = "month/day/year" if order == DateOrder.MDY else "day/month/year"
    return order, f"{guess} (assumed: no value decides; pin the order if wrong)"


def _two_digit_year(y: int) -> int:
    return 2000 + y if y < 70 else 1900 + y


def parse_date(text: str, order: DateOrder = DateOrder.MDY) -> date:
    """One date text -> date (time of day dropped). Raises ValueError with the reason.

    ISO (2024-03-31, with or without time), year-first with / or ., day/month or
    month/day per `order` (2- or 4-digit year), month names (31 Mar 2024), compact
    20240331, and Excel serial days (45382 = 2024-03-31, origin 1899-12-30).
    """
    s = text.strip()
    try:
        m = _ISO.fullmatch(s) or _YMD.fullmatch(s)
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        m = _XYZ.fullmatch(s)
        if m:
            a, b, y = int(m[1]), int(m[2]), int(m[3])
            year = _two_digit_year(y) if len(m[3]) == 2 else y
            day, month = (a, b) if order == DateOrder.DMY else (b, a)
            if order == DateOrder.YMD:  # unusual: treat as month-first
                day, month = b, a
            return date(year, month, day)
        if _SERIAL.fullmatch(s) and not re.fullmatch(r"(19|20)\d{6}", s):
            serial = float(s)
            if 1 <= serial < 2_958_466:  # Excel's 9999-12-31
                return EXCEL_EPOCH + timedelta(days=int(serial))
        for candidate in dict.fromkeys((s, " ".join(s.split(" ")[:3]))):
            for fmt in _MONTH_NAME_FORMATS:
                try:
                    return datetime.strptime(candidate, fmt).date()
                except ValueError:
                    continue
    except ValueError as exc:  # date(2024, 2, 30)
        raise ValueError(f"not a valid date: {text!r} ({exc})") from None
    raise ValueError(f"not a date: {text!r}")


def parse_date_column(col: pa.Array, order: DateOrder = DateOrder.AUTO) -> Parsed:
    """Date texts -> date32; the day/month order is inferred per column unless pinned."""
    note = {DateOrder.DMY: "day/month/year", DateOrder.MDY: "month/day/year"}.get(order, "")
    days = _typed_days(col)
    if days is not None:
        return Parsed(days, _no_errors(days), _ISO_NOTE if order == DateOrder.AUTO else note)
    texts = clean_text(col)
    if order == DateOrder.AUTO:
        distinct = pc.unique(pc.drop_null(texts)).slice(0, 100_000).to_pylist()
        order, note = infer_date_order(distinct[:100_000])
    iso = _plain_iso_dates(texts)
    if iso is not None:
        return Parsed(iso, _no_errors(iso), note)
    return _map_distinct(texts, lambda t: parse_date(t, order), pa.date32(), note)


_FIRST_DAY = pa.scalar(date(1, 1, 1), pa.date32())
_LAST_DAY = pa.scalar(date(9999, 12, 31), pa.date32())


def _typed_days(col: pa.Array) -> pa.Array | None:
    """A date or timestamp column as its days: the date of each wall-clock time in the
    column's own zone, as its ISO text ("2024-03-31 22:00:00-0400") reads. None for other
    types, an unknown zone, or when a day lies outside years 1-9999 (its text is no date
    ALMS reads): the caller reads the text."""
    if pa.types.is_timestamp(col.type):
        try:
            local = pc.local_timestamp(col) if col.type.tz else col
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # a zone Arrow cannot find
            return None
        days = local.cast(pa.date32())
    elif pa.types.is_date32(col.type):
        days = col
    else:
        return None
    extremes = pc.min_max(days)
    lo, hi = extremes["min"], extremes["max"]
    if lo.is_valid and (pc.less(lo, _FIRST_DAY).as_py() or pc.greater(hi, _LAST_DAY).as_py()):
        return None
    return days


def _plain_iso_dates(texts: pa.Array) -> pa.Array | None:
    """When every text is a plain ISO date (YYYY-MM-DD, a real day of years 1-9999):
    the dates, read by Arrow in one pass (the same dates `parse_date` gives: Arrow's
    cast takes nothing else, and year 0, which it does take, is refused here); else
    None, and each distinct text goes through `parse_date`. A Parquet date column
    arrives as such texts: 10M of them took ~1.5 s one distinct text at a time."""
    try:
        dates = texts.cast(pa.date32())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    dates = one_array(dates)
    earliest = pc.min(dates)
    if earliest.is_valid and pc.less(earliest, _FIRST_DAY).as_py():
        return None
    return dates
