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

A large base is built on several processes (yanbian_cli/indexer.py forks workers), and
ru_maxrss is the largest of them only. So the build's memory is also sampled while it
runs (on Linux, from /proc): the build process and all its descendants, found again at
every sample, their memory summed, the highest sum kept; as PSS (proportional: a page
shared by k processes, as forked workers share their parent's, counts 1/k in each) and
as RSS (resident: a shared page counts in every process). Samples are SAMPLE_S (50 ms)
apart, or further when one takes long (reading a process's PSS costs time in proportion to
its memory), so a spike shorter than that can be missed. Without /proc: "n/a".
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent

TARGET_RATIO = 1.3
BUILD_TARGET_MB = 1.5 * 1024  # issue 14: a full build of 1,000,000 facts in at most 1.5 GB, all its processes
QUERY_TARGET_RATIO = 1.5  # issue 14: every query of 1,000,000 facts at most 1.5 x its baseline
SAMPLE_S = 0.05  # the least time between two samples of a build's memory
HAS_PROC = Path("/proc/self/smaps_rollup").exists()  # Linux (4.14 or later)
TYPER = ("import typer", [sys.executable, "-c", "import typer"])
TYPER_RICH = ("import typer, rich.console, rich.table", [sys.executable, "-c", "import typer, rich.console, rich.table"])


def yb_command() -> list[str]:
    script = Path(sys.executable).parent / "yb"
    return [str(script)] if script.exists() else [sys.executable, "-m", "yanbian_cli"]


class Memory(NamedTuple):
    """The memory of a process and all its descendants, summed, in MB."""

    pss: float  # proportional set sizes: a page shared by k of the processes counts 1/k in each
    rss: float  # resident set sizes: a shared page counts in each process that maps it


def tree_pids(pid: int) -> list[int]:
    """`pid` and every process descended from it, as /proc shows them now (each /proc/N/stat read for its
    parent: /proc/N/task/*/children is not in every kernel)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:  # ended meanwhile
                continue
            parent = int(stat.rpartition(")")[2].split()[1])  # after the name, which may hold spaces and ")"
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        found.append(todo.pop())
        todo.extend(children.get(found[-1], []))
    return found


def _kb(path: str, field: str) -> int:
    """The figure (kB) of `field` in a /proc file; 0 when the process has ended (a zombie has none)."""
    try:
        with open(path, encoding="ascii") as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def tree_memory(pid: int) -> Memory:
    """The memory of `pid` and all its descendants now (Linux only: see HAS_PROC)."""
    pids = tree_pids(pid)
    pss = sum(_kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids)
    rss = sum(_kb(f"/proc/{p}/status", "VmRSS:") for p in pids)
    return Memory(pss / 1024, rss / 1024)


class TreeSampler:
    """The most memory a process and all its descendants hold together, sampled on a thread until stop():
    every SAMPLE_S seconds, or nine times as long as the last sample took when that is longer (a tenth of one
    core at most), so a spike between two samples is missed. The highest summed PSS and the highest summed RSS
    are kept (they may come from different samples)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = Memory(0.0, 0.0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while True:
            began = time.perf_counter()
            now = tree_memory(self.pid)
            self.peak = Memory(max(self.peak.pss, now.pss), max(self.peak.rss, now.rss))
            if self._stop.wait(max(SAMPLE_S, 9 * (time.perf_counter() - began))):
                return

    def stop(self) -> Memory:
        self._stop.set()
        self._thread.join()
        return self.peak


def measure(cmd: list[str], env: dict[str, str], tree: bool = False) -> tuple[float, float, int, Memory | None]:
    """(wall seconds, peak resident MB, exit code, and with `tree` the peak of all its processes together) of
    one process. The peak resident size (ru_maxrss) is that of the largest of the process and its descendants;
    the last is None without `tree` or without /proc."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    sampler = TreeSampler(proc.pid) if tree and HAS_PROC else None
    if sampler is not None:
        os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT)  # ended, not yet reaped: its pid stays its own
    together = sampler.stop() if sampler is not None else None
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), together


def medians(commands: list[tuple[str, list[str]]], env: dict[str, str], runs: int) -> dict[str, tuple[float, float]]:
    """Median wall (ms) and peak memory (MB) of each command, the runs interleaved round-robin."""
    walls: dict[str, list[float]] = {name: [] for name, _ in commands}
    peaks: dict[str, list[float]] = {name: [] for name, _ in commands}
    for _ in range(runs):
        for name, cmd in commands:
            wall, peak, code, _ = measure(cmd, env)
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


def freshness(facts: Path, env: dict[str, str], watcher: bool = False) -> float | None:
    """Milliseconds one process spends finding the index current, measured inside it: with every source file
    stat-ed (the part of every call that would grow with the number of files), or `watcher`: as a query does,
    asking the watcher of a large base what changed (None: the base is small, or no watcher could tell)."""
    opener = ("opened = cache.open_beside(Path(sys.argv[1]), os.environ); "
              "store = opened[0] if opened is not None and opened[1] is None else None" if watcher else
              "store = cache.open_cached(Path(sys.argv[1]), os.environ)")
    code = ("import os, sys, time; from pathlib import Path; from yanbian_cli.store import cache; "
            f"t = time.perf_counter(); {opener}; "
            "print((time.perf_counter() - t) * 1000 if store is not None else 'stale')")
    out = subprocess.run([sys.executable, "-c", code, str(facts)], env=env, capture_output=True, text=True,
                         check=True, cwd=facts.parent).stdout.strip()  # (-c puts the working folder on the path
    # first: run from the repository, it would time the modules of the source tree, compiled on import)
    if out == "stale":
        if watcher:
            return None
        raise SystemExit(f"the index of {facts} is not current after the calls that built it")
    return float(out)


def watcher_mb(cache: Path) -> float | None:
    """The resident memory (MB) of the watcher of an index in `cache`, when one runs (Linux)."""
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
            if b"yanbian_cli.store.watch" in argv and any(a.startswith(os.fsencode(cache)) for a in argv):
                return _kb(str(proc / "status"), "VmRSS") / 1024
        except OSError:
            continue
    return None


def archive(sizes: list[int], runs: int, env: dict[str, str], work: Path) -> bool:
    yb = yb_command()
    print(f"Synthetic archives (benchmarks/synth.py); queries: median of {runs} runs")
    print("build: the first call, which builds the index. Its peak memory as the largest process alone (ru_maxrss),\n"
          "and as the most all its processes held together: their PSS summed (a page they share split between them)\n"
          f"and their RSS summed (a shared page counted in each), sampled every {SAMPLE_S * 1000:.0f} ms or more, so a "
          "shorter spike\ncan be missed (n/a: no /proc)")
    print(f"| {'facts':>9} | {'base MB':>12} | {'build s':>8} | {'largest proc MB':>15} | {'sum PSS MB':>10} | "
          f"{'sum RSS MB':>10} | {'cache MB':>8} | {'query':<34} | {'wall ms':>8} | {'peak MB':>8} |")
    print(f"|{'-' * 11}|{'-' * 14}|{'-' * 10}|{'-' * 17}|{'-' * 12}|{'-' * 12}|{'-' * 10}|{'-' * 36}|{'-' * 10}|"
          f"{'-' * 10}|")
    blank = f"| {'':>9} | {'':>12} | {'':>8} | {'':>15} | {'':>10} | {'':>10} | {'':>8} |"
    floor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ok = True
    build_memory_ok = True
    query_ratio = 0.0
    for n in sizes:
        folder = work / f"archive-{n}"
        # (written by another process: on Linux a child's peak resident size starts at its parent's size when it
        # forked, so this process stays small, and the peaks below are the commands' own)
        subprocess.run([sys.executable, "-m", "benchmarks.synth", str(n), str(folder)], check=True,
                       stdout=subprocess.DEVNULL, cwd=Path(__file__).resolve().parent.parent)
        facts = folder / "facts.toml"
        size_mb = _size(folder, ".toml") / 2**20  # the fact file and the articles
        data = ["--data", str(facts)]
        build_env = {**env, "XDG_CACHE_HOME": str(work / f"cache-{n}")}
        wall, peak, code, together = measure(yb + ["search", "人参", "--json", *data], build_env, tree=True)
        if code not in (0, 1):
            raise SystemExit(f"building the index of {n} facts failed with exit code {code}")
        pss, rss = (None, None) if together is None else together
        cache = _size(work / f"cache-{n}", ".sqlite") / 2**20
        queries = [
            ("search 人参 面积 --json", yb + ["search", "人参", "面积", "--json", *data]),
            ("search 延吉 空气优良天数", yb + ["search", "延吉", "空气优良天数", *data]),
            ("search renshen chanzhi --json", yb + ["search", "renshen", "chanzhi", "--json", *data]),
            ("search ginseng procesing --json", yb + ["search", "ginseng", "procesing", "--json", *data]),
            ("stat ecology-0000002 --json (exact id)", yb + ["stat", "ecology-0000002", "--json", *data]),
            ("source a000001 --json", yb + ["source", "a000001", "--json", *data]),
            ("list --article a000001 --json", yb + ["list", "--article", "a000001", "--json", *data]),
        ]
        # the first calls after the build: a base of 1,000 stamped paths or more starts its watcher (store/watch.py),
        # which a call can ask only once it runs and the index records its point (after a check of every file)
        firsts = [measure(queries[0][1], build_env)[0] * 1000 for _ in range(3)]
        # the baselines of this run, interleaved with the queries (a JSON call against `import typer`, a table
        # against `import typer, rich.console, rich.table`, as for the shipped base)
        results = medians(queries + [TYPER[:2], TYPER_RICH[:2]], build_env, runs)
        for i, (name, _) in enumerate(queries):
            qwall, qpeak = results[name]
            head = (f"| {n:>9,} | {size_mb:>12.1f} | {wall:>8.1f} | {peak:>15.0f} | "
                    f"{_mb(pss, 10)} | {_mb(rss, 10)} | {cache:>8.1f} |"
                    if i == 0 else blank)
            print(f"{head} {name:<34} | {qwall:>8.1f} | {qpeak:>8.1f} |")
            if n == 100_000:
                ok = ok and qwall < 150 and qpeak < 200
        worst = 0.0
        for name, _ in queries:
            base_name = TYPER[0] if "--json" in name else TYPER_RICH[0]
            worst = max(worst, results[name][0] / results[base_name][0])
        for name, label in ((TYPER[0], "baseline: import typer"), (TYPER_RICH[0], "baseline: ... rich.console, table")):
            print(f"{blank} {label:<34} | {results[name][0]:>8.1f} | {results[name][1]:>8.1f} |")
        print(f"{blank} {'the slowest query / its baseline':<34} | {worst:>8.2f} | {'':>8} |")
        if n == 1_000_000:
            query_ratio = worst
        print(f"{blank} {'the 3 first calls after the build':<34} | {'/'.join(f'{w:.0f}' for w in firsts):>8} | "
              f"{'':>8} |")
        fresh = statistics.median(f for f in (freshness(facts, build_env) for _ in range(runs)) if f is not None)
        print(f"{blank} {'freshness check alone (in-process)':<34} | {fresh:>8.1f} | {'':>8} |")
        resident = watcher_mb(work / f"cache-{n}")  # (None: no watcher, a base of fewer than 1,000 stamped paths)
        watched = [w for w in (freshness(facts, build_env, watcher=True) for _ in range(runs)) if w is not None]
        if resident is not None and len(watched) == runs:
            print(f"{blank} {'... asking the watcher (in-process)':<34} | {statistics.median(watched):>8.1f} | "
                  f"{'':>8} |")
        if resident is not None:
            print(f"{blank} {'the watcher process (resident)':<34} | {'':>8} | {resident:>8.1f} |")
        # one article edited: the next call (which brings the index up to date), then the one after
        edited = next(Path(d, "a000001.toml") for d, _, names in os.walk(folder / "articles") if "a000001.toml" in names)
        edited.write_text(edited.read_text(encoding="utf-8").replace("综述", "综述(修订)", 1), encoding="utf-8")
        for what in ("after editing one article: next call", "... the call after"):
            ewall, epeak, _, _ = measure(yb + ["search", "人参", "面积", "--json", *data], build_env)
            print(f"{blank} {what:<34} | {ewall * 1000:>8.1f} | {epeak:>8.1f} |")
        if n == 100_000:
            ok = ok and wall < 60
        # its watcher stopped (else it would exit on its own once its folder is removed), by another process: the
        # modules it takes would make this one larger (see above)
        stop = ("import os, sys; from pathlib import Path; from yanbian_cli.store import cache, watch; "
                "t = cache.cache_file(Path(sys.argv[1]), os.environ); t is None or watch.stop(t)")
        subprocess.run([sys.executable, "-c", stop, str(facts)], env=build_env, check=True,
                       cwd=Path(__file__).resolve().parent.parent)
        if n == 1_000_000:
            build_memory_ok = together is not None and together.pss <= BUILD_TARGET_MB
    now = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(this process's own peak, which no command's peak above can be below on Linux: {floor:.1f} MB at the "
          f"start, {now:.1f} MB at the end)")
    print("targets at 100,000 facts (build < 60 s; queries < 150 ms and < 200 MB): "
          f"{'met' if ok else 'NOT met'}" if 100_000 in sizes else "")
    if 1_000_000 in sizes:
        print(f"target at 1,000,000 facts (build <= {BUILD_TARGET_MB:.0f} MB, the sum PSS MB of all its processes): "
              f"{'met' if build_memory_ok else 'NOT met' if HAS_PROC else 'not measured (no /proc)'}")
        print(f"target at 1,000,000 facts (every query <= {QUERY_TARGET_RATIO} x its baseline of the same run): "
              f"{'met' if query_ratio <= QUERY_TARGET_RATIO else 'NOT met'} (the most: {query_ratio:.2f})")
    return ok and build_memory_ok


def _size(folder: Path, suffix: str) -> int:
    """The bytes of the files of a folder tree whose names end in `suffix` (walked a folder at a time: pathlib's
    rglob of a million-fact archive takes 15 MB, which every later peak would start from, see `archive`)."""
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, names in os.walk(folder) for f in names
               if f.endswith(suffix))


def _mb(value: float | None, width: int) -> str:
    return f"{'n/a':>{width}}" if value is None else f"{value:>{width}.0f}"


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
