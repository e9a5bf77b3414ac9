"""Test settings: hypothesis explores new examples on developer machines; CI replays a
fixed, derandomised set so that a run is reproducible (set HYPOTHESIS_PROFILE=thorough
for a long exploration)."""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("thorough", max_examples=600, deadline=None)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "default")
)
