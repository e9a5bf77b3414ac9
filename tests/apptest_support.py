"""AppTest without its per-instance scan of installed packages.

Each new AppTest's first run scans every installed distribution for Streamlit
component manifests (`streamlit.components.v2.manifest_scanner`): ~1.5 s on this
project's environment, for a result that cannot change while the process runs (ALMS
ships no component). The suite opens ~100 AppTests, the rerun benchmark ~35; both scan
once per process instead.
"""

from __future__ import annotations

import functools


def scan_components_once() -> None:
    """Memoise Streamlit's component-manifest scan for the rest of this process."""
    from streamlit.components.v2 import manifest_scanner

    scan = manifest_scanner.scan_component_manifests
    if not hasattr(scan, "cache_info"):  # not memoised yet
        manifest_scanner.scan_component_manifests = functools.lru_cache(maxsize=None)(scan)
