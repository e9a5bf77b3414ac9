"""Small builders shared by the tests."""

from __future__ import annotations

from alms.reading.book import Book, Upload, load


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    """Dedented CSV text as bytes (leading newline and indentation removed)."""
    lines = [line.strip() for line in text.strip().splitlines()]
    return ("\n".join(lines) + "\n").encode(encoding)


def book_of(
    accounts: str | None, activities: str | None = None, orders: str | None = None, **kwargs
) -> Book:
    def up(name: str, text: str | None) -> Upload | None:
        return None if text is None else Upload(name, csv_bytes(text))

    return load(
        up("accounts.csv", accounts),
        up("activities.csv", activities),
        up("orders.csv", orders),
        **kwargs,
    )
