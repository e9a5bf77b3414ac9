"""Raw text tables -> validated, typed tables, with every rejected row accounted for.

The rule: each input row is accepted or rejected, never both and never neither, so
`accepted + rejected == rows` for every file. A rejected row is listed with its row number
(as a spreadsheet shows it: the header is row 1), the column, the value and the reason.
Problems that do not reject (an account with no owner) are warnings with counts.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from alms.reading import parsing
from alms.reading.cells import as_text, one_array
from alms.reading.memory import return_freed_memory
from alms.reading.parsing import DateOrder, DecimalMark
from alms.reading.readers import RawTable
from alms.reading.schema import FIELDS, Kind, Table

UNASSIGNED = "Unassigned"
REJECT_SCHEMA = pa.schema(
    [
        ("file", pa.string()),
        ("row", pa.int64()),
        ("column", pa.string()),
        ("value", pa.string()),
        ("reason", pa.string()),
    ]
)


@dataclass(frozen=True)
class LoadOptions:
    """Choices the user makes once per load (not per slider move)."""

    date_order: DateOrder = DateOrder.AUTO
    decimal_mark: DecimalMark = DecimalMark.AUTO
    as_of: date | None = None  # order lines: default = the latest order date


@dataclass(frozen=True)
class NumberColumn:
    """An accounts-file column kept as numbers for the scorecard.

    `internal` is its safe name in the Book (n0, n1, ...); `unparsed` counts the non-blank
    cells that are not numbers (missing for the scorecard, never a rejected row). The
    column is numeric in DOMAIN.md's sense when `unparsed` is 0.
    """

    header: str
    internal: str
    unparsed: int


MAX_NUMBER_COLUMNS = 200
"""Most unmapped numeric columns kept per accounts file (a 5,000-column file stays cheap)."""
_NUMBER_PROBE = 200
"""Distinct values tried first: a column none of whose first 200 values is a number
(names, e-mails, notes) is not parsed further."""


@dataclass
class FileReport:
    """What happened to one input file."""

    table: Table
    name: str
    rows: int
    accepted: int
    rejected: int
    mapping: dict[str, str]
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    numbers: list[NumberColumn] = field(default_factory=list)
    """Accounts files: the unmapped columns that hold numbers (scorecard attributes)."""

    def as_counts(self) -> dict[str, int]:
        return {"rows": self.rows, "accepted": self.accepted, "rejected": self.rejected}


@dataclass
class Checked:
    """One file after validation: the accepted rows (typed) and the problems."""

    table: pa.Table
    rejects: pa.Table
    report: FileReport


class _Problems:
    """Collects (row index, column, value, reason) for one file."""

    def __init__(self, raw: RawTable, table: Table, mapping: dict[str, str]) -> None:
        self.raw, self.table, self.mapping = raw, table, mapping
        self.n = raw.table.num_rows
        self.bad = np.zeros(self.n, dtype=bool)
        self.parts: list[pa.Table] = []

    def add(self, mask: np.ndarray, column: str, values: pa.Array | None, reason: object) -> None:
        """Reject the rows in `mask`; `reason` is one text or a per-row text array."""
        idx = np.flatnonzero(mask)
        if idx.size == 0:
            return
        self.bad[idx] = True
        take = pa.array(idx, type=pa.int64())
        rows = self.raw.row_numbers.take(take)
        vals = values.take(take) if values is not None else pa.nulls(idx.size, pa.string())
        reasons = (
            reason.take(take)
            if isinstance(reason, pa.Array)
            else pa.array([str(reason)] * idx.size, type=pa.string())
        )
        files = (
            self.raw.sources.take(take)
            if self.raw.sources is not None
            else pa.array([self.raw.name] * idx.size, type=pa.string())
        )
        self.parts.append(
            pa.table(
                [
                    files,
                    rows,
                    pa.array([column] * idx.size, type=pa.string()),
                    as_text(vals),
                    reasons,
                ],
                schema=REJECT_SCHEMA,
            )
        )

    def rejects(self) -> pa.Table:
        bad_rows = [
            pa.table(
                [
                    pa.array([self.raw.name] * len(self.raw.bad_rows), type=pa.string()),
                    pa.array([b.row for b in self.raw.bad_rows], type=pa.int64()),
                    pa.array([""] * len(self.raw.bad_rows), type=pa.string()),
                    pa.array([b.text for b in self.raw.bad_rows], type=pa.string()),
                    pa.array([b.reason for b in self.raw.bad_rows], type=pa.string()),
                ],
                schema=REJECT_SCHEMA,
            )
        ]
        out = pa.concat_tables([*bad_rows, *self.parts]) if self.parts or bad_rows else None
        return (
            out.sort_by([("row", "ascending")]) if out is not None else REJECT_SCHEMA.empty_table()
        )


def many(n: int, one: str, other: str) -> str:
    """'1 account has' / '3 accounts have': a count with the right grammatical number."""
    return f"{n:,} {one if n == 1 else other}"


def _mask(arr: pa.Array) -> np.ndarray:
    """Boolean pyarrow array -> numpy mask, null = False."""
    return np.asarray(pc.fill_null(arr, False).to_numpy(zero_copy_only=False), dtype=bool)


def _parse_fields(
    raw: RawTable,
    table: Table,
    mapping: dict[str, str],
    options: LoadOptions,
    problems: _Problems,
    consume: bool = False,
) -> tuple[dict[str, pa.Array], list[str]]:
    """Parse each mapped column by its kind; unparseable and missing values are rejected.

    `consume`: each text column leaves `raw.table` once its last field is parsed (the
    caller's RawTable keeps its rows and row numbers, not the text): 10M activities
    held ~0.5 GB of text beside their parsed columns for nothing."""
    columns: dict[str, pa.Array] = {}
    notes: list[str] = []
    uses = Counter(mapping[f.name] for f in FIELDS[table] if f.name in mapping)
    for f in FIELDS[table]:
        header = mapping.get(f.name)
        if header is None:
            continue
        text = (
            one_array(raw.table.column(header)) if raw.table.num_rows else pa.array([], pa.string())
        )
        if f.kind == Kind.ID:
            parsed = parsing.clean_ids(text)
        elif f.kind == Kind.TEXT:
            values = parsing.clean_text(text)
            parsed = parsing.Parsed(values, pa.nulls(len(values), pa.string()))
        elif f.kind == Kind.MONEY:
            parsed = parsing.parse_money_column(text, options.decimal_mark)
        elif f.kind == Kind.NUMBER:
            parsed = parsing.parse_number_column(text, options.decimal_mark)
        elif f.kind == Kind.DATE:
            parsed = parsing.parse_date_column(text, options.date_order)
        elif f.kind == Kind.MINUTES:
            parsed = parsing.parse_minutes_column(text)
        else:
            parsed = parsing.parse_flag_column(text)
        if parsed.note and f.kind in (Kind.DATE, Kind.MONEY, Kind.ID):
            notes.append(f"{header}: {parsed.note}")
        bad = _mask(pc.is_valid(parsed.errors))
        if table == Table.ACCOUNTS and f.kind == Kind.NUMBER and not f.required:
            # A rating or margin that is not a number leaves the cell blank (missing for
            # the scorecard), never rejects the account: the account's revenue is good.
            if bad.any():
                notes.append(
                    f"{header}: {many(int(bad.sum()), 'cell is', 'cells are')} not a number"
                    f" (left blank), e.g. row {raw.row_numbers[int(np.flatnonzero(bad)[0])]}"
                    f" {as_text(text.slice(int(np.flatnonzero(bad)[0]), 1))[0].as_py()!r}"
                )
        else:
            problems.add(bad, header, text, parsed.errors)
        if f.required:
            problems.add(
                _mask(pc.is_null(parsed.values)) & ~_mask(pc.is_valid(parsed.errors)),
                header,
                text,
                f"missing {f.label.lower()}",
            )
        columns[f.name] = parsed.values
        uses[header] -= 1
        if consume and not uses[header]:
            raw.table = raw.table.drop_columns([header])
            del text
            return_freed_memory()  # the text and the parse's temporaries, before the next
    return columns, notes


def _reject_negative(
    columns: dict[str, pa.Array], name: str, raw: RawTable, mapping: dict[str, str], p: _Problems
) -> None:
    if name in columns:
        neg = _mask(pc.less(columns[name], pa.scalar(0, columns[name].type)))
        header = mapping[name]
        p.add(
            neg,
            header,
            one_array(raw.table.column(header)),
            f"negative {name.replace('_', ' ')}",
        )


def _duplicates(ids: pa.Array, keep: np.ndarray, rows: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """Among kept rows, every repeat of an id after its first; the reason names the first
    row. The ids as codes by Arrow's hash (pandas' `duplicated` on 1M Python strings took
    ~0.85 s, this ~0.3 s), each code's first row by a minimum over its rows."""
    n = len(ids)
    idx = np.flatnonzero(keep & _mask(pc.is_valid(ids)))
    codes = np.asarray(pc.dictionary_encode(ids.take(pa.array(idx, pa.int64()))).indices)
    order = np.arange(len(codes))
    first = np.full(int(codes.max(initial=-1)) + 1, len(codes))
    np.minimum.at(first, codes, order)
    first_of_row = first[codes]
    repeat = first_of_row != order
    dup = np.zeros(n, dtype=bool)
    reasons = np.full(n, None, dtype=object)
    if repeat.any():
        first_rows = rows.to_numpy()[idx[first_of_row[repeat]]]
        dup[idx[repeat]] = True
        reasons[idx[repeat]] = [f"duplicate account id (first at row {r})" for r in first_rows]
    return dup, pa.array(reasons, pa.string())


def _words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[0-9a-z]+", text.lower()))


def _has_phrase(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    """The phrase's words appear consecutively among `words` (whole words only)."""
    k = len(phrase)
    return any(words[i : i + k] == phrase for i in range(len(words) - k + 1))


def category_of(text: str, rules: Iterable[tuple[str, tuple[str, ...]]], default: str) -> str:
    """The first rule one of whose synonyms appears in `text` as whole words ("Hotel stay"
    holds no "tel", "Inactive" no "active"); `default` when none does."""
    words = _words(text)
    for category, synonyms in rules:
        if any(_has_phrase(words, _words(s)) for s in synonyms):
            return category
    return default


def _categorised(
    values: pa.Array | pa.ChunkedArray, rules: Iterable[tuple[str, tuple[str, ...]]], default: str
) -> tuple[pa.DictionaryArray, list[str]]:
    """`values` as codes into their distinct texts, and each distinct text's category
    by whole-word synonyms (`category_of`): the rule runs once per distinct text."""
    encoded = _as_codes(values)
    return encoded, [category_of(t, rules, default) for t in encoded.dictionary.to_pylist()]


def _normalise(
    values: pa.Array, rules: Iterable[tuple[str, tuple[str, ...]]], default: str
) -> pa.Array:
    """Free text mapped to its category (`_categorised`); a null stays null."""
    encoded, out = _categorised(values, rules, default)
    return pa.array(out, pa.string()).take(encoded.indices)


STATUS_RULES = (
    (
        "lead",
        (
            "lead", "new lead", "subscriber", "mql", "sql", "marketing qualified lead",
            "sales qualified lead", "marketingqualifiedlead", "salesqualifiedlead",
        ),
    ),
    ("customer", ("customer", "client", "evangelist", "active", "won")),
)  # fmt: skip
"""Status words, matched as whole words. Status only splits non-customers (DOMAIN.md):
lead, else prospect ("Inactive", "Churned", blank); customer words are kept as read."""
LIST_RULES = (
    ("lead", ("lead", "leads")),
    ("extra", ("extra", "reserve", "waiting", "secondary", "b list", "b")),
    ("target", ("target", "targets", "primary", "a list", "a")),
)
TYPE_RULES = (
    ("visit", ("visit", "site visit", "on site", "onsite", "field visit", "in person")),
    (
        "meeting",
        (
            "meeting", "meet", "event", "demo", "lunch", "video", "presentation", "workshop",
            "webinar", "conference", "teams", "zoom",
        ),
    ),
    ("call", ("call", "calls", "phone", "phone call", "telephone", "tel", "voicemail", "cold call")),
    ("email", ("email", "emails", "e mail", "mail", "message", "linkedin", "inmail", "sms")),
)  # fmt: skip
"""Activity types: the first category with a synonym among the type's whole words (so
"Video call" is a meeting); anything else is `other`, and is counted in the warnings."""


def _finish(
    raw: RawTable,
    table: Table,
    mapping: dict[str, str],
    columns: dict[str, pa.Array],
    p: _Problems,
    notes: list[str],
    warnings: list[str],
) -> Checked:
    keep = ~p.bad
    if keep.all():  # nothing rejected: no copies
        data = {**columns, "src_row": raw.row_numbers}
    else:
        take = pa.array(np.flatnonzero(keep), type=pa.int64())
        data = {k: v.take(take) for k, v in columns.items()}
        data["src_row"] = raw.row_numbers.take(take)
    accepted = int(keep.sum())
    rejects = p.rejects()
    report = FileReport(
        table,
        raw.name,
        raw.total_rows,
        accepted,
        raw.total_rows - accepted,
        dict(mapping),
        [*raw.notes, *notes],
        warnings,
    )
    return Checked(pa.table(data), rejects, report)


def check_accounts(raw: RawTable, mapping: dict[str, str], options: LoadOptions) -> Checked:
    """Validate an accounts file.

    Rejects: missing id (or name where there is no id column), unparseable values,
    negative revenue / prior revenue / potential, a repeated id (the first row stays).
    Warns: blank owner (assigned "Unassigned").
    """
    mapping = dict(mapping)
    if "account_id" not in mapping:
        if "account_name" not in mapping:
            raise ValueError(f"{raw.name}: map an account id or an account name column.")
        mapping["account_id"] = mapping["account_name"]
    p = _Problems(raw, Table.ACCOUNTS, mapping)
    columns, notes = _parse_fields(raw, Table.ACCOUNTS, mapping, options, p)
    for money in ("revenue", "prior_revenue", "potential"):
        _reject_negative(columns, money, raw, mapping, p)
    dup, reasons = _duplicates(columns["account_id"], ~p.bad, raw.row_numbers)
    p.add(dup, mapping["account_id"], columns["account_id"], reasons)
    warnings = _fill_owner(columns, "owner", ~p.bad)
    if "status" in columns:
        columns["status_raw"] = columns["status"]
        columns["status"] = _normalise(columns["status"], STATUS_RULES, "prospect")
    if "prospect_list" in columns:
        columns["prospect_list"] = _normalise(columns["prospect_list"], LIST_RULES, "target")
    if "account_name" not in columns:
        columns["account_name"] = columns["account_id"]
    else:
        columns["account_name"] = pc.coalesce(columns["account_name"], columns["account_id"])
    numbers = _number_columns(raw, mapping, options, columns)
    checked = _finish(raw, Table.ACCOUNTS, mapping, columns, p, notes, warnings)
    checked.report.numbers = numbers
    return checked


def _number_columns(
    raw: RawTable, mapping: dict[str, str], options: LoadOptions, columns: dict[str, pa.Array]
) -> list[NumberColumn]:
    """Every unmapped column with numbers in it, parsed like the number fields, added to
    `columns` as n0, n1, ...: any numeric column may be a scorecard attribute."""
    mapped = set(mapping.values())
    found: list[NumberColumn] = []
    for header in raw.headers:
        if header in mapped or len(found) >= MAX_NUMBER_COLUMNS or not raw.table.num_rows:
            continue
        text = one_array(raw.table.column(header))
        # A typed number column (Parquet) is numbers: only text is probed first.
        if not (pa.types.is_integer(text.type) or pa.types.is_floating(text.type)):
            probe = pc.unique(pc.drop_null(parsing.clean_text(text))).slice(0, _NUMBER_PROBE)
            tried = parsing.parse_number_column(probe, options.decimal_mark)
            if not pc.any(pc.is_valid(tried.values)).as_py():
                continue
        parsed = parsing.parse_number_column(text, options.decimal_mark)
        if not pc.any(pc.is_valid(parsed.values)).as_py():
            continue
        internal = f"n{len(found)}"
        columns[internal] = parsed.values
        found.append(
            NumberColumn(header, internal, int(pc.sum(pc.is_valid(parsed.errors)).as_py() or 0))
        )
    return found


def _fill_owner(columns: dict[str, pa.Array], name: str, keep: np.ndarray) -> list[str]:
    if name not in columns:
        n = len(next(iter(columns.values()))) if columns else 0
        columns[name] = pa.array([UNASSIGNED] * n, pa.string())
        return [f'no owner column: every account is "{UNASSIGNED}"'] if n else []
    blank = _mask(pc.is_null(columns[name])) & keep
    columns[name] = pc.fill_null(columns[name], UNASSIGNED)
    count = int(blank.sum())
    text = many(count, "account has no owner", "accounts have no owner")
    return [f'{text}: assigned "{UNASSIGNED}"'] if count else []


def check_activities(
    raw: RawTable, mapping: dict[str, str], options: LoadOptions, owners: pa.Table
) -> Checked:
    """Validate an activities file against the accepted accounts (`owners`: columns
    account_id, unique, and owner). Each accepted row's `account_key` is its account's
    row in `owners`.

    Rejects: missing account id or date, unknown account, unparseable date, negative or
    unparseable duration. A blank seller is the account's owner; a blank duration stays
    blank and takes its type's default minutes in the analysis (a setting). `raw` is
    consumed: its text columns go as they are parsed.
    """
    p = _Problems(raw, Table.ACTIVITIES, mapping)
    if "account_id" not in mapping or "date" not in mapping:
        missing = [f for f in ("account_id", "date") if f not in mapping]
        raise ValueError(f"{raw.name}: map the {' and '.join(missing)} column(s).")
    # Unmapped columns go at once (an activity id column of 10M rows is ~130 MB of text),
    # the mapped ones as they are parsed.
    raw.table = raw.table.select(list(dict.fromkeys(mapping.values())))
    columns, notes = _parse_fields(raw, Table.ACTIVITIES, mapping, options, p, consume=True)
    ids = columns["account_id"]
    known = one_array(owners.column("account_id")).cast(pa.string())
    where = _positions_in(ids, known)  # one lookup for every use
    columns["account_key"] = where  # prepare takes positions from it, not a join on ids
    unknown = _mask(pc.is_null(where)) & _mask(pc.is_valid(ids))
    p.add(unknown, mapping["account_id"], ids, "unknown account (not in the accounts)")
    # Every kept id is one of the accounts': as codes into their ids, not 10M texts
    # (~100 MB less at 10M rows; DuckDB and Parquet read a dictionary as text).
    codes = one_array(where)
    columns["account_id"] = pa.DictionaryArray.from_arrays(codes, known)
    del ids
    return_freed_memory()  # the ids' texts and the lookup's hash table
    warnings: list[str] = []
    owner = one_array(owners.column("owner")).cast(pa.string())
    if "seller" in columns:
        seller = columns["seller"]
        missing = pc.is_null(seller)
        blank = _mask(missing) & ~p.bad
        columns["seller"] = _owner_where_blank(_as_codes(seller), missing, owner, where)
        del seller, missing
        return_freed_memory()  # the sellers' texts
        if blank.any():
            warnings.append(
                many(int(blank.sum()), "activity has", "activities have")
                + " no seller: the account owner is used"
            )
    else:  # each activity's seller is its account's owner: codes into the owners
        columns["seller"] = pa.DictionaryArray.from_arrays(codes, owner)
    raw_type = columns.pop("type", pa.nulls(raw.table.num_rows, pa.string()))
    columns["type_raw"], columns["type"], other = _activity_types(raw_type)
    if other:
        top = sorted(other.items(), key=lambda kv: (-kv[1], kv[0]))
        listed = ", ".join(f"{t!r} x {c:,}" for t, c in top[:5]) + (" ..." if len(top) > 5 else "")
        warnings.append(
            many(sum(other.values()), "activity has", "activities have")
            + f" a type that is no call, email, meeting or visit ({listed}): counted as"
            " other (its default minutes apply where the duration is blank)"
        )
    if "duration_minutes" not in columns:
        columns["duration_minutes"] = pa.nulls(raw.table.num_rows, pa.float64())
        notes.append("no duration column: every activity takes its type's default minutes")
    else:
        blank = int((_mask(pc.is_null(columns["duration_minutes"])) & ~p.bad).sum())
        if blank:
            warnings.append(
                many(blank, "activity has", "activities have")
                + " no duration: its type's default minutes apply"
            )
    return _finish(raw, Table.ACTIVITIES, mapping, columns, p, notes, warnings)


_IDS_PER_THREAD = 2_000_000
"""Ids worth a thread of their own in `_positions_in` (each builds its own hash table)."""


def _positions_in(ids: pa.Array, known: pa.Array) -> pa.Array:
    """Each id's row in `known` (null where absent): `pc.index_in`, on as many threads
    as Arrow uses, each with its own hash table of `known` (~0.3 s at 1M ids) and its
    share of `ids`. 10M ids into 1M: 2.6 s on one thread, 1.6 s on two."""
    ids = one_array(ids)
    parts = min(pa.cpu_count(), len(ids) // _IDS_PER_THREAD)
    if parts <= 1:
        return pc.index_in(ids, value_set=known)
    size = -(-len(ids) // parts)
    with ThreadPoolExecutor(parts) as pool:
        found = pool.map(
            lambda start: pc.index_in(ids.slice(start, size), value_set=known),
            range(0, len(ids), size),
        )
        return pa.concat_arrays(list(found))


def _owner_where_blank(
    sellers: pa.DictionaryArray, missing: pa.Array, owner: pa.Array, where: pa.Array
) -> pa.DictionaryArray:
    """The sellers (as codes) with each blank one the owner of its account (row `where`
    in `owner`), as codes too: only the blank rows' owners are taken, and no text
    column of every row is made (taking all 10M owners to coalesce cost ~170 MB of
    text and ~2 s; filling the texts before coding them, ~170 MB more at the load's
    peak). A name may then be in the dictionary twice; readers take the values."""
    if not sellers.null_count:
        return sellers
    fill = _as_codes(owner.take(pc.filter(where, missing)))
    offset = pa.scalar(len(sellers.dictionary), pa.int32())
    indices = pc.replace_with_mask(sellers.indices, missing, pc.add(fill.indices, offset))
    return pa.DictionaryArray.from_arrays(
        indices, pa.concat_arrays([sellers.dictionary, fill.dictionary])
    )


def _as_codes(texts: pa.Array | pa.ChunkedArray) -> pa.DictionaryArray:
    """Texts as codes into their distinct values: a few sellers or types over 10M rows
    are ~4 bytes a row, not ~15 (DuckDB and Parquet read a dictionary as text)."""
    encoded = pc.dictionary_encode(texts)
    return one_array(encoded)


def _activity_types(
    raw: pa.Array | pa.ChunkedArray,
) -> tuple[pa.DictionaryArray, pa.DictionaryArray, dict[str, int]]:
    """(the type texts as read, their categories: `_categorised` with TYPE_RULES, a
    blank type "other"; both as codes), and the texts that fell to "other" with their
    counts."""
    encoded, out = _categorised(raw, TYPE_RULES, "other")
    texts = encoded.dictionary.to_pylist()
    indices = np.asarray(pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False))
    counts = np.bincount(indices + 1, minlength=len(texts) + 1)[1:]
    fallen = {t: int(c) for t, o, c in zip(texts, out, counts, strict=True) if o == "other" and c}
    blank_is_other = pc.fill_null(encoded.indices, len(texts))
    types = pa.DictionaryArray.from_arrays(blank_is_other, pa.array([*out, "other"], pa.string()))
    return encoded, types, fallen


def check_orders(
    raw: RawTable, mapping: dict[str, str], options: LoadOptions, known_ids: set[str] | None
) -> Checked:
    """Validate order lines. Amount = the amount column, else quantity x unit price.

    Rejects: missing account id, date or amount, unparseable values, and (when an
    accounts file is given) an account not in it. Negative amounts are credit notes.
    """
    mapping = dict(mapping)
    if "account_id" not in mapping and "account_name" in mapping:
        mapping["account_id"] = mapping["account_name"]
    need = ["account_id", "date"]
    if "amount" not in mapping and not {"quantity", "unit_price"} <= set(mapping):
        need.append("amount")
    missing = [f for f in need if f not in mapping]
    if missing:
        raise ValueError(
            f"{raw.name}: map the {', '.join(missing)} column(s) (or quantity and unit price)."
        )
    p = _Problems(raw, Table.ORDERS, mapping)
    columns, notes = _parse_fields(raw, Table.ORDERS, mapping, options, p)
    if "amount" not in mapping:
        for name in ("quantity", "unit_price"):
            blank = _mask(pc.is_null(columns[name])) & ~p.bad
            p.add(blank, mapping[name], columns[name], f"missing {name.replace('_', ' ')}")
        columns["amount"] = _times(columns["quantity"], columns["unit_price"])
        notes.append(f"amount = {mapping['quantity']} x {mapping['unit_price']}")
    if known_ids is not None:
        ids = columns["account_id"]
        unknown = _mask(
            pc.invert(pc.is_in(ids, value_set=pa.array(sorted(known_ids), pa.string())))
        )
        unknown &= _mask(pc.is_valid(ids))
        p.add(unknown, mapping["account_id"], ids, "unknown account (not in the accounts)")
    return _finish(raw, Table.ORDERS, mapping, columns, p, notes, [])


def _times(qty: pa.Array, price: pa.Array) -> pa.Array:
    """quantity x unit price, exact to 1/10,000 (a fractional quantity is rounded there)."""
    from decimal import ROUND_HALF_EVEN, Decimal

    q = [None if v is None else Decimal(repr(v)) for v in qty.to_pylist()]
    out = [
        None
        if a is None or b is None
        else (a * b).quantize(Decimal("0.0001"), rounding=ROUND_HALF_EVEN)
        for a, b in zip(q, price.to_pylist(), strict=True)
    ]
    return pa.array(out, type=parsing.MONEY_TYPE)
