"""`make bench`: run every `bench/bench_*.py`, print its figures, append them to results.jsonl."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import pkgutil
import sys
from pathlib import Path

HERE = Path(__file__).parent


def main(only: list[str]) -> int:
    names = sorted(m.name for m in pkgutil.iter_modules([str(HERE)]) if m.name.startswith("bench_"))
    if only:
        names = [name for name in names if any(part in name for part in only)]
    run_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    with (HERE / "results.jsonl").open("a", encoding="utf-8") as out:
        for name in names:
            module = importlib.import_module(f"bench.{name}")
            for figure in module.main():
                line = json.dumps({"bench": name, "run_at": run_at, **figure})
                print(line, flush=True)
                out.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
