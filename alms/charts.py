"""Plotly figure builders. Pure: data in, figure out; payloads bounded by construction.

No builder draws one mark per account: curves are decimated (alms.pareto.curve), bars
are per band, per seller or per rank bin.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from alms.pareto import Curve

KEY_COLOUR = "#1f5fae"
SECONDARY_COLOUR = "#9bb7d9"
REQUIRED_COLOUR = "#e07b39"
ACTUAL_COLOUR = "#1f5fae"
FONT = {"size": 16}


def _layout(fig: go.Figure, height: int = 460) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        font=FONT,
        plot_bgcolor="white",
        legend={"orientation": "h", "y": 1.08, "x": 0},
        hovermode="x unified",
    )
    return fig


def pareto(c: Curve, key_count: int, cutoff_label: str) -> go.Figure:
    """Revenue per rank bin (bars: key part dark) and the cumulative share line.

    The cut-off (after the last key customer) is marked on the line and as a
    vertical line with its label.
    """
    fig = go.Figure()
    if c.customers == 0:
        fig.add_annotation(text="No customers (revenue > 0) in this scope", showarrow=False)
        return _layout(fig)
    width = 1 / len(c.bins_x) if len(c.bins_x) else 1
    fig.add_bar(
        x=c.bins_x,
        y=c.bins_key,
        width=width,
        name="Key revenue",
        marker_color=KEY_COLOUR,
        hovertemplate="%{y:,.0f}<extra>key</extra>",
    )
    fig.add_bar(
        x=c.bins_x,
        y=c.bins_revenue - c.bins_key,
        width=width,
        name="Secondary revenue",
        marker_color=SECONDARY_COLOUR,
        hovertemplate="%{y:,.0f}<extra>secondary</extra>",
    )
    fig.add_scatter(
        x=c.x,
        y=c.y,
        yaxis="y2",
        name="Cumulative share of revenue",
        mode="lines",
        line={"color": "#111827", "width": 3},
        hovertemplate="%{x:.1%} of customers: %{y:.1%} of revenue<extra></extra>",
    )
    cut_x = key_count / c.customers
    cut_y = float(np.interp(cut_x, c.x, c.y))
    fig.add_vline(x=cut_x, line_dash="dash", line_color=REQUIRED_COLOUR, line_width=2)
    fig.add_scatter(
        x=[cut_x],
        y=[cut_y],
        yaxis="y2",
        mode="markers+text",
        name="Cut-off",
        marker={"size": 14, "color": REQUIRED_COLOUR},
        text=[f"{cut_x:.0%} hold {cut_y:.0%}"],
        textposition="middle right",
        textfont={"size": 18, "color": REQUIRED_COLOUR},
        showlegend=False,
        hovertemplate=f"{cutoff_label}<extra></extra>",
    )
    fig.update_layout(
        barmode="stack",
        xaxis={"title": "Share of customers (largest first)", "tickformat": ".0%", "range": [0, 1]},
        yaxis={"title": "Revenue per rank bin", "showgrid": False},
        yaxis2={
            "title": "Cumulative share",
            "overlaying": "y",
            "side": "right",
            "tickformat": ".0%",
            "range": [0, 1.02],
            "dtick": 0.2,
            "gridcolor": "#e5e7eb",
        },
    )
    return _layout(fig)


def required_vs_actual(
    labels: list[str], required: np.ndarray, actual: np.ndarray, title: str, height: int = 420
) -> go.Figure:
    """Grouped bars: hours the programme requires against hours actually spent."""
    fig = go.Figure()
    fig.add_bar(
        x=labels,
        y=required,
        name="Required by the programme",
        marker_color=REQUIRED_COLOUR,
        hovertemplate="%{y:,.0f} h<extra>required</extra>",
    )
    fig.add_bar(
        x=labels,
        y=actual,
        name="Actually spent (12 months)",
        marker_color=ACTUAL_COLOUR,
        hovertemplate="%{y:,.0f} h<extra>actual</extra>",
    )
    fig.update_layout(barmode="group", yaxis={"title": "Hours per year"}, title=title)
    return _layout(fig, height)


def capacity(
    sellers: list[str], required: np.ndarray, actual: np.ndarray, capacity_hours: float
) -> go.Figure:
    """Per seller: required and actual hours against the capacity line."""
    fig = required_vs_actual(sellers, required, actual, "Per seller: programme vs capacity", 440)
    fig.add_hline(
        y=capacity_hours,
        line_dash="dash",
        line_color="#b91c1c",
        line_width=2,
        annotation_text=f"capacity {capacity_hours:,.0f} h",
        annotation_position="top left",
    )
    return fig


def limits(
    sellers: list[str], counts: dict[str, np.ndarray], ranges: dict[str, tuple[int, int]]
) -> go.Figure:
    """Per seller and list: the count, with the allowed range shaded."""
    fig = go.Figure()
    colours = {"target": KEY_COLOUR, "extra": SECONDARY_COLOUR, "lead": REQUIRED_COLOUR}
    for name, values in counts.items():
        lo, hi = ranges[name]
        fig.add_bar(
            x=sellers,
            y=values,
            name=f"{name} ({lo}-{hi})" if lo else f"{name} (max {hi})",
            marker_color=colours.get(name, "#888"),
        )
    fig.update_layout(barmode="group", yaxis={"title": "Accounts on the list"})
    return _layout(fig, 420)
