"""About ALMS: what each page answers, where its rules are written down."""

from __future__ import annotations

import streamlit as st

st.title("About ALMS")
st.markdown(
    """
Sellers run out of hours long before they run out of accounts. ALMS shows where a
book's hours go, and where they should go:

- **Key accounts (Pareto)**: the few customers that hold most of the revenue.
- **Bands & programme**: an engagement programme per revenue band, and the hours it
  needs against the hours sellers spend.
- **Prospects**: the target, extra and lead lists against their limits.
- **Strategic scorecard**: weighted attributes; where "largest" and "strategic" disagree.
- **Where the hours go**: hours by segment against revenue by segment; key accounts at
  risk from neglect.
- **A-E matrix**: maintenance against revenue, and the return on time invested.
- **What-if**: move the hours that over-served accounts free up.
- **Follow-through**: did the hours move, month by month and since a baseline?
- **Scenarios** and **Presenter mode**: for a live workshop.

Every figure follows the written definitions in the project's `DOMAIN.md`, and
`alms summary` (the command line) gives the same figures as JSON. Your data stays in
this browser session: nothing is written to disk or shared with other sessions.
"""
)
