"""The shape of the code: a query travels one way, typer stays in the cli, the schema is written once."""

from __future__ import annotations

import ast
from pathlib import Path

from yanbian_cli.model import (
    ARTICLE_FIELDS,
    FACT_FIELDS,
    SOURCE_FIELDS,
    Article,
    Fact,
    Source,
)

PACKAGE = Path(__file__).resolve().parent.parent / "yanbian_cli"


def imports_of(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def modules(folder: str = "") -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


def test_storage_never_imports_search_nor_anything_above_it() -> None:
    for path in modules("store"):
        found = {m for m in imports_of(path) if m.startswith(("yanbian_cli.search", "yanbian_cli.lookup",
                                                               "yanbian_cli.render", "yanbian_cli.cli"))}
        assert found == set(), f"{path.name} imports {found}"


def test_search_never_imports_storage_render_or_cli() -> None:
    for path in modules("search"):
        found = {m for m in imports_of(path) if m.startswith(("yanbian_cli.store", "yanbian_cli.lookup",
                                                               "yanbian_cli.render", "yanbian_cli.cli"))}
        assert found == set(), f"{path.name} imports {found}"


def test_only_the_cli_imports_typer_and_nothing_below_imports_the_cli() -> None:
    for path in modules():
        in_cli = path.parent.name == "cli"
        names = imports_of(path)
        assert in_cli or "typer" not in names, path
        assert in_cli or path.name == "__main__.py" or not any(n.startswith("yanbian_cli.cli") for n in names), path


def test_only_the_picker_imports_textual_and_only_the_pick_command_imports_the_picker() -> None:
    for path in modules():
        names = imports_of(path)
        textual = any(n == "textual" or n.startswith("textual.") for n in names)
        assert textual == (path.name == "pick.py"), path
        if "yanbian_cli.pick" in names or any("pick" in n for n in names if n.startswith("yanbian_cli")):
            assert path.name == "reporter.py", path  # inside the command: see test_search for sys.modules


def test_lookup_never_renders() -> None:
    assert not any(m.startswith(("yanbian_cli.render", "yanbian_cli.cli")) for m in imports_of(PACKAGE / "lookup.py"))


def test_no_type_ignore_anywhere() -> None:
    for path in modules():
        assert "type: ignore" not in path.read_text(encoding="utf-8"), path


def test_the_records_follow_the_schema() -> None:
    assert Fact._fields == tuple(f.name for f in FACT_FIELDS)
    assert Article._fields == tuple(f.name for f in ARTICLE_FIELDS)
    assert Source._fields == tuple(f.name for f in SOURCE_FIELDS)
