"""Test settings: hypothesis explores new examples on developer machines; CI replays a
fixed, derandomised set so that a run is reproducible (set HYPOTHESIS_PROFILE=thorough
for a long exploration)."""

import os

from hypothesis import settings

from tests.apptest_support import scan_components_once

scan_components_once()  # ~1.5 s per AppTest otherwise

# No deadline anywhere: a per-example time limit is a timed assertion, and fails on a
# busy machine (a first example that pays the imports) rather than on a wrong result.
settings.register_profile("dev", deadline=None)
settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None)
settings.register_profile("thorough", max_examples=600, deadline=None)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)
