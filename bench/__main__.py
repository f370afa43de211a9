"""Run every benchmark in BENCHMARKS, or those named on the command line."""

import importlib
import sys

# Module names under bench/, each with a main() that prints its BENCH lines.
BENCHMARKS: list[str] = ["redirect", "payouts", "dashboard", "load", "replica"]


def main(argv: list[str]) -> int:
    names = argv or BENCHMARKS
    if not names:
        print("BENCH none reason=no-benchmarks-yet")
        return 0
    for name in names:
        importlib.import_module(f"bench.{name}").main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
