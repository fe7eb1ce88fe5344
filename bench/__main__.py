"""`python -m bench`: run every bench/bench_*.py, print and append its figures to results.jsonl."""

from __future__ import annotations

import importlib
import json
import pkgutil
import time
from pathlib import Path

HERE = Path(__file__).parent


def main() -> None:
    results = HERE / "results.jsonl"
    for module in sorted(m.name for m in pkgutil.iter_modules([str(HERE)])):
        if not module.startswith("bench_"):
            continue
        figures = importlib.import_module(f"bench.{module}").main()
        with results.open("a", encoding="utf-8") as out:
            for figure in figures:
                line = json.dumps({"bench": module, "at": time.time(), **figure})
                out.write(line + "\n")
                print(line)


if __name__ == "__main__":
    main()
