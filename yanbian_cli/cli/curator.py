"""The curator's commands: check, extract, index.

(No `from __future__ import annotations`: see common.py.)
"""

import os
from pathlib import Path
from typing import Annotated, Optional

import typer

from yanbian_cli.cli.common import (
    DataOpt,
    ForceOpt,
    JsonOpt,
    OutputOpt,
    TopicOpt,
    command,
    data_path,
    open_base,
    show,
)
from yanbian_cli.cli.reporter import write
from yanbian_cli.errors import ExitCode


@command(epilog="Examples:  yb check  ·  yb check --data my/facts.toml  ·  yb check --json")
def check(
    ctx: typer.Context,
    path: Annotated[Optional[str], typer.Argument(help="Fact file to check (default: --data, $YB_DATA or the "
                                                       "shipped base).", show_default=False)] = None,
    drafts: Annotated[bool, typer.Option("--drafts", help="Accept facts marked draft = true (yb extract writes them).")]
    = False,
    json_output: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """Validate a fact file and its articles; list every problem with its place.

    Exit 0 when the file is clean, 3 when it has problems.
    """
    from yanbian_cli import lookup

    report = lookup.check(data_path(ctx, path or data), drafts=drafts)  # a folder stands for its facts.toml
    show(report, json_output)
    if report.problems:
        raise typer.Exit(ExitCode.INVALID_DATA)


@command(epilog="Examples:  yb extract new-article.txt --article-id tourism -o drafts/tourism.toml  ·  "
                "yb check --drafts drafts/tourism.toml")
def extract(
    ctx: typer.Context,
    article_file: Annotated[str, typer.Argument(metavar="ARTICLE.txt", help="The article: UTF-8 text, one paragraph "
                                                "a line or paragraphs separated by blank lines.", show_default=False)],
    article_id: Annotated[Optional[str], typer.Option("--article-id", help="Id for the article (default: from the "
                                                      "file name).")] = None,
    topic: TopicOpt = None,
    date: Annotated[Optional[str], typer.Option("--date", help="The date of the issue (YYYY-MM-DD): relative "
                                                "periods (去年, 目前) are read against it.")] = None,
    into: Annotated[Optional[str], typer.Option("--into", metavar="BASE", help="Write the drafts as a new article "
                                                "file of this schema-2 base (articles/DATE/ID.toml), held back "
                                                "until reviewed.")] = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    data: DataOpt = None,
) -> None:
    """Propose draft facts for every figure in a new article, for a person to review.

    Writes a fact file (the article inline) whose facts are marked draft = true, with the
    figure as written, its value, unit and qualifier, the clause around it as the quote, a
    label from the words before it, and the period and place the sentence names (places
    known to the fact base). `yb check --drafts FILE` validates it.
    """
    from yanbian_cli import lookup
    from yanbian_cli.render.safe import write_line

    base = open_base(ctx, into or data)
    draft = lookup.extract(base, Path(article_file), article_id=article_id, topic=topic, date=date or "",
                           into=into is not None)
    if draft.path is not None:  # into the base: a new file, never one that exists
        output = str(base.fact_file.parent / draft.path)
        Path(output).parent.mkdir(parents=True, exist_ok=True)
    if not write(draft.text, output, force and draft.path is None, base.store.source_files()):
        write_line(f"{output}: {draft.facts} draft facts from {draft.paragraphs} paragraphs")


@command("index", epilog="Examples:  yb index  ·  yb index --rebuild  ·  yb index --clear  ·  yb index --json")
def index_command(
    ctx: typer.Context,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Build the index again now.")] = False,
    clear: Annotated[bool, typer.Option("--clear", help="Delete the cached index (the next call rebuilds it).")]
    = False,
    json_output: JsonOpt = False,
    data: DataOpt = None,
) -> None:
    """Show where the compiled index of the fact file is cached, its size and age; rebuild or clear it.

    The index is rebuilt by itself whenever a source file changes; these options are for
    when you want it done now, or gone.
    """
    from yanbian_cli import lookup

    show(lookup.index_info(data_path(ctx, data), os.environ, rebuild=rebuild, clear=clear), json_output)
