"""`yb pick`: choose a fact interactively, as with fzf, and print what the shell needs.

Type to search (the same engine as `yb search`, at every key); move through the answers with the
arrow keys; the preview shows the fact, its figure in the chosen language, the sentence with the
figure highlighted, and the citation. Enter prints the id, Ctrl+F the figure, Ctrl+O the citation,
Ctrl+T the JSON object; Esc leaves printing nothing. The picker draws on stderr (Textual's way), so its
choice can be captured: `yb cite "$(yb pick)"`.

Textual is imported here only: no other command pays for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from yanbian_cli import lookup
from yanbian_cli.errors import YbError
from yanbian_cli.record import Record

if TYPE_CHECKING:  # pragma: no cover
    from rich.text import Text

LIMIT = 50


class Picked(Record):
    """What the picker prints: one of id, figure, citation, json (empty when nothing was picked)."""

    what: str
    text: str


def preview(hit: lookup.Hit, lang: str, base: lookup.Base) -> Text:
    """The fact, its figure in `lang`, the sentence with the figure highlighted, and the citation."""
    from rich.text import Text

    from yanbian_cli.render.terminal import figure_in, label_in, quote_text
    from yanbian_cli.text import visible

    fact = hit.fact
    out = Text()
    out.append(visible(fact.text), style="bold")
    if lang != "zh":
        out.append(f"  {visible(figure_in(fact, lang))}", style="bold")
    out.append(f"\n{visible(label_in(fact, lang))}\n")
    if lang != "zh":
        out.append(f"{visible(fact.label)}\n", style="dim")
    out.append(f"{visible(fact.place)} · {visible(fact.period or '—')} · {visible(fact.id)}\n\n", style="dim")
    out.append_text(quote_text(fact.source.quote, fact.text))
    out.append("\n\n")
    citation = lookup.cite(base, fact.id, lang=lang)
    out.append(visible(citation.text), style="italic")
    return out


class Picker(App[Picked]):
    """The picker: a query line, the answers, a preview."""

    TITLE = "yb pick"

    CSS = """
    Input { dock: top; }
    #answers { width: 45%; }
    #preview { width: 55%; padding: 0 1; }
    """
    BINDINGS = [
        Binding("enter", "pick('id')", "the id", priority=True),  # before the query line's own Enter
        Binding("ctrl+f", "pick('figure')", "the figure"),
        Binding("ctrl+o", "pick('citation')", "the citation"),
        Binding("ctrl+t", "pick('json')", "the JSON"),
        Binding("escape", "quit_empty", "leave"),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    def __init__(self, base: lookup.Base, query: str = "", lang: str | None = None) -> None:
        super().__init__()
        self.base = base
        self.first_query = query
        self.forced_lang = lang
        self.hits: list[lookup.Hit] = []
        self.lang = lang or "zh"

    def compose(self) -> ComposeResult:
        yield Input(value=self.first_query, placeholder="type to search: 人参 面积, ginseng area, 인삼 면적 …",
                    id="query")
        with Horizontal():
            yield OptionList(id="answers")
            yield Static(id="preview")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self.search(self.first_query)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.search(event.value)

    def search(self, text: str) -> None:
        """Ask lookup again, at every key, and show the answers (or why there are none)."""
        from yanbian_cli.render.terminal import label_in
        from yanbian_cli.text import visible

        answers = self.query_one(OptionList)
        answers.clear_options()
        self.hits = []
        if not text.strip():
            self.show_message("type a query")
            return
        try:
            result = lookup.find(self.base, lookup.check_query([text]), limit=LIMIT, lang=self.forced_lang)
        except YbError as exc:
            self.show_message(str(exc))
            return
        self.hits, self.lang = result.hits, result.lang
        answers.add_options([Option(f"{visible(h.fact.text)}  {visible(label_in(h.fact, self.lang))}") for h in self.hits])
        answers.highlighted = 0
        self.show_preview()

    def show_message(self, message: str) -> None:
        from rich.text import Text

        self.query_one("#preview", Static).update(Text(message, style="italic"))

    def show_preview(self) -> None:
        index = self.query_one(OptionList).highlighted
        if index is not None and 0 <= index < len(self.hits):
            self.query_one("#preview", Static).update(preview(self.hits[index], self.lang, self.base))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show_preview()

    def action_move(self, step: int) -> None:
        answers = self.query_one(OptionList)
        if self.hits:
            answers.highlighted = max(0, min(len(self.hits) - 1, (answers.highlighted or 0) + step))

    def action_pick(self, what: str) -> None:
        index = self.query_one(OptionList).highlighted
        if index is None or not 0 <= index < len(self.hits):
            return
        self.exit(Picked(what, chosen(self.hits[index], what, self.lang, self.base)))

    def action_quit_empty(self) -> None:
        self.exit(Picked("", ""))


def chosen(hit: lookup.Hit, what: str, lang: str, base: lookup.Base) -> str:
    """The text the picker prints for a fact: its id, figure, citation or JSON object."""
    if what == "figure":
        from yanbian_cli.render.terminal import figure_in

        return figure_in(hit.fact, lang) if lang != "zh" else hit.fact.text
    if what == "citation":
        return lookup.cite(base, hit.fact.id, lang=lang).text
    if what == "json":
        import json

        from yanbian_cli.render.json import fact_object

        return json.dumps(fact_object(hit.fact, hit.article), ensure_ascii=False)
    return hit.fact.id


def run(base: lookup.Base, query: str = "", lang: str | None = None, **options: Any) -> Picked:
    """Run the picker on the terminal; what was picked (empty when the user left)."""
    return Picker(base, query, lang).run(**options) or Picked("", "")
