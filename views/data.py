"""Data: load a book (accounts, activities, order lines), map its columns, see what was kept."""

from __future__ import annotations

import logging

import streamlit as st

from alms import export, session_file
from alms.engine.load import LISTED
from alms.reading.book import LoadError, Upload, load
from alms.reading.ingest import LoadOptions
from alms.reading.parsing import DateOrder, DecimalMark
from alms.reading.readers import UnreadableFile, read_file
from alms.reading.schema import Table
from alms.workspace import load_sample
from views import common, connect, controls

log = logging.getLogger(__name__)
ws = common.workspace()
NONE = "(not in file)"
REJECTS_SHOWN = 1_000
FILE_TYPES = ["csv", "txt", "tsv", "xlsx", "xlsm", "xls", "ods", "parquet"]
HELP = {
    Table.ACCOUNTS: "One row per account: id, name, owner, revenue, ... (Salesforce, HubSpot, Dynamics or a spreadsheet).",
    Table.ACTIVITIES: "Optional. One row per call, email, meeting or visit: account, date, type, minutes.",
    Table.ORDERS: "Optional. Invoice or order lines: account, date, amount. Revenue is derived from them.",
}

st.title("Data")
st.write(
    f"In use: **{ws.book.source}**, {ws.prepared.n_accounts:,} accounts. "
    "Load your own export below; it stays in this browser session only."
)


def _report() -> None:
    """What happened to each file of the book in use."""
    cols = st.columns(3)
    for col, table in zip(cols, Table, strict=True):
        report = ws.book.reports.get(table)
        with col:
            if report is None:
                st.metric(table.value.capitalize(), "none")
                continue
            st.metric(
                f"{table.value.capitalize()}: {report.name}",
                f"{report.accepted:,} accepted",
                f"{report.rejected:,} rejected" if report.rejected else "none rejected",
                delta_color="inverse" if report.rejected else "off",
                delta_arrow="off",
            )
            st.caption(f"{report.rows:,} rows read. " + "; ".join(report.notes))
    for warning in ws.book.warnings:
        st.warning(warning, icon=":material/info:")
    rows, shown = ws.book.reject_counts()
    if rows:
        st.subheader(f"Rejected rows ({rows:,})")
        frame = ws.book.rejects(limit=REJECTS_SHOWN).to_pandas()
        st.dataframe(frame, hide_index=True, width="stretch", height=min(300, 38 + 35 * len(frame)))
        if ws.book.unlisted[1]:
            st.caption(
                f"The database counted {shown:,} problems; the first {LISTED:,} of each "
                "reason are listed here and in the download (a table has no row numbers)."
            )
        elif shown > REJECTS_SHOWN:
            st.caption(
                f"The first {REJECTS_SHOWN:,} of {shown:,} problems are shown; the download "
                "holds every one."
            )
        st.download_button(
            "Download the rejected rows (CSV)",
            lambda: export.to_csv(ws.book.rejects().to_pandas()),  # built when clicked
            file_name="alms-rejects.csv",
            mime="text/csv",
            icon=":material/download:",
        )


def _raw_info(table: Table, upload) -> tuple[list[str], object] | None:
    """Headers and a 5-row preview of an uploaded file, read once per upload."""
    cache = st.session_state.setdefault("raw_preview", {})
    key = (table.value, upload.file_id)
    if key not in cache:
        try:
            raw = read_file(upload.name, upload.getvalue())
        except UnreadableFile as exc:
            cache[key] = str(exc)
        except Exception as exc:  # never a traceback: one sentence, and the server log
            log.exception("preview of %s failed", upload.name)
            cache[key] = f"{upload.name}: cannot be read ({type(exc).__name__})."
        else:
            cache.clear() if len(cache) > 6 else None
            cache[key] = (raw.headers, raw.table.slice(0, 5).to_pandas())
    value = cache[key]
    if isinstance(value, str):
        st.error(value, icon=":material/error:")
        return None
    return value


def _mapping_editor(table: Table, upload) -> dict[str, str] | None:
    info = _raw_info(table, upload)
    if info is None:
        return None
    headers, preview = info
    st.caption("Preview (first rows as read)")
    st.dataframe(preview, hide_index=True, width="stretch")
    st.caption("Columns: change any field's column; required fields are marked *.")
    return common.mapping_grid(
        table, headers, lambda field: f"map_{table.value}_{field}_{upload.file_id}", NONE
    )


_report()
st.divider()
st.header("Load your own book")
uploads = {}
cols = st.columns(3)
for col, table in zip(cols, Table, strict=True):
    with col:
        uploads[table] = st.file_uploader(
            f"{table.value.capitalize()} file",
            type=FILE_TYPES,
            key=f"upload_{table.value}",
            help=HELP[table],
        )

loaded_ids = st.session_state.get("data.loaded_ids", set())
mappings: dict[Table, dict[str, str] | None] = {}
for table, upload in uploads.items():
    if upload is not None:
        fresh = upload.file_id not in loaded_ids
        label = f"{table.value.capitalize()}: {upload.name}" + ("" if fresh else " (loaded)")
        with st.expander(label, expanded=fresh):
            mappings[table] = _mapping_editor(table, upload)

if any(u is not None for u in uploads.values()):
    with st.expander("Reading options"):
        o1, o2, o3 = st.columns(3)
        order = o1.radio(
            "Date order",
            [o.value for o in DateOrder],
            format_func={
                "auto": "Detect",
                "DMY": "Day/month/year",
                "MDY": "Month/day/year",
                "YMD": "Year-month-day",
            }.get,
            horizontal=True,
            help="Pin it when dates like 03/04/2024 are ambiguous.",
        )
        mark = o2.radio(
            "Decimal mark",
            [m.value for m in DecimalMark],
            format_func={"auto": "Detect", ".": "1,234.50", ",": "1.234,50"}.get,
            horizontal=True,
        )
        as_of = o3.date_input(
            "As of",
            value=None,
            help="Ends the revenue windows (order lines) and the activity windows. "
            "Default: the latest order date, else the latest activity date.",
        )
    ready = all(m is not None for m in mappings.values())
    if st.button(
        "Load this book", type="primary", disabled=not ready, icon=":material/play_arrow:"
    ):

        def _up(table: Table) -> Upload | None:
            u = uploads[table]
            return None if u is None else Upload(u.name, u.getvalue(), mappings[table])

        book = common.load_with_status(
            ws,
            "Loading the book...",
            lambda report: load(
                _up(Table.ACCOUNTS),
                _up(Table.ACTIVITIES),
                _up(Table.ORDERS),
                LoadOptions(DateOrder(order), DecimalMark(mark), as_of),
                progress=report,
            ),
        )
        if book is not None:
            st.session_state["data.loaded_ids"] = {
                u.file_id for u in uploads.values() if u is not None
            }
            st.rerun()
    if msg := st.session_state.get("data.loaded_message"):
        st.success(
            f"Loaded. {msg}. The figures are at the top of this page.",
            icon=":material/check_circle:",
        )

connect.section(ws)
with st.expander(
    "Continue a workshop: load a session file",
    icon=":material/history:",
    expanded="data.session_message" in st.session_state,
):
    st.caption(
        "A session file (alms-session.zip, from the Scenarios page) holds a book and its "
        "scenarios: the figures come back as they were."
    )
    session_upload = st.file_uploader("Session file", type=["zip"], key="upload_session")
    if (
        session_upload is not None
        and st.session_state.get("data.session_id") != session_upload.file_id
    ):
        try:
            with st.spinner("Opening the session file..."):
                sess = session_file.read(session_upload.getvalue(), session_upload.name)
                ws.replace_book(sess.book)
                if sess.baseline is not None:
                    ws.set_baseline(sess.baseline, sess.baseline_how)
        except LoadError as exc:
            common.show_load_error(exc)
            st.info(f"The book in use is unchanged: {ws.book.source}.")
        else:
            st.session_state["data.session_id"] = session_upload.file_id
            if sess.scenarios.scenarios:
                ws.add_scenarios(sess.scenarios.scenarios, sess.scenarios.current)
            common.forget_setting_widgets()
            st.session_state["data.session_message"] = (
                f"Continued from {session_upload.name}: {ws.prepared.n_accounts:,} accounts, "
                f"{len(sess.scenarios.scenarios):,} scenarios"
                + (", its baseline" if sess.baseline is not None else "")
                + (
                    f"; the original load had rejected {sess.rejected:,} rows, which the "
                    "session file does not hold"
                    if sess.rejected
                    else ""
                )
            )
            st.rerun()
    if msg := st.session_state.get("data.session_message"):
        st.success(msg + ".", icon=":material/check_circle:")
with st.expander(
    "Add a baseline: an earlier state of this book",
    icon=":material/compare_arrows:",
    expanded=ws.baseline is not None,
):
    st.caption(
        "The Follow-through page compares the book with it: which accounts changed "
        "segment, and where the hours went then and now. It stays in this session."
    )
    controls.baseline_controls(ws, "data.baseline")
start = common.start_book()
if start is not None and ws.book.version != start.book.version:
    if st.button(f"Back to {start.book.source}", icon=":material/restart_alt:"):
        ws.replace_book(start.book.view(), start.own_prepared())
        st.session_state.pop("data.loaded_message", None)
        st.rerun()
elif (
    start is None
    and not ws.is_sample
    and st.button("Back to the sample book", icon=":material/restart_alt:")
):
    ws.replace_book(load_sample())
    st.session_state.pop("data.loaded_message", None)
    st.rerun()
