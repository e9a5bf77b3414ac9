"""One user's working state: the Book, its prepared arrays, the current Settings.

The app keeps exactly one Workspace per browser session (in session state); nothing in
it is shared between sessions. `assignment()` is memoised on (book version, settings), so
a rerun with unchanged sliders costs nothing and a slider move costs one `assign`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from alms.analysis import Assignment, assign
from alms.prepared import Prepared, prepare
from alms.reading.book import Book, LoadError, Upload, load
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
    _memo: tuple[tuple[int, Settings], Assignment] | None = None

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
        self.book, self.prepared, self._memo = book, prepared, None
        if not self.is_sample and self.settings.scorecard == default_for_sample():
            self.settings = replace(self.settings, scorecard=None)
        old.close()

    def computing_state(self) -> Prepared:
        """The prepared arrays a page computes from: the kept ones, or (benchmark baseline,
        `recompute`) prepared afresh from the book, so nothing derived is reused."""
        return prepare(self.book) if self.recompute else self.prepared

    def assignment(self, settings: Settings | None = None) -> Assignment:
        """assign(prepared, settings), memoised on the last (book version, settings)."""
        settings = settings or self.settings
        if self.recompute:
            return assign(self.computing_state(), settings)
        key = (self.prepared.version, settings)
        if self._memo is None or self._memo[0] != key:
            self._memo = (key, assign(self.prepared, settings))
        return self._memo[1]
