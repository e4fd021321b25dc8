"""Move a schema-1 base to schema 2: each [[fact]] table goes to the end of its article's file.

    python scripts/migrate_schema2.py data/facts.toml

The text is moved as written (comments directly above a fact go with it), so nothing is reformatted; the
fact file keeps its publication, topics, places and [articles] listing (which keeps the order of the
articles, and so of the facts) and says `schema = 2`. An article written inline in the fact file keeps
its facts there. The base is checked before and after; every file is written whole (a temporary file
renamed over it), and nothing is written unless the result checks with the same facts in the same order.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

from yanbian_cli.factbase import check


def _write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def migrate(fact_file: Path) -> dict[Path, str]:
    """The new text of every file to change (the fact file and the article files)."""
    text = fact_file.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    if data.get("schema") != 1:
        raise SystemExit(f"{fact_file}: schema {data.get('schema')}, not 1: nothing to migrate")
    listed = {k: v for k, v in data.get("articles", {}).items() if isinstance(v, str)}
    lines = text.splitlines(keepends=True)
    headers = [i for i, line in enumerate(lines) if line.strip().replace(" ", "") == "[[fact]]"]
    if not headers:
        raise SystemExit(f"{fact_file}: no [[fact]] tables")
    starts = []
    for h in headers:  # a fact's block starts at the comments directly above its header
        s = h
        while s > 0 and lines[s - 1].lstrip().startswith("#") and (s - 1) not in headers:
            s -= 1
        starts.append(s)
    ends = starts[1:] + [len(lines)]
    moved: dict[str, list[str]] = {}
    keep = lines[:starts[0]]
    for start, end in zip(starts, ends):
        block = "".join(lines[start:end]).rstrip("\n") + "\n"
        article = tomllib.loads(block)["fact"][0]["source"]["article"]
        if article in listed:
            moved.setdefault(article, []).append(block)
        else:
            keep.append(block)
    head = re.sub(r"(?m)^schema\s*=\s*1\s*$", "schema = 2", "".join(keep).rstrip("\n") + "\n", count=1)
    out = {fact_file: head}
    for article, blocks in moved.items():
        path = fact_file.parent / listed[article]
        out[path] = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + "\n".join(blocks)
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    fact_file = Path(argv[0])
    before, problems = check(fact_file)
    if before is None:
        print(f"{fact_file}: fix its problems first ({len(problems)}; yb check)", file=sys.stderr)
        return 3
    new = migrate(fact_file)
    with tempfile.TemporaryDirectory() as tmp:  # check the result in a copy before writing anything
        import shutil

        copy = Path(tmp) / "base"
        shutil.copytree(fact_file.parent, copy)
        for path, text in new.items():
            (copy / path.relative_to(fact_file.parent)).write_text(text, encoding="utf-8")
        after, problems = check(copy / fact_file.name)
        if after is None or after.facts != before.facts:
            print(f"{fact_file}: the migrated base does not check the same: {problems[:3]}", file=sys.stderr)
            return 3
    for path, text in new.items():
        _write(path, text)
    print(f"{fact_file}: schema 2; {len(before.facts)} facts moved into {len(new) - 1} article files")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
