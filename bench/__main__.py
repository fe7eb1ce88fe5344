"""`make bench`: run every `bench/bench_*.py`, append its figures to bench/results.jsonl.

`python -m bench minutes mail` runs only those. Each bench runs in an
interpreter of its own, as pyperf runs its workers: a figure must not depend
on what the benches before it left in memory (caches, the heap of a
50,000-person directory), which cost a later bench up to a fifth of its speed.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
STAMP = "BENCH_STAMP"  # one time for every figure of a run, however many processes


def run(names: list[str]) -> int:
    known = [path.stem.removeprefix("bench_") for path in sorted(HERE.glob("bench_*.py"))]
    unknown = sorted(set(names) - set(known))
    if unknown:
        print(f"no such bench: {', '.join(unknown)}; there are {', '.join(known)}")
        return 2
    chosen = [name for name in known if not names or name in names]
    stamp = os.environ.get(STAMP) or dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    if len(chosen) > 1:
        for name in chosen:
            command = [sys.executable, "-m", "bench", name]
            done = subprocess.run(command, env={**os.environ, STAMP: stamp}, check=False)
            if done.returncode:
                return done.returncode
        return 0
    [name] = chosen
    module = importlib.import_module(f"bench.bench_{name}")
    for figure in module.main():
        line = json.dumps({"at": stamp, "bench": f"bench_{name}", **figure})
        print(line, flush=True)
        with (HERE / "results.jsonl").open("a", encoding="utf-8") as out:
            out.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
