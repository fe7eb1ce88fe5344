"""Run every `bench/bench_*.py`, print its figures and append them to bench/results.jsonl."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import pkgutil
from pathlib import Path

HERE = Path(__file__).parent


def main() -> None:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with (HERE / "results.jsonl").open("a", encoding="utf-8") as out:
        for module in sorted(m.name for m in pkgutil.iter_modules([str(HERE)])):
            if not module.startswith("bench_"):
                continue
            for figure in importlib.import_module(f"bench.{module}").main():
                line = json.dumps({"at": stamp, "bench": module, **figure}, ensure_ascii=False)
                print(line)
                out.write(line + "\n")


if __name__ == "__main__":
    main()
