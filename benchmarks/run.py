"""Speed and memory of whole `yb` calls, as ratios to baselines measured in the same run.

    python -m benchmarks.run                  # the shipped base, then synthetic archives of 1k, 10k, 100k facts
    python -m benchmarks.run --quick          # the shipped base only
    python -m benchmarks.run --million        # also 1,000,000 facts (slow: minutes, gigabytes)
    python -m benchmarks.run --runs 31 --sizes 1000,10000
    python -m benchmarks.run --no-shipped --sizes 1000000  # only the largest archive

Each command runs as its own process, as a user or a shell loop runs it; wall time is
the median of --runs runs and peak memory the median of their peak resident sizes
(ru_maxrss from wait4). The machines are shared and noisy, so the shipped-base
targets are ratios to `python -c "import typer"` (and, for the Rich table, to
`python -c "import typer, rich.console, rich.table"`), measured in the same run,
interleaved with the commands. Synthetic archives come from benchmarks/synth.py;
their first call builds the index (reported separately), later calls use it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
from benchmarks.synth import generate

TARGET_RATIO = 1.3
TYPER = ("import typer", [sys.executable, "-c", "import typer"])
TYPER_RICH = ("import typer, rich.console, rich.table", [sys.executable, "-c", "import typer, rich.console, rich.table"])


def yb_command() -> list[str]:
    script = Path(sys.executable).parent / "yb"
    return [str(script)] if script.exists() else [sys.executable, "-m", "yanbian_cli"]


def measure(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(wall seconds, peak resident MB, exit code) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def medians(commands: list[tuple[str, list[str]]], env: dict[str, str], runs: int) -> dict[str, tuple[float, float]]:
    """Median wall (ms) and peak memory (MB) of each command, the runs interleaved round-robin."""
    walls: dict[str, list[float]] = {name: [] for name, _ in commands}
    peaks: dict[str, list[float]] = {name: [] for name, _ in commands}
    for _ in range(runs):
        for name, cmd in commands:
            wall, peak, code = measure(cmd, env)
            if code not in (0, 1):
                raise SystemExit(f"{name!r} failed with exit code {code}")
            walls[name].append(wall * 1000)
            peaks[name].append(peak)
    return {name: (statistics.median(walls[name]), statistics.median(peaks[name])) for name, _ in commands}


def shipped(runs: int, env: dict[str, str]) -> bool:
    yb = yb_command()
    cases = [
        ("yb stat ginseng-area --json", yb + ["stat", "ginseng-area", "--json"], TYPER[0]),
        ("yb search 蓝莓 --json", yb + ["search", "蓝莓", "--json"], TYPER[0]),
        ("yb search 蓝莓", yb + ["search", "蓝莓"], TYPER_RICH[0]),
    ]
    for _, cmd, _ in cases:  # the first call builds the index; not what is measured here
        measure(cmd, env)
    results = medians([TYPER[:2], TYPER_RICH[:2]] + [(name, cmd) for name, cmd, _ in cases], env, runs)
    print(f"Shipped base: median of {runs} runs; ratio = command / baseline, target <= {TARGET_RATIO}")
    print(f"| {'command':<50} | {'wall ms':>8} | {'ratio':>5} | {'peak MB':>8} | {'ratio':>5} | {'baseline':<40} |")
    print(f"|{'-' * 52}|{'-' * 10}|{'-' * 7}|{'-' * 10}|{'-' * 7}|{'-' * 42}|")
    ok = True
    for name in (TYPER[0], TYPER_RICH[0]):
        wall, peak = results[name]
        print(f"| {'python -c ' + repr(name):<50} | {wall:>8.1f} | {'':>5} | {peak:>8.1f} | {'':>5} | {'(baseline)':<40} |")
    for name, _, base in cases:
        wall, peak = results[name]
        bwall, bpeak = results[base]
        rw, rp = wall / bwall, peak / bpeak
        ok = ok and rw <= TARGET_RATIO and rp <= TARGET_RATIO
        print(f"| {name:<50} | {wall:>8.1f} | {rw:>5.2f} | {peak:>8.1f} | {rp:>5.2f} | {base:<40} |")
    print(f"targets met: {'yes' if ok else 'NO'}\n")
    return ok


def freshness(facts: Path, env: dict[str, str]) -> float:
    """Milliseconds one process spends finding the index current (every source file stat-ed), measured
    inside it: the part of every call that grows with the number of files."""
    code = ("import os, sys, time; from pathlib import Path; from yanbian_cli.store import cache; "
            "t = time.perf_counter(); store = cache.open_cached(Path(sys.argv[1]), os.environ); "
            "print((time.perf_counter() - t) * 1000 if store is not None else 'stale')")
    out = subprocess.run([sys.executable, "-c", code, str(facts)], env=env, capture_output=True, text=True,
                         check=True).stdout.strip()
    if out == "stale":
        raise SystemExit(f"the index of {facts} is not current after the calls that built it")
    return float(out)


def archive(sizes: list[int], runs: int, env: dict[str, str], work: Path) -> bool:
    yb = yb_command()
    print(f"Synthetic archives (benchmarks/synth.py); queries: median of {runs} runs")
    print(f"| {'facts':>9} | {'base MB':>12} | {'build s':>8} | {'build peak MB':>13} | {'cache MB':>8} | "
          f"{'query':<34} | {'wall ms':>8} | {'peak MB':>8} |")
    print(f"|{'-' * 11}|{'-' * 14}|{'-' * 10}|{'-' * 15}|{'-' * 10}|{'-' * 36}|{'-' * 10}|{'-' * 10}|")
    ok = True
    for n in sizes:
        folder = work / f"archive-{n}"
        facts = generate(n, folder)
        size_mb = sum(p.stat().st_size for p in folder.rglob("*.toml")) / 2**20  # the fact file and the articles
        data = ["--data", str(facts)]
        build_env = {**env, "XDG_CACHE_HOME": str(work / f"cache-{n}")}
        wall, peak, code = measure(yb + ["search", "人参", "--json", *data], build_env)
        if code not in (0, 1):
            raise SystemExit(f"building the index of {n} facts failed with exit code {code}")
        cache = sum(p.stat().st_size for p in (work / f"cache-{n}").rglob("*.sqlite")) / 2**20
        queries = [
            ("search 人参 面积 --json", yb + ["search", "人参", "面积", "--json", *data]),
            ("search 延吉 空气优良天数", yb + ["search", "延吉", "空气优良天数", *data]),
            ("search renshen chanzhi --json", yb + ["search", "renshen", "chanzhi", "--json", *data]),
            ("search ginseng procesing --json", yb + ["search", "ginseng", "procesing", "--json", *data]),
            ("stat ecology-0000002 --json (exact id)", yb + ["stat", "ecology-0000002", "--json", *data]),
            ("source a000001 --json", yb + ["source", "a000001", "--json", *data]),
            ("list --article a000001 --json", yb + ["list", "--article", "a000001", "--json", *data]),
        ]
        results = medians(queries, build_env, runs)
        for i, (name, _) in enumerate(queries):
            qwall, qpeak = results[name]
            head = (f"| {n:>9,} | {size_mb:>12.1f} | {wall:>8.1f} | {peak:>13.0f} | {cache:>8.1f} |" if i == 0 else
                    f"| {'':>9} | {'':>12} | {'':>8} | {'':>13} | {'':>8} |")
            print(f"{head} {name:<34} | {qwall:>8.1f} | {qpeak:>8.1f} |")
            if n == 100_000:
                ok = ok and qwall < 150 and qpeak < 200
        fresh = statistics.median(freshness(facts, build_env) for _ in range(runs))
        print(f"| {'':>9} | {'':>12} | {'':>8} | {'':>13} | {'':>8} | {'freshness check alone (in-process)':<34} "
              f"| {fresh:>8.1f} | {'':>8} |")
        # one article edited: the next call (which brings the index up to date), then the one after
        edited = next(folder.glob("articles/**/a000001.toml"))
        edited.write_text(edited.read_text(encoding="utf-8").replace("综述", "综述(修订)", 1), encoding="utf-8")
        for what in ("after editing one article: next call", "... the call after"):
            ewall, epeak, _ = measure(yb + ["search", "人参", "面积", "--json", *data], build_env)
            print(f"| {'':>9} | {'':>12} | {'':>8} | {'':>13} | {'':>8} | {what:<34} | {ewall * 1000:>8.1f} | {epeak:>8.1f} |")
        if n == 100_000:
            ok = ok and wall < 60
    print("targets at 100,000 facts (build < 60 s; queries < 150 ms and < 200 MB): "
          f"{'met' if ok else 'NOT met'}" if 100_000 in sizes else "")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--quick", action="store_true", help="the shipped base only")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--million", action="store_true", help="also 1,000,000 facts")
    parser.add_argument("--no-shipped", action="store_true", help="skip the shipped base (archives only)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="yb-bench-") as tmp:
        work = Path(tmp)
        env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache"), "COLUMNS": "100"}
        env.pop("YB_DATA", None)
        print(f"yb: {' '.join(yb_command())}; Python {sys.version.split()[0]}; {os.cpu_count()} CPUs\n")
        ok = True if args.no_shipped else shipped(args.runs, env)
        if not args.quick:
            sizes = [int(s) for s in args.sizes.split(",") if s]
            if args.million:
                sizes.append(1_000_000)
            ok = archive(sizes, max(5, args.runs // 2), env, work) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
