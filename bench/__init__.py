"""Benchmarks: one `bench_<area>.py` per hot path, each measured against a baseline."""
