"""Resource use under hostile input: the cases of the second hostile battery that once took seconds.

    python -m benchmarks.hostile                    # the installed yb next to this Python
    python -m benchmarks.hostile --yb /other/venv/bin/yb   # another yb (e.g. an older version, to compare)
    python -m benchmarks.hostile --skip-large       # without the 100,000-fact archive (minutes to build)

Each case runs `yb` as its own process (a fresh cache, so the first call pays for any build) and prints
its wall time and peak memory, with the same run's `python -c "import typer"` as the baseline. The
inputs are generated: duplicate ids, a long article and a paragraph dense with figures, a deep chain of
places, a long query of pinyin prefixes over a large synthetic archive, an article's facts in that archive.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.synth import generate


LIMIT = 120.0  # seconds a case may take before it is stopped and reported as "> 120"


def measure(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int | None]:
    """(wall seconds, peak resident MB, exit code or None when stopped at LIMIT) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            return time.perf_counter() - start, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)
        if time.perf_counter() - start > LIMIT:
            proc.kill()
            _, status, usage = os.wait4(proc.pid, 0)
            return LIMIT, usage.ru_maxrss / 1024, None
        time.sleep(0.02)


def duplicate_ids(folder: Path, n: int) -> Path:
    """A fact file whose n facts all have the same id."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.toml").write_text('id = "a"\ntitle = "t"\ntitle_en = ""\nbyline = ""\nkind = "article"\n'
                                   'section = ""\ntopic = "t"\nparagraphs = ["共有12个展区"]\n', encoding="utf-8")
    fact = ('[[fact]]\nid = "same"\nlabel = "展区"\nlabel_en = "areas"\naliases = []\ntext = "12个"\nvalue = 12\n'
            'unit = "count"\nqualifier = "exact"\nplace = "p"\nperiod = ""\ntopic = "t"\n'
            'source = { article = "a", paragraph = 1, quote = "共有12个展区" }\n\n')
    path = folder / "facts.toml"
    path.write_text('schema = 1\n[articles]\na = "a.toml"\n[topic.t]\nlabel = "t"\nlabel_en = "t"\naliases = []\n'
                    '[place."p"]\nlabel_en = "p"\naliases = []\nwithin = ""\n\n' + fact * n, encoding="utf-8")
    return path


def nested_places(folder: Path, n: int) -> Path:
    """A fact file with n places, each within the one before."""
    folder.mkdir(parents=True, exist_ok=True)
    places = "".join(f'[place."p{i}"]\nlabel_en = "p{i}"\naliases = []\nwithin = "{f"p{i - 1}" if i else ""}"\n'
                     for i in range(n))
    path = folder / "facts.toml"
    path.write_text('schema = 1\n[articles.a]\nid = "a"\ntitle = "t"\ntitle_en = ""\nbyline = ""\nkind = "article"\n'
                    'section = ""\ntopic = "t"\nparagraphs = ["共有12个展区"]\n[topic.t]\nlabel = "t"\nlabel_en = "t"\n'
                    f'aliases = []\n{places}\n[[fact]]\nid = "x"\nlabel = "展区"\nlabel_en = "areas"\naliases = []\n'
                    f'text = "12个"\nvalue = 12\nunit = "count"\nqualifier = "exact"\nplace = "p{n - 1}"\n'
                    'period = ""\ntopic = "t"\nsource = { article = "a", paragraph = 1, quote = "共有12个展区" }\n',
                    encoding="utf-8")
    return path


def long_article(path: Path, megabytes: float) -> Path:
    sentence = "延吉市今年新建村级电商服务站56个,培训农民3200余人次,带动销售额1.2亿元。"
    paragraphs = []
    size = 0
    while size < megabytes * 2**20:
        paragraphs.append(sentence * 20)
        size += len(paragraphs[-1].encode("utf-8"))
    path.write_text("标题\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


def dense_paragraph(path: Path, figures: int) -> Path:
    path.write_text("标题\n\n" + "".join(f"第{i}项{i}个," for i in range(figures)) + "\n", encoding="utf-8")
    return path


def pinyin_prefixes(n: int) -> str:
    rng = random.Random(7)
    initials = "bpmfdtnlgkhjqxzcsryw"
    return " ".join("".join(rng.choice(initials) for _ in range(5)) for _ in range(n))[:1000]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--yb", help="the yb to measure (default: the one next to this Python)")
    parser.add_argument("--skip-large", action="store_true", help="leave out the 100,000-fact archive")
    args = parser.parse_args()
    yb = [args.yb] if args.yb else [str(Path(sys.executable).parent / "yb")]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache"), "COLUMNS": "100"}
        cases: list[tuple[str, list[str]]] = [("python -c 'import typer' (baseline)", [sys.executable, "-c", "import typer"])]
        for n in (8000, 20000):
            cases.append((f"check: {n:,} facts with one id", yb + ["check", str(duplicate_ids(work / f"dup{n}", n))]))
        for mb in (1, 10):
            cases.append((f"extract: a {mb} MB article", yb + ["extract", str(long_article(work / f"long{mb}.txt", mb))]))
        cases.append(("extract: one paragraph of 8,000 figures",
                      yb + ["extract", str(dense_paragraph(work / "dense.txt", 8000))]))
        places = nested_places(work / "places", 2000)
        cases.append(("check: 2,000 nested places", yb + ["check", str(places)]))
        cases.append(("first call: 2,000 nested places", yb + ["--data", str(places), "list"]))
        if not args.skip_large:
            archive = generate(100_000, work / "archive")
            start = time.perf_counter()
            subprocess.run(yb + ["--data", str(archive), "index", "--rebuild"], env=env, capture_output=True)
            print(f"(100,000-fact archive built in {time.perf_counter() - start:.1f} s)")
            article = "a001234"  # benchmarks/synth.py names its articles a000000, a000001, ...
            cases.append(("100k facts: search, 200 pinyin prefixes",
                          yb + ["--data", str(archive), "search", "--json", "--", pinyin_prefixes(200)]))
            cases.append((f"100k facts: source {article}", yb + ["--data", str(archive), "source", article]))
            cases.append((f"100k facts: list --article {article}",
                          yb + ["--data", str(archive), "list", "--article", article, "--json"]))
        print(f"| {'case':<44} | {'wall s':>7} | {'peak MB':>8} | exit |")
        print(f"|{'-' * 46}|{'-' * 9}|{'-' * 10}|------|")
        for name, cmd in cases:
            wall, peak, code = measure(cmd, env)
            shown = f"> {LIMIT:.0f}" if code is None else f"{wall:.2f}"
            print(f"| {name:<44} | {shown:>7} | {peak:>8.0f} | {'-' if code is None else code:>4} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
