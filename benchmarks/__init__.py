"""Scale runs of ALMS (not part of the test suite): `python -m benchmarks.load [--quick]`."""
