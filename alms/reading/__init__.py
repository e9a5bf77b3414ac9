"""Bytes -> a checked Book: the reading half of ALMS.

schema (fields and the header synonyms of real exports), readers (CSV, workbooks,
Parquet -> text tables), parsing (money, numbers, dates, minutes, flags), ingest (every
row accepted or rejected with its reason), book (the session's hardened in-memory
DuckDB). The other half, Book + Settings -> answers, reads only the Book.
"""
