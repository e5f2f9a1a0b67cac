"""Benchmarks: each prints its figure and the ratio to a reference measured in the same run.

Run them all with ``make bench`` (``python -m bench``); never part of the test suite.
"""
