"""Canonical fields of the three input tables and the header synonyms of real exports.

A header is matched after normalisation (`normalise_header`): lower case, every run of
non-alphanumeric characters folded to one space, so "Account_Owner", "account owner" and
"ACCOUNT-OWNER" all read "account owner". Synonyms are tried in the order of the fields
below; the first field whose synonym list holds the header wins, and a header maps to one
field at most.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """How a field's text is parsed."""

    ID = "id"  # trimmed text, never a number: "00123" and "123" are two accounts
    TEXT = "text"
    MONEY = "money"  # exact decimal, currency symbols and thousands separators removed
    NUMBER = "number"  # a plain number (float); "45 %" reads 45
    DATE = "date"
    MINUTES = "minutes"  # a non-negative number of minutes
    FLAG = "flag"  # yes/no, true/false, 1/0, x


class Table(StrEnum):
    ACCOUNTS = "accounts"
    ACTIVITIES = "activities"
    ORDERS = "orders"


@dataclass(frozen=True)
class Field:
    """One canonical column. `required` fields reject a row when blank."""

    name: str
    kind: Kind
    label: str
    synonyms: tuple[str, ...]
    required: bool = False
    help: str = ""


def normalise_header(header: str) -> str:
    """Lower-case a header and fold punctuation/underscores/spaces into single spaces."""
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", str(header).strip())  # ActivityDate
    text = re.sub(r"[^0-9a-z]+", " ", text.lower())
    return text.strip()


_ACCOUNTS: tuple[Field, ...] = (
    Field(
        "account_id",
        Kind.ID,
        "Account id",
        (
            "account id",
            "accountid",
            "account number",
            "account no",
            "account code",
            "id",
            "record id",
            "company id",
            "customer id",
            "customerid",
            "customer number",
            "customer no",
            "customer code",
            "client id",
            "account",
            "sfdc id",
            "salesforce id",
        ),
        required=True,
        help="Stable key. When the file has no id column, the account name is the key.",
    ),
    Field(
        "account_name",
        Kind.TEXT,
        "Account name",
        (
            "account name",
            "name",
            "company name",
            "company",
            "customer name",
            "customer",
            "client name",
            "client",
            "organization",
            "organisation",
            "organization name",
            "organisation name",
        ),
    ),
    Field(
        "owner",
        Kind.TEXT,
        "Owner (seller)",
        (
            "account owner",
            "owner",
            "company owner",
            "account owner name",
            "owner name",
            "owner full name",
            "hubspot owner",
            "seller",
            "sales rep",
            "salesperson",
            "sales person",
            "rep",
            "account manager",
            "account executive",
            "assigned to",
            "sales owner",
            "account owner full name",
            "owner id",
            "ownerid",
            "account owner id",
            "hubspot owner id",
        ),
        help='Blank or absent: "Unassigned" (a warning, not a reject).',
    ),
    Field(
        "status",
        Kind.TEXT,
        "Status",
        (
            "status",
            "lifecycle stage",
            "account status",
            "account type",
            "type",
            "customer type",
            "relationship",
            "relationship type",
            "stage",
        ),
        help="customer / prospect / lead; blank means customer when revenue > 0.",
    ),
    Field(
        "revenue",
        Kind.MONEY,
        "Revenue (trailing 12 months)",
        (
            "revenue",
            "revenue ttm",
            "ttm revenue",
            "revenue 12m",
            "revenue ltm",
            "ltm revenue",
            "trailing 12 month revenue",
            "annual revenue",
            "total revenue",
            "sales",
            "sales ttm",
            "net sales",
            "turnover",
            "revenue current year",
            "current year revenue",
        ),
    ),
    Field(
        "prior_revenue",
        Kind.MONEY,
        "Prior revenue (12 months before)",
        (
            "prior revenue",
            "prior year revenue",
            "previous revenue",
            "previous year revenue",
            "last year revenue",
            "revenue prior year",
            "revenue py",
            "revenue previous year",
            "revenue last year",
            "py revenue",
            "prior sales",
        ),
    ),
    Field(
        "potential",
        Kind.MONEY,
        "Potential (wallet)",
        (
            "potential",
            "wallet",
            "wallet potential",
            "wallet size",
            "potential revenue",
            "revenue potential",
            "spend potential",
            "spending potential",
            "estimated spend",
            "estimated annual spend",
            "total addressable spend",
        ),
    ),
    Field("industry", Kind.TEXT, "Industry", ("industry", "sector", "vertical", "segment")),
    Field(
        "region",
        Kind.TEXT,
        "Region",
        ("region", "territory", "sales region", "area", "country region", "country", "market"),
    ),
    Field(
        "prospect_list",
        Kind.TEXT,
        "Prospect list (target / extra / lead)",
        ("prospect list", "prospect tier", "list", "list tier", "prospect type", "tier"),
    ),
    Field(
        "never_prospect",
        Kind.FLAG,
        "Never prospect",
        ("never prospect", "do not prospect", "do not call", "do not contact", "excluded"),
    ),
    Field(
        "margin",
        Kind.NUMBER,
        "Margin %",
        ("margin", "gross margin", "gross margin pct", "margin pct", "profitability"),
    ),
    Field(
        "share_of_wallet",
        Kind.NUMBER,
        "Share of wallet %",
        ("share of wallet", "share of wallet pct", "sow", "wallet share"),
    ),
    Field(
        "exec_access",
        Kind.NUMBER,
        "Executive access",
        ("executive access", "exec access", "access to executives"),
    ),
    Field(
        "dm_access",
        Kind.NUMBER,
        "Decision-maker access",
        (
            "decision maker access",
            "dm access",
            "access to decision maker",
            "access to decision makers",
        ),
    ),
    Field("product_fit", Kind.NUMBER, "Product fit", ("product fit", "fit", "solution fit")),
    Field(
        "strategic_fit",
        Kind.NUMBER,
        "Strategic fit",
        ("strategic fit", "cultural fit", "culture fit", "strategic value"),
    ),
)

_ACTIVITIES: tuple[Field, ...] = (
    Field(
        "account_id",
        Kind.ID,
        "Account id",
        (
            "account id",
            "accountid",
            "account",
            "account number",
            "what id",
            "whatid",
            "related to id",
            "company id",
            "associated company id",
            "associated company ids",
            "customer id",
            "customer number",
            "regarding",
            "account name",
            "company name",
            "company",
            "customer",
        ),
        required=True,
    ),
    Field(
        "seller",
        Kind.TEXT,
        "Seller",
        (
            "seller",
            "assigned to",
            "activity owner",
            "owner",
            "owner name",
            "assigned to name",
            "activity assigned to",
            "hubspot owner",
            "sales rep",
            "rep",
            "user",
            "created by",
            "owner id",
            "ownerid",
            "assigned to id",
            "activity owner id",
        ),
        help="Blank: the account's owner.",
    ),
    Field(
        "date",
        Kind.DATE,
        "Date",
        (
            "activity date",
            "activitydate",
            "date",
            "activity datetime",
            "activity timestamp",
            "timestamp",
            "due date",
            "completed date",
            "completion date",
            "start date",
            "activity date time",
            "start date time",
            "start datetime",
            "created date",
            "create date",
            "activity created date",
            "engagement date",
        ),
        required=True,
    ),
    Field(
        "type",
        Kind.TEXT,
        "Type",
        (
            "type",
            "activity type",
            "task subtype",
            "tasksubtype",
            "subtype",
            "event subtype",
            "engagement type",
            "channel",
            "activity",
        ),
    ),
    Field(
        "duration_minutes",
        Kind.MINUTES,
        "Duration (minutes)",
        (
            "duration minutes",
            "durationinminutes",
            "duration in minutes",
            "duration",
            "minutes",
            "call duration",
            "duration min",
            "call duration minutes",
            "time spent minutes",
            "time spent",
        ),
        help="Blank: the default minutes of the activity's type.",
    ),
)

_ORDERS: tuple[Field, ...] = (
    Field(
        "account_id",
        Kind.ID,
        "Account id",
        (
            "account id",
            "customer id",
            "customerid",
            "customer number",
            "customer no",
            "customer code",
            "client id",
            "account number",
            "account",
            "sold to",
            "sold to party",
            "bill to",
            "company id",
        ),
        required=True,
        help="When the file has no id column, the account name is the key.",
    ),
    Field(
        "account_name",
        Kind.TEXT,
        "Account name",
        (
            "account name",
            "customer name",
            "customername",
            "company name",
            "customer",
            "company",
            "name",
        ),
    ),
    Field(
        "date",
        Kind.DATE,
        "Date",
        (
            "order date",
            "orderdate",
            "invoice date",
            "invoicedate",
            "date",
            "posting date",
            "document date",
            "billing date",
            "transaction date",
            "close date",
            "created date",
        ),
        required=True,
    ),
    Field(
        "amount",
        Kind.MONEY,
        "Amount",
        (
            "amount",
            "net amount",
            "line amount",
            "line total",
            "total",
            "sales",
            "revenue",
            "value",
            "net value",
            "net sales",
            "extended price",
            "extended amount",
            "total amount",
            "order amount",
            "invoice amount",
        ),
        required=True,
        help="Negative for credit notes. Absent: quantity x unit price.",
    ),
    Field("quantity", Kind.NUMBER, "Quantity", ("quantity", "qty", "quantity ordered", "units")),
    Field(
        "unit_price",
        Kind.MONEY,
        "Unit price",
        ("unit price", "unitprice", "price", "price each", "priceeach", "sales price"),
    ),
    Field(
        "owner",
        Kind.TEXT,
        "Owner (seller)",
        ("owner", "account owner", "sales rep", "salesperson", "seller", "rep", "sales person"),
    ),
)

FIELDS: dict[Table, tuple[Field, ...]] = {
    Table.ACCOUNTS: _ACCOUNTS,
    Table.ACTIVITIES: _ACTIVITIES,
    Table.ORDERS: _ORDERS,
}


def field(table: Table, name: str) -> Field:
    """The canonical field `name` of `table`; KeyError when there is none."""
    for f in FIELDS[table]:
        if f.name == name:
            return f
    raise KeyError(f"{table.value} has no field {name!r}")


def propose_mapping(table: Table, headers: list[str]) -> dict[str, str]:
    """Map canonical field name -> file header, from the synonym table.

    Exact synonym matches win over the looser pass, which accepts a header that ends
    with a synonym ("Billing Region" -> region). Each header serves one field at most.
    """
    normal = {h: normalise_header(h) for h in headers}
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for exact in (True, False):
        for f in FIELDS[table]:
            if f.name in mapping:
                continue
            for syn in f.synonyms:
                hit = next(
                    (
                        h
                        for h in headers
                        if h not in used
                        and (
                            normal[h] == syn
                            or (not exact and len(syn) > 3 and normal[h].endswith(" " + syn))
                        )
                    ),
                    None,
                )
                if hit is not None:
                    mapping[f.name] = hit
                    used.add(hit)
                    break
    return mapping
