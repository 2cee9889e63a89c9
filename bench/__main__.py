"""``python -m bench [NAME...]``: run the benchmarks (all by default) and print their figures."""

from __future__ import annotations

import importlib
import sys

BENCHES = {
    "extract": "bench.extract_bench",
    "model": "bench.model_bench",
    "sanctions": "bench.sanctions",
    "report": "bench.report_bench",
    "serve": "bench.serve_bench",
    "processes": "bench.processes_bench",
    "batch": "bench.batch_bench",
}


def main(names: list[str]) -> int:
    for name in names or list(BENCHES):
        if name not in BENCHES:
            print(f"unknown benchmark {name!r}; known: {', '.join(BENCHES)}", file=sys.stderr)
            return 2
        try:
            module = importlib.import_module(BENCHES[name])
        except ModuleNotFoundError as exc:
            print(f"{name}: skipped ({exc})", file=sys.stderr)
            continue
        print(f"== {name}")
        module.run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
