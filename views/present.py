"""Presenter mode: the story of the articles, one headline and one chart per step, in large
type for a projector. Page Down / Page Up (a presentation clicker) or the arrow keys walk
it; the buttons and the step picker need no keyboard. The address carries the step."""

from __future__ import annotations

from html import escape

import streamlit as st

from alms import story
from views import common

st.set_page_config(initial_sidebar_state="collapsed")
ws = common.workspace()
result = ws.assignment()
STEPS = story.STEPS
KEYS = [s.key for s in STEPS]
PAGE_OF = {
    "pareto": "views/pareto.py",
    "bands": "views/bands.py",
    "scorecard": "views/scorecard.py",
    "time": "views/timeuse.py",
    "at_risk": "views/timeuse.py",
    "matrix": "views/matrix.py",
    "what_if": "views/whatif.py",
    "follow": "views/followthrough.py",
}
"""The page that holds each step's controls ("open the page")."""
STATE = "present.step"
FONT = 22

if STATE not in st.session_state:  # a link opens on its step
    asked = st.query_params.get(common.STEP_PARAM, "")
    st.session_state[STATE] = KEYS.index(asked) if asked in KEYS else 0


def show(index: int) -> None:
    """Step `index` (0-based) from the next run on. The address follows here, in the
    callback, so that the sidebar's share link (drawn before this page) has it too."""
    st.session_state[STATE] = index
    st.query_params[common.STEP_PARAM] = KEYS[index]


def go(delta: int) -> None:
    show(min(max(st.session_state[STATE] + delta, 0), len(STEPS) - 1))


def pick() -> None:
    chosen = st.session_state.get("present.pick")
    if chosen is not None:
        show(chosen - 1)


index = st.session_state[STATE]
step = STEPS[index]
st.session_state["present.pick"] = index + 1
st.query_params[common.STEP_PARAM] = step.key
st.html(
    f"""<style>
    .stMainBlockContainer {{ max-width: 1500px; padding-top: 4.5rem; }}
    .stMainBlockContainer p, .stMainBlockContainer li {{ font-size: {FONT}px; }}
    .alms-step {{ font-size: 20px; color: #4b5563; letter-spacing: .02em; }}
    .alms-headline {{ font-size: 42px; font-weight: 700; line-height: 1.2; margin: .2em 0 .3em; }}
    </style>"""
)
# ---------------------------------------------------------------- the walk
# First on the page: the buttons that carry the shortcuts are live as soon as a step
# starts to draw, so a second press of the clicker is not lost while the chart builds.
nav = st.columns([1.7, 0.5, 4, 0.5, 1.7], vertical_alignment="center")
nav[0].button(
    "Previous",
    icon=":material/arrow_back:",
    on_click=go,
    args=(-1,),
    disabled=index == 0,
    shortcut="PageUp",
    width="stretch",
    key="present.prev",
)
nav[1].button(
    "",
    icon=":material/chevron_left:",
    on_click=go,
    args=(-1,),
    disabled=index == 0,
    shortcut="Left",
    type="tertiary",
    key="present.left",
    help="Left arrow",
)
nav[2].segmented_control(
    "Step",
    list(range(1, len(STEPS) + 1)),
    format_func=lambda i: f"{i}",
    key="present.pick",
    on_change=pick,
    label_visibility="collapsed",
    width="stretch",
)
nav[3].button(
    "",
    icon=":material/chevron_right:",
    on_click=go,
    args=(1,),
    disabled=index == len(STEPS) - 1,
    shortcut="Right",
    type="tertiary",
    key="present.right",
    help="Right arrow",
)
nav[4].button(
    "Next",
    icon=":material/arrow_forward:",
    icon_position="right",
    on_click=go,
    args=(1,),
    disabled=index == len(STEPS) - 1,
    shortcut="PageDown",
    type="primary",
    width="stretch",
    key="present.next",
)
slide = step.build(result)
scenario = f" · scenario “{ws.scenario}”" if ws.scenario else ""
st.html(
    f'<div class="alms-step">Step {index + 1} of {len(STEPS)} · {escape(step.title)}'
    f"{escape(scenario)}</div>"
    f'<div class="alms-headline">{escape(slide.headline)}</div>'
)
body = st.columns([3, 1]) if slide.points else [st.container()]
if slide.figure is not None:
    # The headline says what the chart's title would. Sizes are set per part: the
    # Streamlit chart theme sets the axes' own, which a figure-wide font does not reach.
    big = {"size": FONT}
    axis = {"tickfont": {"size": FONT - 4}, "title": {"font": big}, "automargin": True}
    slide.figure.update_layout(
        font=big, legend={"font": big}, hoverlabel={"font": big}, height=540, title_text=""
    )
    slide.figure.update_xaxes(**axis)
    slide.figure.update_yaxes(**axis)
    body[0].plotly_chart(slide.figure, width="stretch", config={"displayModeBar": False})
if slide.points:
    body[-1].markdown("\n".join(f"- {p}" for p in slide.points))
    body[-1].page_link(PAGE_OF[step.key], label="Open the page", icon=":material/open_in_new:")

st.caption(
    "Page Down / Page Up or the arrow keys (a clicker works), or click. The sidebar "
    "(top left) holds the scenario; the address bar links to this step."
)
