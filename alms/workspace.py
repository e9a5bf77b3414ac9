"""One user's working state: the Book, its prepared arrays, the current Settings.

The app keeps exactly one Workspace per browser session (in session state); nothing in
it is shared between sessions. `assignment()` is memoised on (book version, settings), so
a rerun with unchanged sliders costs nothing and a slider move costs one `assign`; the
last few settings are kept, so switching between compared scenarios is free too.

Named scenarios: the facilitator keeps several Settings under names ("today", "strict
programme"); `scenario` is the name the current settings came from (None: unsaved).
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from alms import followthrough, scenarios
from alms.analysis import Assignment, assign
from alms.engine.connection import Engine
from alms.followthrough import Movement
from alms.prepared import Prepared, prepare
from alms.reading.book import Book, LoadError, Upload, load
from alms.reading.schema import Table
from alms.scenarios import MAX_SCENARIOS, Named, Reading, clean_name
from alms.scorecard import default_for_sample
from alms.settings import FollowThrough, Settings

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"


def load_sample(sample_dir: Path = SAMPLE_DIR) -> Book:
    """The shipped sample book (sample_data/accounts.csv and activities.csv)."""
    accounts = sample_dir / "accounts.csv"
    activities = sample_dir / "activities.csv"
    return load(
        Upload(accounts.name, accounts.read_bytes()),
        Upload(activities.name, activities.read_bytes()) if activities.exists() else None,
        source="sample book",
    )


FOLDER_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods", ".parquet")
SCENARIO_FILE = "scenarios.json"


def folder_files(folder: Path) -> dict[Table, Path]:
    """The book files of a folder: accounts.*, activities.*, orders.* (any supported
    suffix, names case-insensitive)."""
    found: dict[Table, Path] = {}
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        for table in Table:
            if path.stem.lower() == table.value and path.suffix.lower() in FOLDER_SUFFIXES:
                found.setdefault(table, path)
    return found


def load_folder(folder: Path) -> tuple[Book, Reading | None]:
    """A facilitator's book from a folder (see `folder_files`), and its scenarios when
    the folder holds a scenarios.json (any version). LoadError when it cannot be used."""
    files = folder_files(folder)
    if Table.ACCOUNTS not in files and Table.ORDERS not in files:
        raise LoadError(
            f"{folder}: no accounts.csv (or .xlsx, .parquet ...) or orders file in the folder."
        )

    def upload(table: Table) -> Upload | None:
        path = files.get(table)
        return None if path is None else Upload(path.name, path.read_bytes())

    book = load(
        upload(Table.ACCOUNTS),
        upload(Table.ACTIVITIES),
        upload(Table.ORDERS),
        source=f"{folder.name} (the facilitator's book)",
    )
    reading = None
    scenario_file = folder / SCENARIO_FILE
    if scenario_file.is_file():
        try:
            reading = scenarios.read(scenario_file.read_bytes(), name=folder.name)
        except ValueError as exc:
            book.close()
            raise LoadError(f"{scenario_file}: not a valid scenario file ({exc}).") from None
    return book, reading


def _own(p: Prepared) -> Prepared:
    """A session's own handle on shared prepared arrays: the same (read-only) arrays,
    its own memo of derived results."""
    return replace(p, derived={}, _groups={})


def _freeze(p: Prepared) -> None:
    """Make the prepared arrays read-only: many sessions read them, none may write."""
    for value in [*vars(p).values(), *(vars(p.daily_loaded).values() if p.daily_loaded else ())]:
        if isinstance(value, np.ndarray):
            value.flags.writeable = False


BASELINE_FOLDER = "baseline"
"""A book folder's (and the sample's) earlier export, for the follow-through page."""


def load_sample_baseline(sample_dir: Path = SAMPLE_DIR) -> Book:
    """The sample book as exported a year earlier (sample_data/baseline)."""
    book, _ = load_folder(sample_dir / BASELINE_FOLDER)
    book.source = "the sample book a year earlier"
    return book


@dataclass(frozen=True)
class Baseline:
    """An earlier snapshot of the book (DOMAIN.md section 7), prepared once when it is
    loaded or its date is set; assigned under each session's own settings."""

    book: Book
    prepared: Prepared
    how: str
    """"export" (an earlier export loaded beside the book) or "as_of" (the book's order
    lines at an earlier as-of date)."""

    @classmethod
    def of(cls, book: Book, how: str) -> Baseline:
        try:
            return cls(book, prepare(book), how)
        except Exception as exc:
            book.close()
            raise LoadError(
                f"the baseline could not be prepared ({type(exc).__name__}: {str(exc)[:200]})."
            ) from None

    def view(self) -> Baseline:
        """A session's own handle on a shared baseline (as Shared.session does)."""
        return Baseline(self.book.view(), _own(self.prepared), self.how)


@dataclass(frozen=True)
class Shared:
    """One book loaded once per process and read by every session that opens on it
    (the facilitator's book): its database, its prepared arrays (read-only) and the
    scenarios it comes with. Each session gets its own view (`session`)."""

    book: Book
    prepared: Prepared
    reading: Reading | None = None
    baseline: Baseline | None = None

    @classmethod
    def of(cls, book: Book, reading: Reading | None = None, baseline: Book | None = None) -> Shared:
        prepared = prepare(book)
        _freeze(prepared)
        base = None
        if baseline is not None:
            base = Baseline.of(baseline, "export")
            _freeze(base.prepared)
        return cls(book, prepared, reading, base)

    def session(self) -> Workspace:
        """A Workspace of its own on the shared book: its own cursor, its own memo of
        derived results and assignments, its own settings and scenarios."""
        ws = Workspace(self.book.view(), self.own_prepared())
        ws.settings = ws.defaults()
        if self.reading is not None:
            ws.add_scenarios(self.reading.scenarios, self.reading.current)
        if self.baseline is not None:
            ws.baseline = self.baseline.view()
        return ws

    def own_prepared(self) -> Prepared:
        return _own(self.prepared)


def _segmenting(settings: Settings) -> Settings:
    """The settings an assignment depends on: all but the follow-through's (the trend's
    months and the start day change what is shown, never a segment or a flag)."""
    return (
        replace(settings, follow=FollowThrough())
        if settings.follow != FollowThrough()
        else settings
    )


@dataclass
class Workspace:
    book: Book
    prepared: Prepared
    settings: Settings = field(default_factory=Settings)
    recompute: bool = False
    """Benchmark baseline only: redo the prepared state on every call (no reuse)."""
    scenarios: dict[str, Settings] = field(default_factory=dict)
    """Named scenarios of this session, in the order they were saved."""
    scenario: str | None = None
    """The scenario the current settings were saved as or switched to (None: unsaved)."""
    baseline: Baseline | None = None
    """An earlier snapshot of the book (the follow-through page), or None."""
    engine: Engine | None = None
    """This session's connection to a database (the Data page's "Connect"), or None."""
    _memo: OrderedDict[tuple[int, Settings], Assignment] = field(default_factory=OrderedDict)

    @classmethod
    def open(cls, book: Book, settings: Settings | None = None) -> Workspace:
        ws = cls(book, prepare(book))
        ws.settings = settings or ws.defaults()
        return ws

    @property
    def is_sample(self) -> bool:
        return self.book.source == "sample book"

    def defaults(self) -> Settings:
        """The default settings for this book: the sample book brings its own scorecard
        (its columns), any other book starts without one."""
        if self.is_sample:
            return replace(Settings(), scorecard=default_for_sample())
        return Settings()

    def replace_book(self, book: Book, prepared: Prepared | None = None) -> None:
        """Swap in a newly loaded book (`prepared`: already prepared, as a shared book
        is); the old one's database (or view) is closed. Settings stay, except the
        sample's own scorecard: a real book never inherits the sample's columns."""
        try:
            prepared = prepared or prepare(book)
        except Exception as exc:  # the previous book stays in use, untouched
            book.close()
            raise LoadError(
                f"the book could not be prepared ({type(exc).__name__}: {str(exc)[:200]})."
            ) from None
        old = self.book
        self.book, self.prepared = book, prepared
        self._memo.clear()
        self.set_baseline(None)  # an earlier state of another book means nothing here
        if not self.is_sample and self.settings.scorecard == default_for_sample():
            self.settings = replace(self.settings, scorecard=None)
        old.close()

    def set_engine(self, engine: Engine | None) -> None:
        """Use `engine` as this session's connection; the previous one is closed."""
        if self.engine is not None and self.engine is not engine:
            self.engine.close()
        self.engine = engine

    def release(self) -> None:
        """The session has ended: close its database connection and let go of the
        book, its baseline, the prepared arrays and every assignment, so that whatever
        still references this Workspace holds no data (Streamlit keeps the last session
        it served referenced until another connects). The books' databases close when
        they are collected."""
        self.set_engine(None)
        self.__dict__.clear()

    def computing_state(self) -> Prepared:
        """The prepared arrays a page computes from: the kept ones, or (benchmark baseline,
        `recompute`) prepared afresh from the book, so nothing derived is reused."""
        return prepare(self.book) if self.recompute else self.prepared

    KEPT_ASSIGNMENTS = 4
    """Assignments kept: the current settings and up to three compared scenarios."""

    def assignment(self, settings: Settings | None = None) -> Assignment:
        """assign(prepared, settings), memoised on the last few (book version, settings)."""
        settings = settings or self.settings
        if self.recompute:
            return assign(self.computing_state(), settings)
        key = (self.prepared.version, _segmenting(settings))
        hit = self._memo.get(key)
        if hit is None:
            hit = assign(self.prepared, settings)
            self._memo[key] = hit
            while len(self._memo) > self.KEPT_ASSIGNMENTS:
                self._memo.popitem(last=False)
        elif hit.settings != settings:
            # Only the follow-through knobs differ: the same assignment under the new
            # settings, sharing its arrays and everything derived from it (what the
            # follow-through derives is keyed by those knobs).
            hit = copy.copy(hit)
            hit.settings = settings
            self._memo[key] = hit
        self._memo.move_to_end(key)
        return hit

    # ------------------------------------------------------------ the baseline

    def set_baseline(self, book: Book | None, how: str = "export") -> None:
        """Use `book` as the baseline (prepared now; LoadError when it cannot be), or
        none; the previous one's database (or view) is closed."""
        new = None if book is None else Baseline.of(book, how)
        old, self.baseline = self.baseline, new
        if old is not None:
            old.book.close()

    def baseline_assignment(self, settings: Settings | None = None) -> Assignment | None:
        """The baseline assigned under `settings` (default: the current ones), memoised
        like `assignment`; None without a baseline."""
        if self.baseline is None:
            return None
        settings = settings or self.settings
        if self.recompute:
            return assign(prepare(self.baseline.book), settings)
        return self.baseline.prepared.memo(
            "baseline.assignment",
            _segmenting(settings),
            lambda: assign(self.baseline.prepared, settings),
        )

    def movement(self, settings: Settings | None = None) -> Movement | None:
        """From the baseline to now under `settings`, kept with today's assignment."""
        then = self.baseline_assignment(settings)
        if then is None:
            return None
        now = self.assignment(settings)
        return now.derive(
            f"follow.movement.{then.prepared.version}",
            lambda: followthrough.movement(now, then),
        )

    # ------------------------------------------------------------ named scenarios

    def save_scenario(self, name: str) -> str:
        """Keep the current settings under `name` (cleaned; an existing one is replaced);
        returns the name kept. ValueError when empty or when the list is full."""
        name = clean_name(name)
        if not name:
            raise ValueError("give the scenario a name")
        if name not in self.scenarios and len(self.scenarios) >= MAX_SCENARIOS:
            raise ValueError(f"a session keeps at most {MAX_SCENARIOS} scenarios: delete one")
        self.scenarios[name] = self.settings
        self.scenario = name
        return name

    def switch_scenario(self, name: str) -> None:
        """Make a saved scenario's settings the current ones."""
        self.settings = self.scenarios[name]
        self.scenario = name

    def delete_scenario(self, name: str) -> None:
        self.scenarios.pop(name, None)
        if self.scenario == name:
            self.scenario = None

    def add_scenarios(self, named: list[Named], current: str | None = None) -> None:
        """Scenarios read from a file join this session's (same name: replaced, up to
        MAX_SCENARIOS); the file's current one (else its first) becomes current."""
        for item in named:
            if item.name in self.scenarios or len(self.scenarios) < MAX_SCENARIOS:
                self.scenarios[item.name] = item.settings
        chosen = current if current in self.scenarios else named[0].name
        if chosen in self.scenarios:
            self.switch_scenario(chosen)

    @property
    def changed(self) -> bool:
        """The current settings differ from the scenario they came from."""
        return self.scenario is not None and self.scenarios.get(self.scenario) != self.settings

    def named(self) -> list[Named]:
        return [Named(n, s) for n, s in self.scenarios.items()]

    ON_SCREEN = "on screen"

    def to_keep(self) -> tuple[list[Named], str]:
        """The scenarios a session file keeps, and the current one: the saved ones, plus
        the settings on screen when they are not saved as they are."""
        named = self.named()
        if self.scenario is not None and not self.changed:
            return named, self.scenario
        label = self.ON_SCREEN
        while label in self.scenarios:
            label += "'"
        return [*named, Named(label, self.settings)], label
