"""One user's working state: the Book, its prepared arrays, the current Settings.

The app keeps exactly one Workspace per browser session (in session state); nothing in
it is shared between sessions. `assignment()` is memoised on (book version, settings), so
a rerun with unchanged sliders costs nothing and a slider move costs one `assign`; the
last few settings are kept, so switching between compared scenarios is free too.

Named scenarios: the facilitator keeps several Settings under names ("today", "strict
programme"); `scenario` is the name the current settings came from (None: unsaved).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field, replace
from pathlib import Path

from alms.analysis import Assignment, assign
from alms.prepared import Prepared, prepare
from alms.reading.book import Book, LoadError, Upload, load
from alms.scenarios import MAX_SCENARIOS, Named, clean_name
from alms.scorecard import default_for_sample
from alms.settings import Settings

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

    def replace_book(self, book: Book) -> None:
        """Swap in a newly loaded book; the old one's database is closed. Settings stay,
        except the sample's own scorecard: a real book never inherits the sample's
        columns."""
        try:
            prepared = prepare(book)
        except Exception as exc:  # the previous book stays in use, untouched
            book.close()
            raise LoadError(
                f"the book could not be prepared ({type(exc).__name__}: {str(exc)[:200]})."
            ) from None
        old = self.book
        self.book, self.prepared = book, prepared
        self._memo.clear()
        if not self.is_sample and self.settings.scorecard == default_for_sample():
            self.settings = replace(self.settings, scorecard=None)
        old.close()

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
        key = (self.prepared.version, settings)
        hit = self._memo.get(key)
        if hit is None:
            hit = assign(self.prepared, settings)
            self._memo[key] = hit
            while len(self._memo) > self.KEPT_ASSIGNMENTS:
                self._memo.popitem(last=False)
        self._memo.move_to_end(key)
        return hit

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
