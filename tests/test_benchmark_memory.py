"""benchmarks/run.py's memory of a process tree: the build's processes summed, as the forked workers of
yanbian_cli/indexer.py would be (a worker's memory is not in the ru_maxrss of the largest process)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from benchmarks import run

# a process that forks two workers: 40 MB they share with it (copy-on-write), 40 MB each of their own
WORKERS = r"""
import os, sys, time
shared = bytearray(b"s") * (40 * 2**20)
for _ in range(2):
    if os.fork() == 0:
        own = bytearray(b"o") * (40 * 2**20)
        os.write(1, b"ready\n")  # one write: the two workers' lines do not interleave
        time.sleep(float(sys.argv[1]))
        os._exit(0)
for _ in range(2):
    os.wait()
"""

needs_proc = pytest.mark.skipif(not run.HAS_PROC, reason="no /proc/PID/smaps_rollup (not Linux)")


@needs_proc
def test_tree_memory_sums_the_workers_and_counts_shared_pages_once_in_pss() -> None:
    parent = subprocess.Popen([sys.executable, "-c", WORKERS, "60"], stdout=subprocess.PIPE, text=True)
    pids: list[int] = []
    try:
        assert parent.stdout is not None
        assert [parent.stdout.readline() for _ in range(2)] == ["ready\n"] * 2
        pids = run.tree_pids(parent.pid)
        assert pids[0] == parent.pid and len(pids) == 3
        assert parent.pid in run.tree_pids(os.getpid()) and os.getpid() not in pids
        memory = run.tree_memory(parent.pid)
        assert memory.pss >= 120  # 40 MB shared, split in three, and 2 x 40 MB of their own
        assert memory.rss - memory.pss >= 60  # the shared 40 MB counted in each of the three in RSS
        assert run.tree_memory(os.getpid()).pss > memory.pss  # this process counts too
    finally:
        for pid in reversed(pids[1:]):  # the workers, then their parent
            os.kill(pid, signal.SIGKILL)
        parent.kill()
        parent.wait()


@needs_proc
def test_measure_samples_the_whole_tree_beyond_the_largest_process() -> None:
    # the workers live 2.5 s: several samples even on a loaded machine (a sample of a slow /proc waits longer)
    wall, largest, code, together = run.measure([sys.executable, "-c", WORKERS, "2.5"], dict(os.environ), tree=True)
    assert code == 0 and wall >= 2.5
    assert together is not None
    assert largest >= 80  # a worker: the shared 40 MB and its own 40 MB (more when the caller is large: Linux
    # counts in ru_maxrss what the process held when forked from it, before it ran Python)
    assert together.pss >= 120  # both workers' own 40 MB and the shared 40 MB: more than any one process holds
    assert together.rss > together.pss


def test_without_proc_the_tree_is_not_measured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run, "HAS_PROC", False)
    *_, together = run.measure([sys.executable, "-c", "pass"], dict(os.environ), tree=True)
    assert together is None
    assert run._mb(together, 5) == "  n/a" and run._mb(1234.4, 5) == " 1234"
