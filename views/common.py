"""Shared page helpers: this session's Workspace, the sidebar, number formats.

The Workspace lives in `st.session_state` only: never in a cache shared by sessions.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.runtime.state.session_state_proxy import get_session_state

from alms import export, scenarios
from alms.prepared import CoarseWindow, LazyDaily
from alms.reading.book import Book, LoadError, Progress
from alms.reading.ingest import many
from alms.reading.schema import FIELDS, Table, propose_mapping
from alms.settings import Settings
from alms.workspace import (
    BASELINE_FOLDER,
    Shared,
    Workspace,
    folder_files,
    load_folder,
    load_sample,
)

STATE_KEY = "alms_workspace"


def workspace() -> Workspace:
    """This browser session's Workspace: on first use, the facilitator's book when one
    is configured (see `start_folder`), else the sample book."""
    if STATE_KEY not in st.session_state:
        shared = start_book()
        if shared is not None:
            st.session_state[STATE_KEY] = shared.session()
        else:
            with st.spinner("Opening the sample book..."):
                st.session_state[STATE_KEY] = Workspace.open(load_sample())
    ws = st.session_state[STATE_KEY]
    source = ws.prepared.daily_source
    if isinstance(source, LazyDaily):  # a book in a database: its days come on first use
        source.announce = st.spinner
    return ws


BOOK_ENV = "ALMS_BOOK"
BOOK_SECRET = "book"
START_PROBLEM = "alms_start_problem"


def start_folder() -> Path | None:
    """The folder of the book every new session opens on: the environment variable
    ALMS_BOOK (`make run BOOK=...`), else `book = "..."` in the app's secrets
    (.streamlit/secrets.toml, or Community Cloud's Secrets box); relative to the app's
    folder. None: the sample book."""
    value = os.environ.get(BOOK_ENV, "").strip()
    if not value:
        try:
            value = str(st.secrets.get(BOOK_SECRET, "") or "").strip()
        except Exception:  # no secrets file at all: Streamlit raises on the first read
            value = ""
    if not value:
        return None
    path = Path(value).expanduser()
    return path if path.is_absolute() else APP_DIR / path


APP_DIR = Path(__file__).resolve().parent.parent


def start_book() -> Shared | None:
    """The facilitator's book, loaded once per process and shared read-only; None (and
    a note for the sidebar) when none is configured or it cannot be loaded."""
    folder = start_folder()
    if folder is None:
        return None
    try:
        files = [*folder_files(folder).values(), *folder_files(folder / BASELINE_FOLDER).values()]
        stamp = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
        return _shared_book(str(folder), stamp)
    except (LoadError, OSError) as exc:
        st.session_state[START_PROBLEM] = (
            f"The facilitator's book ({folder}) could not be opened: {exc} "
            "The sample book is open instead."
        )
        return None


@st.cache_resource(
    show_spinner="Opening the facilitator's book (once for everyone)...", max_entries=2
)
def _shared_book(folder: str, stamp: tuple) -> Shared:
    """One load per process and folder state (`stamp`: the files' times and sizes, so an
    edited file is read again). Every session reads it; none writes to it."""
    book, reading = load_folder(Path(folder))
    base = Path(folder) / BASELINE_FOLDER  # its earlier export, when it has one
    baseline = None
    if folder_files(base):
        baseline, _ = load_folder(base)
        baseline.source = f"{Path(folder).name}, the earlier export"
    return Shared.of(book, reading, baseline)


def money(value: float) -> str:
    """12,345,678 -> "12.3M"; 950 -> "950"."""
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= size:
            return f"{value / size:,.1f}{suffix}"
    return f"{value:,.0f}"


def pct(fraction: float, digits: int = 0) -> str:
    return f"{fraction * 100:.{digits}f}%"


def sidebar(ws: Workspace) -> None:
    """The shell's part of the sidebar: the book in use, then an empty slot for the
    figures that follow the settings (`settings_sidebar`), filled by the page's live
    body on pages that have one (`live`), else by the shell after the page."""
    with st.sidebar:
        if problem := st.session_state.get(START_PROBLEM):
            st.error(problem, icon=":material/error:")
        counts = ws.book.counts()
        acc = counts["accounts"] or counts["orders"]
        st.caption(f"**Book:** {ws.book.source}")
        st.caption(
            f"{many(ws.prepared.n_accounts, 'account', 'accounts')}, "
            f"{many(ws.prepared.n_customers, 'customer', 'customers')}"
            + (
                f", {many(acc['rejected'], 'row', 'rows')} rejected"
                if acc and acc["rejected"]
                else ""
            )
        )
        st.session_state[SIDEBAR_SLOT] = SidebarSlot(st.container())


@dataclass
class SidebarSlot:
    """The sidebar's container for what follows the settings, and whether this run's
    page has filled it."""

    container: DeltaGenerator
    filled: bool = False
    by_figures: bool = False
    """Drawn by the page's `figures` (else by its live body, or the shell)."""


SIDEBAR_SLOT = "alms_sidebar_slot"


def settings_sidebar(ws: Workspace) -> None:
    """The sidebar's figures and boxes that follow the settings: the key accounts at
    risk, the share link, the scenario box. Drawn into the slot the shell left."""
    at_risk = int(ws.assignment().risk.at_risk.sum())
    if at_risk:
        st.page_link(
            # A Page, not a path: a path is looked up in the run's page registry, which
            # a fragment's own rerun under AppTest does not have.
            st.Page("views/timeuse.py"),
            label=f"{many(at_risk, 'key account', 'key accounts')} at risk",
            icon=":material/warning:",
            help="Falling revenue or no recent contact: see Where the hours go.",
        )
    share = lazy_box("Share these settings", ":material/link:", SHARE_OPEN)
    if share.open:
        share.caption(
            "This link opens the same settings on the sample book, or on the book its "
            "recipient loads. It carries no data: no figures, no account names, no "
            "overrides. The browser's address bar always holds it too."
        )
        share.code(share_url(ws), language=None, wrap_lines=True)
    scenario = lazy_box("Scenario", ":material/tune:", SCENARIO_OPEN)
    if scenario.open:
        scenario_controls(ws, scenario)


def fill_sidebar(ws: Workspace) -> None:
    """The shell, after a page without a live body: fill the settings' slot."""
    slot = st.session_state.get(SIDEBAR_SLOT)
    if isinstance(slot, SidebarSlot) and not slot.filled:
        slot.filled = True
        with slot.container:
            settings_sidebar(ws)


def live(body: Callable[[Workspace], None]) -> None:
    """Run a page's body as a fragment: a widget inside it reruns the body alone, not
    the shell, the navigation and the rest of the sidebar (what a slider move costs the
    browser is mostly what is sent again, `benchmarks/README.md`). Whatever else a
    setting changes is redrawn in the same fragment run (`_follow_settings`), unless
    the body has `figures`, which then does it. A body's own `st.rerun()` still reruns
    the whole app."""
    slot = st.session_state.get(SIDEBAR_SLOT)
    if isinstance(slot, SidebarSlot):
        slot.filled = True

    @st.fragment
    def run() -> None:
        ws = workspace()
        try:
            guarded(ws, lambda: body(ws))
        finally:  # st.stop() in the body ends it early: the rest still follows
            if not (isinstance(slot, SidebarSlot) and slot.by_figures):
                _follow_settings(ws, slot)

    run()


FIGURES = "figures"
"""The fragment key of a live body's `figures`."""


def figures(draw: Callable[[Workspace], None]) -> None:
    """Inside a live body, below its controls: what the settings move, as a fragment of
    its own, which also redraws what follows the settings outside the page. A widget
    `draw` puts into the controls' row (a container made outside the fragment, which
    Streamlit 1.67 allows) reruns only this part, in one run, without sending the other
    controls again. A control outside it bound with `bind(..., redraw=FIGURES)` reruns
    only this part too (a keyed rerun from its callback), after an empty first run."""
    slot = st.session_state.get(SIDEBAR_SLOT)
    if isinstance(slot, SidebarSlot):
        slot.by_figures = True

    @st.fragment(key=FIGURES)
    def run() -> None:
        ws = workspace()
        try:
            guarded(ws, lambda: draw(ws))
        finally:
            _follow_settings(ws, slot)

    run()


def _follow_settings(ws: Workspace, slot: object) -> None:
    """What a setting changes outside the page: the address bar's link, the sidebar's
    settings slot."""
    sync_link(ws)
    if isinstance(slot, SidebarSlot):
        with slot.container:
            settings_sidebar(ws)


def guarded(ws: Workspace, page: Callable[[], None]) -> None:
    """Run a page, turning what a book in a database may refuse into one message:
    a window it did not sum (`CoarseWindow`), per-day sums that did not come
    (`LoadError` from `alms.prepared.LazyDaily`)."""
    try:
        page()
    except CoarseWindow as exc:
        sum_window(ws, exc)
    except LoadError as exc:
        sums_failed(ws, exc)


SHARE_OPEN = "view.sidebar_share"
SCENARIO_OPEN = "view.sidebar_scenario"
OPEN_BOXES = "alms_open_boxes"


def lazy_box(label: str, icon: str, key: str):
    """An expander whose `.open` is known, so its content is built only while it is
    open (closed, it costs a rerun nothing). Streamlit forgets an expander's state on
    a page switch; this session remembers which boxes were open, so they stay open."""
    remembered: set[str] = st.session_state.setdefault(OPEN_BOXES, set())

    def remember() -> None:
        (remembered.add if st.session_state[key] else remembered.discard)(key)

    return st.expander(label, key in remembered, icon=icon, key=key, on_change=remember)


def scenario_controls(ws: Workspace, box) -> None:
    """The sidebar's Scenario box: switch to a saved scenario, save, load, reset."""
    with box:
        if ws.scenarios:
            names = list(ws.scenarios)
            chosen = st.selectbox(
                "Saved scenarios",
                names,
                index=names.index(ws.scenario) if ws.scenario in names else None,
                placeholder="Switch to...",
                key=f"scenario_switch.{ws.scenario}",
                help="Saved on the Scenarios page; compare them there.",
            )
            if chosen is not None and chosen != ws.scenario:
                ws.switch_scenario(chosen)
                forget_setting_widgets()
                st.rerun()
            if ws.changed:
                st.caption(f"Changed since “{ws.scenario}” was saved.")
        st.download_button(
            "Save scenario (JSON)",
            lambda: scenarios.dump(
                [scenarios.Named(ws.scenario or "scenario", ws.settings)], ws.scenario
            ),  # a callable: serialised only when clicked
            file_name="alms-scenario.json",
            mime="application/json",
            width="stretch",
        )
        scenario_uploader("scenario_upload")
        if st.button("Reset to defaults", width="stretch"):
            ws.settings = ws.defaults()
            ws.scenario = None
            forget_setting_widgets()
            st.rerun()


SCENARIO_NOTES = "alms_scenario_notes"


def scenario_uploader(key: str) -> None:
    """Load a scenario file (one scenario, several, or a file of an older ALMS): its
    scenarios join the session's, its current one applies; the parts it could not use
    are listed (they keep the book's defaults)."""
    ws = workspace()
    notes = st.session_state.pop(SCENARIO_NOTES, None)
    if notes:
        st.warning(
            f"{notes[0]}: some parts could not be used, the defaults apply to them: "
            + "; ".join(notes[1]),
            icon=":material/warning:",
        )
    upload = st.file_uploader("Load a scenario file", type=["json"], key=key)
    if upload is None or st.session_state.get(f"{key}.read") == upload.file_id:
        return
    try:
        reading = scenarios.read(
            upload.getvalue(), ws.defaults(), name=upload.name.rsplit(".", 1)[0]
        )
    except ValueError as exc:
        st.error(f"{upload.name} is not a valid scenario: {exc}", icon=":material/error:")
        return
    st.session_state[f"{key}.read"] = upload.file_id
    ws.add_scenarios(reading.scenarios, reading.current)
    if reading.unused:
        st.session_state[SCENARIO_NOTES] = (upload.name, reading.unused)
    forget_setting_widgets()
    st.rerun()


LINK_PARAM = "s"
"""The query parameter that carries the settings (Settings.to_query)."""
STEP_PARAM = "step"
"""Presenter mode's step (alms.story step key), kept in the address of that page."""
LINK_READ = "alms_link_read"
LINK_MEMO = "alms_link_token"


def follow_link(ws: Workspace) -> None:
    """A share link's settings apply once, when a session opens it. After that the URL
    follows the settings, so the address bar is always a link to what is on screen."""
    if LINK_READ not in st.session_state:
        st.session_state[LINK_READ] = True
        token = st.query_params.get(LINK_PARAM, "")
        if token:
            try:
                ws.settings = Settings.from_query(token, ws.defaults())
                forget_setting_widgets()
            except ValueError as exc:
                st.toast(
                    f"The link's settings could not be used: {exc}. The defaults apply.",
                    icon=":material/link_off:",
                )
    sync_link(ws)


def sync_link(ws: Workspace) -> None:
    """The address bar's link follows the settings."""
    token = link_token(ws)
    if st.query_params.get(LINK_PARAM, "") != token:
        if token:
            st.query_params[LINK_PARAM] = token
        else:
            del st.query_params[LINK_PARAM]


def link_token(ws: Workspace) -> str:
    """Settings.to_query of this session's settings, kept until they change (every rerun
    asks for it twice; building it costs ~0.2 ms)."""
    memo = st.session_state.get(LINK_MEMO)
    if memo is None or memo[0] is not ws.settings:
        memo = (ws.settings, ws.settings.to_query(ws.defaults()))
        st.session_state[LINK_MEMO] = memo
    return memo[1]


def share_url(ws: Workspace) -> str:
    """The link to this app with the current settings (a bare query when the app's own
    address is unknown, as in tests)."""
    token = link_token(ws)
    params = {LINK_PARAM: token, STEP_PARAM: st.query_params.get(STEP_PARAM, "")}
    # Both values are URL-safe already (base64url; a step key).
    query = "&".join(f"{k}={v}" for k, v in params.items() if v)
    query = f"?{query}" if query else ""
    parts = urlsplit(st.context.url or "")
    if not parts.netloc:
        return query or "(the default settings: the app's address as it is)"
    return f"{parts.scheme}://{parts.netloc}{parts.path}{query}"


def mapping_grid(
    table: Table, headers: list[str], key_of: Callable[[str], str], none_label: str
) -> dict[str, str]:
    """One selectbox per field of `table` (three columns), each proposing the header the
    export synonyms suggest; returns field -> chosen header. For files and database
    tables alike."""
    proposed = propose_mapping(table, headers)
    mapping: dict[str, str] = {}
    grid = st.columns(3)
    for i, f in enumerate(FIELDS[table]):
        options = [none_label, *headers]
        current = proposed.get(f.name)
        with grid[i % 3]:
            choice = st.selectbox(
                f.label + (" *" if f.required else ""),
                options,
                index=options.index(current) if current in options else 0,
                key=key_of(f.name),  # a widget per field and file (or table)
                help=f.help or None,
            )
        if choice != none_label:
            mapping[f.name] = choice
    return mapping


def show_load_error(exc: LoadError) -> None:
    st.error(str(exc), icon=":material/error:")


def load_with_status(ws: Workspace, label: str, build: Callable[[Progress], Book]) -> Book | None:
    """`build(progress)` under a status box with a progress bar, then the book prepared
    and put in use, and the Data page's "Loaded." message set. None when it fails: the
    error is shown in one sentence and the book in use stays."""
    status = st.status(label, expanded=True)
    bar = status.progress(0.0, text="Starting...")

    def report(text: str, fraction: float) -> None:
        bar.progress(0.85 * fraction, text=f"{text}...")  # the last 15%: preparing

    try:
        book = build(report)
        bar.progress(0.9, text="Preparing: sorting by revenue, summing hours per account...")
        ws.replace_book(book)
    except LoadError as exc:
        status.update(label="Not loaded", state="error", expanded=False)
        show_load_error(exc)
        st.info(f"The book in use is unchanged: {ws.book.source}.")
        return None
    st.session_state["data.loaded_message"] = "; ".join(
        f"{r.name}: {r.accepted:,} accepted, {r.rejected:,} rejected" for r in book.reports.values()
    )
    return book


def sum_window(ws: Workspace, exc: Exception) -> None:
    """A page asked a book summed in a database for a window it did not sum: one more
    aggregate query there, on the user's word (it may take a while on a big book)."""
    st.warning(f"{str(exc).capitalize()}.", icon=":material/database:")
    if ws.book.reload is None or not st.button(
        "Sum this window in the database", type="primary", icon=":material/refresh:"
    ):
        return
    try:
        with st.spinner("Summing the activities again in the database..."):
            ws.replace_book(ws.book.reload(now=ws.settings))
    except LoadError as exc:
        show_load_error(exc)
        return
    st.rerun()


def sums_failed(ws: Workspace, exc: LoadError) -> None:
    """A page needed the per-day sums of a book in a database, and the database did not
    send them: one sentence, and what still works."""
    show_load_error(exc)
    st.info(
        f"The book stays loaded ({ws.book.source}): the pages of per-account figures work. "
        "Open this page again to retry, or reload the book on the Data page."
    )


SETTING_PREFIX = "set."


def bind(name: str, current: object, apply, redraw: str | None = None) -> tuple[str, object]:
    """A widget key holding one setting, and the callback that writes it back.

    The widget's state is seeded from the current Settings when absent (first view, or
    after a scenario load cleared it); moving the widget replaces ws.settings with
    `apply(settings, value)`, so every page reads one Settings value. With `redraw`
    (`FIGURES`: the page's `figures` are rendered), the move reruns only that fragment.
    """
    key = SETTING_PREFIX + name
    seed(key, current)

    def on_change() -> None:
        ws = workspace()
        ws.settings = apply(ws.settings, st.session_state[key])
        if redraw is not None:
            st.rerun(redraw)

    return key, on_change


def seed(key: str, value: object) -> None:
    """Give the widget under `key` its value through Session State: `value` when it has
    none (first view, or after a scenario load cleared it), else its own value again
    when the browser did not send it with this run's request.

    Why the second case: a box opened right after a page appeared asks for a run before
    the browser has mounted the page's new slider; that run sends the slider as one the
    browser knows, and the browser mounts it at its minimum (streamlit/streamlit#4247:
    a slider at 50% while the figures say 80%). Set again, it is sent with its value.
    Not otherwise: setting it on every run would undo key presses still in flight."""
    if key not in st.session_state:
        st.session_state[key] = value
    elif not _browser_sent(key):
        st.session_state[key] = st.session_state[key]


def _browser_sent(key: str) -> bool:
    """Whether the browser's request for this run carried the widget's value (Streamlit
    1.67's session state; True, the old behaviour, should its internals change)."""
    try:
        state = get_session_state()._state
        widget_id = state._key_id_mapper.get_id_from_key(key)
        return widget_id is not None and widget_id in state._new_widget_state.states
    except AttributeError:
        return True


def forget_setting_widgets() -> None:
    """After a scenario load or reset: widgets re-seed from the new Settings."""
    for key in [k for k in st.session_state if str(k).startswith(SETTING_PREFIX)]:
        del st.session_state[key]


def _money(label: str) -> object:
    return st.column_config.NumberColumn(label, format="%,.0f")


def _hours(label: str) -> object:
    return st.column_config.NumberColumn(label, format="%,.1f")


ACCOUNT_COLUMNS = {
    "account_id": st.column_config.TextColumn("Account ID"),
    "account_name": st.column_config.TextColumn("Account"),
    "owner": st.column_config.TextColumn("Seller"),
    "revenue": _money("Revenue"),
    "potential": _money("Potential"),
    "gap": _money("Potential - revenue"),
    "band": st.column_config.TextColumn("Band"),
    "segment": st.column_config.TextColumn("Segment"),
    "required_hours": _hours("Programme h"),
    "actual_hours": _hours("Actual h (12 mo)"),
    "gap_hours": st.column_config.NumberColumn("Actual - programme", format="%+,.1f"),
    "override": st.column_config.TextColumn("Override", help="Manual segment: reason"),
    "action": st.column_config.TextColumn("Suggested move"),
    "dm_access": st.column_config.NumberColumn("Decision-maker access"),
    "product_fit": st.column_config.NumberColumn("Product fit"),
    "score": st.column_config.ProgressColumn("Rank score", min_value=0.0, max_value=1.0),
}
"""Labels and number formats of the account tables every page shows."""


def account_table(
    frame: pd.DataFrame, column_config_extra: dict | None = None, **options: object
) -> None:
    """An account table with the shared labels and formats (money without decimals);
    `column_config_extra` adds or replaces column formats of this table."""
    config = {
        k: v
        for k, v in (ACCOUNT_COLUMNS | (column_config_extra or {})).items()
        if k in frame.columns
    }
    st.dataframe(frame, hide_index=True, width="stretch", column_config=config, **options)


MONEY = _money("Revenue")
HOURS = _hours("Hours")
SHOWN_ROWS = 500
"""Rows an account table shows; its downloads hold all of them. More scroll no better
and cost every rerun: 2,000 rows took ~10 ms of a 100k book's matrix rerun."""


def downloads(rows, count: int, stem: str) -> None:
    """CSV and Excel buttons for a table of `count` rows; `rows()` builds it only when a
    button is clicked. Excel up to export.EXCEL_DOWNLOAD_ROWS rows, CSV always."""
    if count > SHOWN_ROWS:
        st.caption(f"The first {SHOWN_ROWS:,} of {count:,} rows are shown; the downloads hold all.")
    d1, d2 = st.columns(2)
    d1.download_button(
        "Download CSV",
        lambda: export.to_csv(rows()),
        file_name=f"{stem}.csv",
        mime="text/csv",
        icon=":material/download:",
        width="stretch",
        key=f"{stem}.csv",
    )
    if count <= export.EXCEL_DOWNLOAD_ROWS:
        d2.download_button(
            "Download Excel",
            lambda: export.to_excel(rows()),
            file_name=f"{stem}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            icon=":material/table_view:",
            width="stretch",
            key=f"{stem}.xlsx",
        )
    else:
        d2.caption(
            f"Excel is offered up to {export.EXCEL_DOWNLOAD_ROWS:,} rows (it takes a few "
            "seconds to write): filter first, or take the CSV, which Excel opens too."
        )


def handout(results_fn, label: str, key: str) -> None:
    """ "Download report" buttons: the self-contained HTML and the Excel workbook of
    `results_fn()` (a list of (scenario name, Assignment)), built only when clicked."""
    from alms import report

    ws = workspace()

    def context() -> report.Context:
        return report.Context(ws.book.source, ws.prepared.activity_as_of, ws.defaults())

    h1, h2 = st.columns(2)
    h1.download_button(
        f"Download report: {label} (HTML)",
        lambda: report.html(context(), results_fn()).encode("utf-8"),
        file_name=f"alms-report-{key}.html",
        mime="text/html",
        icon=":material/description:",
        width="stretch",
        key=f"report.{key}.html",
        help="One file with interactive charts; opens with no network.",
    )
    h2.download_button(
        f"Download report: {label} (Excel)",
        lambda: report.workbook(context(), results_fn()),
        file_name=f"alms-report-{key}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/table_view:",
        width="stretch",
        key=f"report.{key}.xlsx",
        help="One sheet per table, formula-safe; the data source, as-of date, scenario "
        "and every assumption included.",
    )
