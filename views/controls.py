"""Controls several pages share (widgets only; the rules stay in alms)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import streamlit as st

from alms.aggregates import year_before
from alms.pareto import Scope
from alms.prepared import Prepared
from alms.reading.book import LoadError, Upload, load, rebase
from alms.reading.ingest import LoadOptions
from alms.reading.schema import Table
from alms.settings import Settings
from alms.workspace import Workspace, load_sample_baseline
from views import common

SCOPE_KINDS = {"team": "Whole team", "region": "One region", "owner": "One seller"}


def regions_of(p: Prepared) -> list[str]:
    return [r for r in p.region_labels if r != "(none)"]


def scope_picker(
    container, p: Prepared, key: str, prefix: str, sellers: Sequence[str] | None = None
) -> Scope:
    """Whole team, one region or one seller: a radio (widget key `key`), then a picker
    (`{prefix}_region` or `{prefix}_owner`)."""
    regions = regions_of(p)
    kinds = {k: v for k, v in SCOPE_KINDS.items() if k != "region" or regions}
    kind = container.radio("Scope", list(kinds), format_func=kinds.get, key=key, horizontal=True)
    if kind == "team":
        return Scope()
    values = regions if kind == "region" else list(sellers or p.owner_labels.tolist())
    return Scope(kind, container.selectbox(kinds[kind], values, key=f"{prefix}_{kind}"))


def tolerance_slider(container, settings: Settings) -> None:
    """The over-served tolerance (Settings.service_tolerance_pct): one widget key, so the
    Bands and What-if pages move the same knob."""
    key, cb = common.bind(
        "tolerance",
        settings.service_tolerance_pct,
        lambda s, v: replace(s, service_tolerance_pct=v),
    )
    container.slider(
        "Tolerance around the programme (%)",
        0.0,
        100.0,
        step=5.0,
        format="%d%%",
        key=key,
        on_change=cb,
        help="Over-served: hours above programme x (1 + tolerance), or any hours where the "
        "programme asks none; under-served: below programme x (1 - tolerance).",
    )


def baseline_controls(ws: Workspace, prefix: str) -> None:
    """Add, change or remove the baseline (an earlier state of the book): the sample's
    own export of a year earlier, the book's order lines at an earlier as-of date, or an
    earlier export (accounts, and its activities) loaded beside the book. Widget keys
    start with `prefix` (the Data page and the Follow-through page each have theirs)."""
    base = ws.baseline
    if base is not None:
        st.success(
            f"Baseline: **{base.book.source}**, as of "
            f"{base.prepared.activity_as_of or 'no date'}, "
            f"{base.prepared.n_accounts:,} accounts.",
            icon=":material/history:",
        )
        if st.button("Remove the baseline", key=f"{prefix}.remove", icon=":material/close:"):
            ws.set_baseline(None)
            st.rerun()

    def use(make, how: str) -> None:
        try:
            with st.spinner("Preparing the baseline..."):
                ws.set_baseline(make(), how)
        except LoadError as exc:
            st.error(f"No baseline: {exc}", icon=":material/error:")
        else:
            st.rerun()

    if ws.is_sample and st.button(
        "Use the sample book as exported a year earlier",
        key=f"{prefix}.sample",
        icon=":material/auto_awesome:",
        type="primary" if base is None else "secondary",
    ):
        use(load_sample_baseline, "export")
    as_of = ws.prepared.activity_as_of
    if Table.ORDERS in ws.book.reports and as_of is not None:
        c1, c2 = st.columns([2, 1], vertical_alignment="bottom")
        when = c1.date_input(
            "The same order lines at an earlier as-of date",
            value=year_before(as_of),
            max_value=as_of,
            key=f"{prefix}.as_of",
            help="Revenue, prior revenue and the activity window recomputed at that date.",
        )
        if c2.button("Use this date", key=f"{prefix}.use_as_of", width="stretch"):
            use(lambda: rebase(ws.book, when), "as_of")
    st.caption("Or an earlier export of the accounts (and its activities), read like the book:")
    c1, c2 = st.columns(2)
    acc = c1.file_uploader("Baseline: the earlier accounts export", key=f"{prefix}.accounts")
    act = c2.file_uploader("Baseline: its activities (optional)", key=f"{prefix}.activities")
    if st.button(
        "Load as the baseline", key=f"{prefix}.load", disabled=acc is None, icon=":material/upload:"
    ):
        use(
            lambda: load(
                Upload(acc.name, acc.getvalue()),
                None if act is None else Upload(act.name, act.getvalue()),
                options=LoadOptions(),
            ),
            "export",
        )
