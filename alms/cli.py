"""`alms summary`: the headline figures of a book as JSON, for scripts and checks.

Exit codes: 0 done; 2 a file could not be read or used (the message names it).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

from alms import scenarios
from alms.reading.book import Book, LoadError, Upload, load, rebase
from alms.reading.ingest import LoadOptions
from alms.reading.parsing import DateOrder, DecimalMark
from alms.reading.schema import FIELDS, Table
from alms.settings import TREND_MONTHS, Settings
from alms.summary import summarise


def _mapping(pairs: list[str], table: Table) -> dict[str, str]:
    names = {f.name for f in FIELDS[table]}
    out = {}
    for pair in pairs:
        name, sep, header = pair.partition("=")
        prefix, dot, rest = name.partition(".")
        if dot:  # accounts.revenue=Header targets one file
            if prefix != table.value:
                continue
            name = rest
        if not sep:
            raise LoadError(f"--map takes field=Header, got {pair!r}.")
        if name in names:
            out[name] = header
    return out


def _upload(path: str | None, table: Table, pairs: list[str]) -> Upload | None:
    if path is None:
        return None
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise LoadError(f"{path}: cannot be read ({exc.strerror}).") from None
    overrides = _mapping(pairs, table)
    if not overrides:
        return Upload(Path(path).name, data)
    from alms.reading.readers import UnreadableFile, read_file
    from alms.reading.schema import propose_mapping

    try:
        headers = read_file(Path(path).name, data).headers
    except UnreadableFile as exc:
        raise LoadError(str(exc)) from None
    return Upload(Path(path).name, data, propose_mapping(table, headers) | overrides)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="alms", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("summary", help="print the headline figures of a book as JSON")
    s.add_argument("--accounts", help="accounts file (CSV, XLSX or Parquet)")
    s.add_argument("--activities", help="activities file")
    s.add_argument("--orders", help="order lines file (revenue derived from them)")
    s.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="field=Header",
        help="map a field to a column; prefix with accounts./activities./orders. to target one file",
    )
    e = s.add_argument_group(
        "a book in a database or Spark (README, 'When the book outgrows one machine')"
    )
    e.add_argument(
        "--connect",
        metavar="URL",
        help="duckdb:///file, postgresql://user:password@host:port/db, spark://local[N] or"
        " sc://host:port; the ALMS_CONNECT environment variable is read when URL is '-'",
    )
    e.add_argument("--accounts-table", help="the accounts table or view")
    e.add_argument("--activities-table", help="the activities table or view")
    e.add_argument("--orders-table", help="the order lines table or view")
    s.add_argument("--settings", help="scenario file (JSON, as saved by the app; any version)")
    s.add_argument(
        "--scenario", help="of a file with several scenarios, this one (default: its current)"
    )
    s.add_argument("--date-order", choices=[o.value for o in DateOrder], default="auto")
    s.add_argument("--decimal", choices=[m.value for m in DecimalMark], default="auto")
    s.add_argument("--as-of", type=date.fromisoformat, help="order lines: the as-of date")
    t = s.add_argument_group("follow-through (DOMAIN.md section 7)")
    t.add_argument("--months", type=int, choices=TREND_MONTHS, help="trend months (default 12)")
    t.add_argument(
        "--since", type=date.fromisoformat, help="before / after this day (the programme start)"
    )
    t.add_argument(
        "--baseline-as-of",
        type=date.fromisoformat,
        help="baseline: the same order lines at this earlier as-of date (or the as-of "
        "date of --baseline-accounts)",
    )
    t.add_argument("--baseline-accounts", help="baseline: an earlier export of the accounts")
    t.add_argument("--baseline-activities", help="baseline: the activities of that export")
    args = parser.parse_args(argv)
    try:
        settings = Settings()
        if args.settings:
            settings = _scenario(args.settings, args.scenario)
        settings = _follow(settings, args.months, args.since)
        options = LoadOptions(DateOrder(args.date_order), DecimalMark(args.decimal), args.as_of)
        if args.connect is not None:
            book = _from_engine(args, options, settings)
        elif args.accounts is None and args.orders is None:
            raise LoadError("give --accounts or --orders (or both), or --connect.")
        else:
            book = load(
                _upload(args.accounts, Table.ACCOUNTS, args.map),
                _upload(args.activities, Table.ACTIVITIES, args.map),
                _upload(args.orders, Table.ORDERS, args.map),
                options,
            )
        baseline = _baseline(args, book, options)
        out = summarise(book, settings, baseline)
        if args.since is not None and "before_after" not in out:
            raise LoadError(
                f"--since {args.since} must come before the book's as-of date ({out['as_of']})."
            )
        print(json.dumps(out, indent=2, ensure_ascii=False))
    except LoadError as exc:
        print(f"alms: {exc}", file=sys.stderr)
        return 2
    return 0


def _from_engine(args: argparse.Namespace, options: LoadOptions, settings: Settings) -> Book:
    """The book of the tables named, read in the engine at --connect (the password is
    best given through ALMS_CONNECT, out of the shell's history and process list)."""
    from alms.engine import EngineError, Tables, connect, load_from

    if args.accounts or args.activities or args.orders:
        raise LoadError("--connect reads tables: give --accounts-table etc., not files.")
    url = os.environ.get("ALMS_CONNECT", "") if args.connect == "-" else args.connect
    if not url:
        raise LoadError("--connect - reads the URL from ALMS_CONNECT, which is not set.")
    mappings = {
        t: m for t in Table if (m := _mapping(args.map, t))
    }  # a table without --map gets the mapping proposed from its column names
    tables = Tables(args.accounts_table, args.activities_table, args.orders_table, mappings)
    try:
        engine = connect(url)
    except EngineError as exc:
        raise LoadError(str(exc)) from None
    if mappings:
        tables = _complete(engine, tables)
    return load_from(engine, tables, options, settings=settings)


def _complete(engine, tables):
    """--map overrides on top of each table's proposed mapping (as for files)."""
    from alms.engine import EngineError
    from alms.reading.schema import propose_mapping

    full = {}
    for t, overrides in tables.mappings.items():
        name = tables.name(t)
        if name is None:
            continue
        try:
            columns = engine.columns(name)
        except EngineError as exc:
            raise LoadError(str(exc)) from None
        full[t] = propose_mapping(t, columns) | overrides
    return replace(tables, mappings=full)


def _follow(settings: Settings, months: int | None, since: date | None) -> Settings:
    """The settings with --months and --since, where given, in place of the file's."""
    follow = settings.follow
    if months is not None:
        follow = replace(follow, months=months)
    if since is not None:
        follow = replace(follow, since=since)
    return replace(settings, follow=follow)


def _baseline(args: argparse.Namespace, book: Book, options: LoadOptions) -> Book | None:
    """The baseline the options name: an earlier export, or the book's order lines at an
    earlier as-of date; None without one."""
    if args.baseline_accounts is not None:
        return load(
            _upload(args.baseline_accounts, Table.ACCOUNTS, args.map),
            _upload(args.baseline_activities, Table.ACTIVITIES, args.map),
            options=replace(options, as_of=args.baseline_as_of),
        )
    if args.baseline_activities is not None:
        raise LoadError("--baseline-activities needs --baseline-accounts.")
    if args.baseline_as_of is not None:
        return rebase(book, args.baseline_as_of)
    return None


def _scenario(path: str, name: str | None) -> Settings:
    """The chosen scenario of a scenario file; each part it cannot use is named on
    stderr (that part keeps its default)."""
    try:
        reading = scenarios.read(Path(path).read_bytes(), Settings(), name=Path(path).stem)
    except (OSError, ValueError) as exc:
        raise LoadError(f"{path}: not a valid scenario ({exc}).") from None
    by_name = {s.name: s.settings for s in reading.scenarios}
    chosen = name or reading.current or reading.scenarios[0].name
    if chosen not in by_name:
        raise LoadError(f"{path} has no scenario {chosen!r}; it has {', '.join(by_name)}.")
    for note in reading.unused:
        print(f"alms: {path}: {note}", file=sys.stderr)
    return by_name[chosen]


if __name__ == "__main__":
    sys.exit(main())
