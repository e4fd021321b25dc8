"""The full build of a large base's index on every core: its article files checked, then analysed, a part
at a time in worker processes, while this process writes the index as the parts come back.

The analysis of one fact needs what the whole base teaches (the traditional-character table, the
vocabularies), so the build reads the base twice:

1. every part (a run of article files) is checked on its own, against the fact file's places and topics
   (`check_files`), and surveyed (`search.analyze.survey`): its articles, stamps and ids come back, with what
   the tables are made from; the facts themselves are dropped;
2. with the tables made, every part is read again (the bytes that were checked: `read_checked`) and
   analysed; this process writes each part's articles, facts and postings, in the order of the base.

The index is the one the build in one process writes (tests/test_indexer.py compares every table). What
this build cannot do as that one would, it leaves to it, which also reports every problem of a base, each
at its file and line as `yb check` does: a small base (MIN_FILES), a machine without fork or with one core,
a base of another shape (`factbase.check.layout`), any problem in a file, an article or fact id used in two
parts, a file changed between the two passes, a worker that fails. Workers are forked (they inherit what
this process learnt); they leave Ctrl-C and SIGTERM to this process, which ends them.
"""

from __future__ import annotations

import os
import sqlite3
from array import array
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from yanbian_cli.model import Article, FactBase, Stamp
from yanbian_cli.record import Record

MIN_FILES = 64  # fewer article files than this are read in one process (the shipped base has 8)
PART_FILES = 64  # article files a worker reads at a time
WINDOW = 8  # parts a worker may finish ahead of the part being written (a few MB each)

_J = TypeVar("_J")
_R = TypeVar("_R")


def fill(fact_file: Path, *, workers: int | None = None,
         min_files: int | None = None) -> Callable[[sqlite3.Connection], None] | None:
    """What writes the index of the base at `fact_file` into an empty database, built on `workers` processes
    (by default one per core), its files checked already; None when it is for the build in one process
    (see the module's docstring), which then reads the base whole and reports its problems."""
    workers = _cores() if workers is None else workers
    min_files = MIN_FILES if min_files is None else min_files
    if workers < 2 or not _can_fork():
        return None
    from yanbian_cli.factbase.check import layout
    from yanbian_cli.search.candidates import BRUTE_FORCE_MAX

    lay = layout(fact_file)
    if lay is None or len(lay.files) < min_files:
        return None
    parts = [[str(f) for f in lay.files[i:i + PART_FILES]] for i in range(0, len(lay.files), PART_FILES)]
    checked = _check(lay, parts, workers)
    if checked is None or checked.facts <= BRUTE_FORCE_MAX:
        return None

    def write(conn: sqlite3.Connection) -> None:
        _write(conn, checked, workers)

    return write


class _Part(Record):
    """What the first pass learns of one part."""

    articles: dict[str, Article]
    stamps: tuple[Stamp, ...]
    pending: tuple[str, ...]
    article_files: tuple[tuple[str, str], ...]
    crossed: frozenset[str]
    ids: list[str]
    found: Any  # its search.analyze.Survey
    syllables: dict[str, list[str]]  # the pinyin of the words of its labels (search.analyze.syllables_of)


class _Checked(Record):
    """The base after the first pass: everything but its facts, with the parts to read again."""

    base: FactBase  # no facts
    facts: int
    found: Any  # the Survey of the whole base
    syllables: dict[str, list[str]]
    jobs: list[tuple[list[str], list[str], int, int]]  # files, their digests, first fact and article numbers


def _check(lay: Any, parts: list[list[str]], workers: int) -> _Checked | None:
    from yanbian_cli.search.analyze import Survey, merged

    _STATE["layout"] = lay
    articles: dict[str, Article] = {}
    stamps: list[Stamp] = list(lay.stamps)
    pending: list[str] = []
    article_files: list[tuple[str, str]] = []
    elsewhere: set[str] = set()
    ids: set[str] = set()
    found: Survey = merged(())
    jobs = []
    facts = 0
    syllables: dict[str, list[str]] = {}
    try:
        # (while the workers check: the tables the analysis reads, loaded here once, so that the workers of the
        # second pass, forked from this process, have them)
        for files, part in zip(parts, _run(_check_part, parts, workers, _load_tables)):
            if part is None or any(a in articles for a in part.articles) or not ids.isdisjoint(part.ids):
                return None  # a problem, or an id used in two parts: the build in one process reports it
            ids.update(part.ids)
            jobs.append((files, [s.digest for s in part.stamps], facts, len(articles)))
            facts += len(part.ids)
            articles.update(part.articles)
            stamps += part.stamps
            pending += part.pending
            article_files += part.article_files
            elsewhere |= part.crossed
            found.add(part.found)
            syllables.update(part.syllables)
    except _Broken:
        return None
    finally:
        _STATE.clear()
    base = lay.context._replace(articles=articles, stamps=tuple(stamps), pending=tuple(pending),
                                article_files=tuple(article_files), crossed=frozenset(elsewhere))
    return _Checked(base, facts, found, syllables, jobs)


def _load_tables() -> None:
    from yanbian_cli.hanzi import load

    load()


def _check_part(files: list[str]) -> _Part | None:
    """First pass, in a worker: one part checked and surveyed (None: it has a problem)."""
    from yanbian_cli.factbase.check import check_files
    from yanbian_cli.search.analyze import survey, syllables_of

    lay = _STATE["layout"]
    part, _ = check_files(lay.context.path, [Path(f) for f in files], lay.context)
    if part is None:
        return None
    found = survey(part.articles, part.facts)
    done = _STATE.setdefault("pinyin read", set())  # by this worker, for the parts before
    seen = _STATE.setdefault("labels read", set())
    return _Part(part.articles, part.stamps, part.pending, part.article_files, part.crossed,
                 [f.id for f in part.facts], found, syllables_of(found.learnt, done, seen))


class _Docs(Record):
    """What the second pass makes of one part."""

    articles: list[tuple]  # rows of the article table
    facts: list[tuple]  # rows of the fact table
    postings: dict[str, bytes]  # term -> order numbers (array('I') bytes)
    heard: tuple[list[str], list[str]]  # what hanja_words learnt from the articles, then from the facts


def _write(conn: sqlite3.Connection, checked: _Checked, workers: int) -> None:
    from yanbian_cli.factbase.check import Changed
    from yanbian_cli.search.analyze import Analyzer, Entities, analysis, entities
    from yanbian_cli.store.build import Writer

    base = checked.base
    a = Analyzer(base, None, checked.found)
    a.syllables = dict(checked.syllables)
    _STATE.update(analyzer=a, chains={name: base.place_chain(name) for name in base.places})  # the workers inherit it
    made: list[tuple[Entities, dict[str, list[str]], Writer]] = []

    def meanwhile() -> None:
        """While the workers make the first docs (which do not read the vocabularies): the places' and topics'
        docs, the vocabularies learnt from them and from the facts' labels, the database begun."""
        named = entities(a, base, checked.found)
        initials = a.initials_table()
        made.append((named, initials, Writer(conn, base, named.place_docs, named.topic_docs, named.chains)))

    heard: tuple[list[str], list[str]] = ([], [])
    try:
        for docs in _run(_analyse_part, checked.jobs, workers, meanwhile):
            writer = made[0][2]
            writer.articles(docs.articles)
            writer.fact_rows(docs.facts)
            writer.add_postings(docs.postings)
            heard[0].extend(docs.heard[0])
            heard[1].extend(docs.heard[1])
    except (_Broken, Changed):
        _again(conn, base.path)
        return
    finally:
        _STATE.clear()
    named, initials, writer = made[0]
    for word in heard[0]:  # as the build in one process learns them: the articles' words, then the facts'
        a.learn(word)
    vocab = a.vocab_table()
    for word in heard[1]:
        a.learn(word)
    writer.finish(base, checked.facts, analysis(a, named, vocab, initials, (), False))


def _again(conn: sqlite3.Connection, fact_file: Path) -> None:
    """The build in one process, from the start: a file changed since it was checked, or a worker failed."""
    from yanbian_cli.factbase import load
    from yanbian_cli.search.analyze import analyze
    from yanbian_cli.store.build import clear, write

    clear(conn)
    base = load(fact_file)
    write(conn, base, analyze(base))


def _analyse_part(job: tuple[list[str], list[str], int, int]) -> _Docs:
    """Second pass, in a worker: one part read again and analysed, its facts and articles numbered from
    where the parts before it end."""
    from yanbian_cli.factbase.check import read_checked
    from yanbian_cli.search.analyze import fact_docs, learn_articles
    from yanbian_cli.store.build import article_row, fact_row

    files, digests, first_fact, first_article = job
    a = _STATE["analyzer"]
    articles, facts = read_checked([Path(f) for f in files], digests)
    a.heard = []
    learn_articles(a, articles, facts)
    heard_articles, a.heard = a.heard, []
    article_rows = [article_row(i, art) for i, art in enumerate(articles.values(), first_article)]
    rows = []
    postings: dict[str, array[int]] = {}
    for i, (f, (doc, terms)) in enumerate(zip(facts, fact_docs(a, articles, facts, _STATE["chains"], False,
                                                               first_fact)), first_fact):
        article = articles.get(f.source.article)
        rows.append(fact_row(i, f, doc, article.date if article else ""))
        for term in terms or ():
            ords = postings.get(term)
            if ords is None:
                ords = postings[term] = array("I")
            ords.append(i)
    heard_facts, a.heard = a.heard, None
    return _Docs(article_rows, rows, {t: o.tobytes() for t, o in postings.items()}, (heard_articles, heard_facts))


# -- the workers ------------------------------------------------------------------------------------

_STATE: dict[str, Any] = {}  # set before the workers are forked; they read it


class _Broken(Exception):
    """A worker failed, or died."""


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def _can_fork() -> bool:
    return hasattr(os, "fork")  # (multiprocessing's fork start method is there exactly then; not imported here)


def _run(work: Callable[[_J], _R], jobs: Sequence[_J], workers: int,
         meanwhile: Callable[[], None] | None = None) -> Iterator[_R]:
    """work(job) for every job, in the order of the jobs, done by `workers` forked processes; at most WINDOW
    results a worker wait to be taken. `meanwhile` is called once the workers have their first jobs. _Broken
    when a worker raises or dies; the workers are ended in any case."""
    import multiprocessing
    from multiprocessing.connection import Connection, wait

    context = multiprocessing.get_context("fork")
    procs: list[tuple[Any, Connection]] = []
    taken = 0
    try:
        for _ in range(max(1, min(workers, len(jobs)))):
            mine, theirs = context.Pipe()
            proc = context.Process(target=_serve, args=(theirs, work), daemon=True)
            proc.start()
            theirs.close()
            procs.append((proc, mine))
        done: dict[int, _R] = {}
        waiting = {proc.sentinel: conn for proc, conn in procs}  # a worker that exits has failed
        load = {conn: 0 for _, conn in procs}
        sent = 0
        while taken < len(jobs):
            for conn in load:  # two jobs a worker: it starts the next while its result is read
                while load[conn] < 2 and sent < len(jobs) and sent - taken < WINDOW * len(procs):
                    conn.send((sent, jobs[sent]))
                    load[conn] += 1
                    sent += 1
            if meanwhile is not None:
                meanwhile()
                meanwhile = None
            while taken in done:
                yield done.pop(taken)
                taken += 1
            if taken >= len(jobs):
                break
            for ready in wait([*load, *waiting]):
                if ready in waiting:
                    raise _Broken("a worker exited")
                assert isinstance(ready, Connection)
                try:
                    index, ok, value = ready.recv()
                except EOFError:
                    raise _Broken("a worker exited") from None
                if not ok:
                    raise _Broken(value)
                done[index] = value
                load[ready] -= 1
    finally:
        for proc, conn in procs:
            if taken < len(jobs):  # stopped early (a problem found, a worker failed, an interrupt)
                proc.terminate()
            else:
                try:
                    conn.send(None)
                except OSError:
                    proc.terminate()
        for proc, conn in procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.kill()
                proc.join()
            conn.close()


def _serve(conn: Any, work: Callable[[Any], Any]) -> None:
    """A worker: jobs in, results out (sent by a thread of their own, so that the next job starts at once)."""
    import queue
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C and SIGTERM are for the main process, which ends us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # (not the cache writer's handler, which removes its file)
    out: queue.Queue = queue.Queue()

    def send() -> None:
        while (item := out.get()) is not None:
            conn.send(item)

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    while True:
        try:
            job = conn.recv()
        except EOFError:
            break
        if job is None:
            break
        index, payload = job
        try:
            out.put((index, True, work(payload)))
        except BaseException as exc:  # the main process builds in one process instead
            out.put((index, False, f"{type(exc).__name__}: {exc}"))
    out.put(None)
    sender.join()
