"""Benchmarks: `python -m bench` runs every `bench_*.py` and appends to results.jsonl."""
