"""The session file: a workshop's book and scenarios in one download, to continue later.

A zip of `session.json` (what it is: format, version, source, as-of date, the original
load's counts), `accounts.parquet` and `activities.parquet` (the accepted rows as the
book holds them, under their field names; the accounts file's other numeric columns
under their own headers), `scenarios.json` (alms.scenarios) and, when the session has
a baseline (the follow-through page), the same two Parquet files under `baseline/`. Reading it loads the
Parquet files through the same checks as any upload, with the same as-of date, so every
figure comes out as it was. Rows the original load rejected are not in it; the reading
says how many there were.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date

import pyarrow as pa
import pyarrow.parquet as pq

from alms import scenarios
from alms.reading.book import Book, LoadError, Upload, load
from alms.reading.ingest import LoadOptions
from alms.reading.schema import Table
from alms.scenarios import Named, Reading

FORMAT = "alms-session"
VERSION = 1
BASELINE_PREFIX = "baseline/"
MEMBERS = (
    "session.json",
    "accounts.parquet",
    "activities.parquet",
    "scenarios.json",
    f"{BASELINE_PREFIX}accounts.parquet",
    f"{BASELINE_PREFIX}activities.parquet",
)
MAX_MEMBER_BYTES = 1_000_000_000
"""Largest member read (uncompressed): a zip bomb is refused before it is inflated."""

_ACCOUNT_FIELDS = (
    "account_id", "account_name", "owner", "region", "industry", "revenue", "prior_revenue",
    "potential", "prospect_list", "never_prospect", "margin", "share_of_wallet",
    "exec_access", "dm_access", "product_fit", "strategic_fit",
)  # fmt: skip
"""Fields written as they are stored; `status` is written as the file had it."""
_ACTIVITY_FIELDS = ("account_id", "seller", "date", "type", "duration_minutes")


@dataclass
class Session:
    """A session file's content, read back."""

    book: Book
    scenarios: Reading
    rejected: int
    """Rows the original load rejected (not in the file)."""
    baseline: Book | None = None
    """The follow-through page's baseline, when the session had one."""
    baseline_how: str = "export"


def _parquet(table: pa.Table) -> bytes:
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd")
    return buf.getvalue()


def _headers(book: Book, table: Table, fields: tuple[str, ...]) -> dict[str, str]:
    """Field -> header to write: the original file's header of each field it mapped (a
    scorecard names headers, so they must come back), else the field's own name for a
    book built from order lines (no accounts file)."""
    report = book.reports.get(table)
    mapping = dict(report.mapping) if report else {}
    if not mapping:
        return {f: f for f in fields}
    return {f: mapping[f] for f in fields if f in mapping}


def _accounts(book: Book) -> tuple[pa.Table, dict[str, str]]:
    headers = _headers(book, Table.ACCOUNTS, (*_ACCOUNT_FIELDS, "status"))
    if Table.ACCOUNTS not in book.reports:  # order lines only: the derived accounts
        headers = {
            f: f for f in ("account_id", "account_name", "owner", "revenue", "prior_revenue")
        }
    headers.setdefault("account_id", "account_id")
    numbers = book.number_columns
    stored = {"status": "a.status_raw"}
    columns = [stored.get(f, f"a.{f}") for f in headers]
    columns += [f'n."{c.internal}"' for c in numbers]  # internal names: n0, n1, ...
    join = " LEFT JOIN account_numbers n USING (account_id)" if numbers else ""
    table = book.query(f"SELECT {', '.join(columns)} FROM accounts a{join} ORDER BY a.src_row")
    # Headers are user text: they name the Arrow columns, never go into SQL.
    return table.rename_columns([*headers.values(), *(c.header for c in numbers)]), headers


def _write_book(z: zipfile.ZipFile, book: Book, prefix: str = "") -> dict:
    """`book`'s accounts and activities into the zip under `prefix`; its manifest part."""
    rejected = int(book.scalar("SELECT count(DISTINCT (file, row)) FROM rejects") or 0)
    part = {
        "source": book.source,
        "as_of": book.as_of.isoformat() if book.as_of else None,
        "inputs": book.counts(),
        "rejected_rows": rejected,
        "warnings": book.warnings,
    }
    accounts, account_headers = _accounts(book)
    z.writestr(f"{prefix}accounts.parquet", _parquet(accounts))
    part["mapping"] = {"accounts": account_headers}
    if Table.ACTIVITIES in book.reports:
        # Only the book's own accounts' activities: a book at an earlier as-of date keeps
        # rows on accounts it does not hold yet, which are not its activities (and would
        # come back as rejected rows).
        activities = book.query(
            "SELECT account_id, seller, date, COALESCE(type_raw, type) AS type,"
            " duration_minutes FROM activities"
            " WHERE account_id IN (SELECT account_id FROM accounts) ORDER BY src_row"
        )
        z.writestr(f"{prefix}activities.parquet", _parquet(activities))
    return part


def dump(
    book: Book,
    named: list[Named],
    current: str | None,
    baseline: Book | None = None,
    baseline_how: str = "export",
) -> bytes:
    """The session file of `book` with its scenarios (`current`: the one in use; at
    least one scenario: the settings on screen when nothing was saved), and its
    baseline (the follow-through page's earlier snapshot) when it has one."""
    if not named:
        raise ValueError("a session file holds at least one scenario")
    if book.aggregated or (baseline is not None and baseline.aggregated):
        raise ValueError(
            "a book read from a database holds sums, not its rows: it is not saved in a "
            "session file (save the scenarios, and connect again)"
        )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        manifest = {"format": FORMAT, "version": VERSION, **_write_book(z, book)}
        if baseline is not None:
            manifest["baseline"] = {
                **_write_book(z, baseline, BASELINE_PREFIX),
                "how": baseline_how,
            }
        z.writestr("session.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        z.writestr("scenarios.json", scenarios.dump(named, current))
    return buf.getvalue()


def is_session_file(data: bytes) -> bool:
    """A zip that holds a session.json (cheap: reads the zip's directory only)."""
    if data[:4] != b"PK\x03\x04":
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "session.json" in z.namelist()
    except zipfile.BadZipFile:
        return False


def read(data: bytes, name: str = "session file") -> Session:
    """The book and scenarios of a session file. LoadError (one sentence naming the
    file) when it is not one, is damaged, or is from a newer ALMS."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            members = {
                i.filename: i for i in z.infolist() if i.filename in MEMBERS and not i.is_dir()
            }
            for info in members.values():
                if info.file_size > MAX_MEMBER_BYTES:
                    raise LoadError(f"{name}: {info.filename} is too large to open.")
            if "session.json" not in members or "accounts.parquet" not in members:
                raise LoadError(f"{name}: not an ALMS session file (no session.json).")
            manifest = json.loads(z.read("session.json"))
            parts = {m: z.read(m) for m in members}
    except (zipfile.BadZipFile, json.JSONDecodeError, UnicodeDecodeError, OSError) as exc:
        raise LoadError(f"{name}: the session file is damaged ({exc}).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise LoadError(f"{name}: not an ALMS session file.")
    version = manifest.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise LoadError(f"{name}: a session file of a newer ALMS (version {version!r}).")
    book = _read_book(manifest, parts, "", name)
    baseline, how = None, "export"
    part = manifest.get("baseline")
    if isinstance(part, dict) and f"{BASELINE_PREFIX}accounts.parquet" in parts:
        try:
            baseline = _read_book(part, parts, BASELINE_PREFIX, name)
        except LoadError:
            book.close()
            raise
        how = "as_of" if part.get("how") == "as_of" else "export"
    source = str(manifest.get("source") or name)
    reading = (
        scenarios.read(parts["scenarios.json"], name=source)
        if "scenarios.json" in parts
        else Reading([])
    )
    return Session(book, reading, int(manifest.get("rejected_rows") or 0), baseline, how)


def _read_book(part: dict, parts: dict[str, bytes], prefix: str, name: str) -> Book:
    """The book a manifest part describes, from its Parquet members."""
    as_of = part.get("as_of")
    try:
        options = LoadOptions(as_of=_date(as_of) if as_of else None)
    except (TypeError, ValueError):
        raise LoadError(f"{name}: the session file's as-of date is damaged.") from None
    mapping = (part.get("mapping") or {}).get("accounts")
    if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
        raise LoadError(f"{name}: the session file's column mapping is damaged.")
    accounts = Upload("accounts.parquet", parts[f"{prefix}accounts.parquet"], mapping)
    activities = (
        Upload(
            "activities.parquet",
            parts[f"{prefix}activities.parquet"],
            {f: f for f in _ACTIVITY_FIELDS},
        )
        if f"{prefix}activities.parquet" in parts
        else None
    )
    source = str(part.get("source") or name)
    book = load(accounts, activities, options=options, source=f"{source} (from {name})")
    earlier = part.get("warnings") or []
    book.warnings[:0] = [f"at the original load: {w}" for w in earlier if isinstance(w, str)]
    return book


def _date(text: str) -> date:
    return date.fromisoformat(text)
