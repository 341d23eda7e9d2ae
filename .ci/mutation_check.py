"""Check named mutants of a kept `.ci/mutation` folder against chosen tests (docs/testing.md).

    python .ci/mutation_check.py KEPT [--tests T ...] [--linked] [--exclude PREFIX ...] < names.txt

mutmut checks each mutant against every test its stats linked to the mutated function. This
script is for what comes after a run: new tests were written against the survivors, or a run was
too slow to finish. Each mutant named on standard input (one per line, as `mutmut results`
prints them) is run in its own forked process, with `MUTANT_UNDER_TEST` set, against `--tests`
(files or node ids, e.g. the new tests only) and, with `--linked`, the tests mutmut linked to its
function, fastest first, leaving out those under an `--exclude` prefix (e.g. slow subprocess
tests). `-x`: the first failing test kills it. Prints `killed NAME`, `survived NAME` or
`notests NAME`; nothing in mutmut's own state changes.

The tests run against KEPT/mutants (the tree of that run), so new test files must be copied there
first, and they must pass on its unmutated code. A sanity line checks that: a mutant name that
does not exist is run first and must survive, or the script stops.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("kept")
    parser.add_argument("--tests", nargs="*", default=[])
    parser.add_argument("--linked", action="store_true")
    parser.add_argument("--exclude", nargs="*", default=[])
    parser.add_argument("--timeout", type=int, default=120, help="seconds per mutant (counted as killed)")
    args = parser.parse_args()
    names = [line.split(":")[0].strip() for line in sys.stdin if line.strip()]
    os.chdir(os.path.join(args.kept, "mutants"))
    stats: dict[str, dict[str, object]] = {}
    if args.linked:
        with open("mutmut-stats.json", encoding="utf-8") as file:
            stats = json.load(file)
    by_function: dict[str, list[str]] = stats.get("tests_by_mangled_function_name", {})  # type: ignore[assignment]
    duration: dict[str, float] = stats.get("duration_by_test", {})  # type: ignore[assignment]
    source = os.path.abspath("src")
    sys.path.insert(0, source)
    os.environ["PYTHONPATH"] = source + os.pathsep + os.environ.get("PYTHONPATH", "")
    import pytest

    def run(name: str, tests: list[str]) -> bool:
        """Whether the tests pass with mutant `name` active (it survives)."""
        pid = os.fork()
        if pid == 0:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            os.environ["MUTANT_UNDER_TEST"] = name
            signal.alarm(args.timeout)
            code = pytest.main(["-x", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "--rootdir=.", *tests])
            os._exit(int(code))
        _, status = os.waitpid(pid, 0)
        return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0

    def tests_for(name: str) -> list[str]:
        function = name.rsplit("__mutmut_", 1)[0]
        linked = sorted((t for t in by_function.get(function, ()) if not t.startswith(tuple(args.exclude))),
                        key=lambda t: duration.get(t, 0.0)) if args.linked else []
        return [*args.tests, *linked]

    if names:
        sanity = names[0].rsplit("__mutmut_", 1)[0] + "__mutmut_999999"
        sanity_tests = tests_for(sanity)
        if sanity_tests and not run(sanity, sanity_tests):
            print(f"sanity check failed: the tests fail without a mutant ({sanity})", file=sys.stderr)
            return 2
    for name in names:
        tests = tests_for(name)
        if not tests:
            print("notests", name, flush=True)
            continue
        print("survived" if run(name, tests) else "killed", name, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
