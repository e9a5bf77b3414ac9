"""`python -m benchmarks [--quick]`: the page rerun benchmark (see benchmarks/reruns.py)."""

from benchmarks.reruns import main

main()
