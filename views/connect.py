"""The Data page's "Connect to a database": tables instead of files (not a page).

Shown when a connection is configured: `[connections.alms] url = "..."` in the app's
secrets (.streamlit/secrets.toml, or Community Cloud's Secrets box), else the
ALMS_CONNECT environment variable. The URL never reaches the browser: the page names
the engine by its label (scheme, host, database). Each session opens its own
connection, closed with the session (ARCHITECTURE rule 2).
"""

from __future__ import annotations

import logging
import os

import streamlit as st

from alms.engine import Engine, EngineError, Tables, connect, load_from
from alms.engine.connection import label_of
from alms.reading.ingest import LoadOptions
from alms.reading.schema import Table
from alms.workspace import Workspace
from views import common

log = logging.getLogger(__name__)
ENV = "ALMS_CONNECT"
NONE = "(none)"
NOT_MAPPED = "(not in table)"


def configured_url() -> str | None:
    """The configured connection URL, or None: secrets first, then the environment."""
    try:
        section = st.secrets.get("connections", {}).get("alms", {})
        url = str(section.get("url", "") or "").strip()
    except Exception:  # no secrets file at all: Streamlit raises on the first read
        url = ""
    return url or os.environ.get(ENV, "").strip() or None


def _engine(ws: Workspace, url: str) -> Engine | None:
    """The session's open connection (opened on the button); None until then."""
    if ws.engine is not None:
        return ws.engine
    label = label_of(url)
    if st.button(f"Connect to {label}", icon=":material/database:"):
        try:
            with st.spinner(f"Connecting to {label}..."):
                ws.set_engine(connect(url))
                ws.engine.tables()  # the catalogue, read once
        except EngineError as exc:
            ws.set_engine(None)
            st.error(str(exc), icon=":material/error:")
            return None
        return ws.engine
    return None


def _preview(engine: Engine, name: str):
    """The table's first 5 rows, read once per session and table (a rerun must not
    query the database again)."""
    cache = st.session_state.setdefault("connect.preview", {})
    key = (engine.label, name)
    if key not in cache:
        cache[key] = engine.run(engine.table(name).limit(5)).to_pandas()
    return cache[key]


def _mapping(engine: Engine, table: Table, name: str) -> dict[str, str]:
    """Columns of the table, proposed from the same synonyms as a file's headers."""
    columns = engine.columns(name)
    st.caption("Preview (first rows as the database holds them)")
    st.dataframe(_preview(engine, name), hide_index=True, width="stretch")
    return common.mapping_grid(
        table, columns, lambda field: f"connect.map.{table.value}.{name}.{field}", NOT_MAPPED
    )


def section(ws: Workspace) -> None:
    """The expander: connect, pick the tables, map their columns, load."""
    url = configured_url()
    if url is None:
        return
    with st.expander(
        "Connect to a database",
        icon=":material/database:",
        expanded=ws.engine is not None or ws.book.aggregated,
    ):
        st.caption(
            "Read the book where it lives: the database sums the activities and order "
            "lines per account, and only one row per account comes here. Read-only."
        )
        if ws.book.aggregated and (msg := st.session_state.get("data.loaded_message")):
            st.success(
                f"Loaded. {msg}. The figures are at the top of this page.",
                icon=":material/check_circle:",
            )
        engine = _engine(ws, url)
        if engine is None:
            return
        try:
            tables = engine.tables()
        except EngineError as exc:
            st.error(str(exc), icon=":material/error:")
            return
        st.caption(f"Connected to **{engine.label}**: {len(tables):,} tables and views.")
        chosen: dict[Table, str | None] = {}
        cols = st.columns(3)
        for col, table in zip(cols, Table, strict=True):
            options = [NONE, *tables]
            guess = table.value if table.value in tables else NONE
            chosen[table] = col.selectbox(
                f"{table.value.capitalize()} table",
                options,
                index=options.index(guess),
                key=f"connect.table.{table.value}",
            )
        picked = {t: n for t, n in chosen.items() if n != NONE}
        mappings: dict[Table, dict[str, str]] = {}
        try:
            for table, name in picked.items():
                with st.expander(f"{table.value.capitalize()}: {name}", expanded=False):
                    mappings[table] = _mapping(engine, table, name)
        except EngineError as exc:
            st.error(str(exc), icon=":material/error:")
            return
        ready = Table.ACCOUNTS in picked or Table.ORDERS in picked
        if not st.button(
            "Load from the database",
            type="primary",
            disabled=not ready,
            icon=":material/play_arrow:",
            help=None if ready else "Choose an accounts table or an order lines table.",
        ):
            return
        _load(ws, engine, picked, mappings)


def _load(
    ws: Workspace, engine: Engine, picked: dict[Table, str], mappings: dict[Table, dict]
) -> None:
    tables = Tables(
        picked.get(Table.ACCOUNTS),
        picked.get(Table.ACTIVITIES),
        picked.get(Table.ORDERS),
        mappings,
    )
    book = common.load_with_status(
        ws,
        f"Loading from {engine.label}...",
        lambda report: load_from(engine, tables, LoadOptions(), report, ws.settings),
    )
    if book is not None:
        st.rerun()
