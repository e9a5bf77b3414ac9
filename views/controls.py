"""Controls several pages share (widgets only; the rules stay in alms)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from alms.pareto import Scope
from alms.prepared import Prepared
from alms.settings import Settings
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
