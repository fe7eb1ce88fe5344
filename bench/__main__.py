"""`make bench`: run every `bench/bench_*.py`, append its figures to bench/results.jsonl."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).parent


def run(names: list[str]) -> int:
    results = HERE / "results.jsonl"
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    for path in sorted(HERE.glob("bench_*.py")):
        if names and path.stem.removeprefix("bench_") not in names:
            continue
        module = importlib.import_module(f"bench.{path.stem}")
        for figure in module.main():
            line = json.dumps({"at": stamp, "bench": path.stem, **figure})
            print(line, flush=True)
            with results.open("a", encoding="utf-8") as out:
                out.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
