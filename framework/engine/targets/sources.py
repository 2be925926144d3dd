"""The state of each source a target reads, and the relations (queries) the plans read it by.

Per source, three relations: `current` (every row now), `previous` (the rows as this target last
saw them) and `changed` (what changed since). A bronze source is read through its current state
and a target source as it is: both are Delta tables with a change feed, so `previous` is the
version the target last read and `changed` the feed between that version and now. Reference
data is small and compared by fingerprint. `read_states(rebuild=True)` leaves bronze sources
unversioned: the tests' full rebuild (tests/rebuild.py) reads their state as computed from the
whole bronze history instead, so that it checks the current states too.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass

from framework.engine.lakehouse import Lakehouse
from framework.engine.targets.control import CURRENT, Entry, Seen
from framework.specs.targets.expressions import quote
from framework.specs.targets.plan import Relations
from framework.specs.targets.sources import BRONZE, REFERENCE, TARGET, ReferenceData, SourceInfo
from framework.text import sql_string


@dataclass
class SourceState:
    info: SourceInfo
    exists: bool = True
    table_id: str | None = None  # bronze (its current state), target: the Delta table read, and its version now
    version: int | None = None
    seen: tuple[str, int] | None = None  # bronze, target: (table id, version) the target last read
    fingerprint: str | None = None  # reference: content hash now
    fingerprint_seen: bool = False
    feed_unreadable: bool = False  # target: its change feed could not be read (not enabled, vacuumed)

    @property
    def versioned(self) -> bool:
        """Read as a Delta table at a version, with its change feed."""
        return self.info.kind in (BRONZE, TARGET)

    @property
    def changed(self) -> bool:
        if self.versioned:
            return self.seen != (self.table_id, self.version)
        return not self.fingerprint_seen

    @property
    def untraceable(self) -> bool:
        """Changed in a way the change feed cannot describe: every scope must be recomputed."""
        if self.versioned:
            return self.changed and (self.seen is None or self.seen[0] != self.table_id or self.feed_unreadable)
        return self.changed

    def entries(self) -> list[Entry]:
        """What the target will have processed once this load's MERGE committed."""
        if self.versioned:
            if self.table_id is None or self.version is None:
                return []
            kind = CURRENT if self.info.kind == BRONZE else TARGET
            return [Entry(self.info.name, kind, source_version=self.version, source_table_id=self.table_id)]
        return [Entry(self.info.name, REFERENCE, run_id=self.fingerprint)]


class Versions:
    """The Delta id and version of the tables a run of loads reads, each asked once: sources are
    read by several targets, and only the load that writes a table changes its version (it
    forgets the table)."""

    def __init__(self, lakehouse: Lakehouse):
        self.lakehouse = lakehouse
        self.known: dict[str, tuple[str, int]] = {}
        self._asking: dict[str, threading.Lock] = {}  # per table: loads at once ask each table once

    def of(self, table: str) -> tuple[str, int] | None:
        """The table's id and latest version; None when it does not exist."""
        with self._asking.setdefault(table, threading.Lock()):
            if table not in self.known:
                if not self.lakehouse.exists(table):
                    return None
                name = self.lakehouse.name(table)
                detail = self.lakehouse.rows(f"DESCRIBE DETAIL {name}")[0]
                version = self.lakehouse.rows(f"DESCRIBE HISTORY {name} LIMIT 1")[0]["version"]
                self.known[table] = (detail["id"], int(version))
            return self.known[table]

    def forget(self, table: str) -> None:
        self.known.pop(table, None)


def read_states(lakehouse: Lakehouse, sources: Mapping[str, SourceInfo], references: Mapping[str, ReferenceData],
                seen: Seen, *, rebuild: bool = False, versions: Versions | None = None) -> dict[str, SourceState]:
    """Each source's state now (`rebuild`: bronze sources are read from bronze, no versions)."""
    versions = versions or Versions(lakehouse)
    states = {}
    for name, info in sources.items():
        state = SourceState(info)
        if info.kind == REFERENCE:
            state.fingerprint = references[name].fingerprint()
            state.fingerprint_seen = state.fingerprint in seen.fingerprints.get(name, set())
        elif not (rebuild and info.kind == BRONZE):
            version = versions.of(info.table)
            if version is None:
                raise MissingSource(info.table)
            state.table_id, state.version = version
            state.seen = seen.versions.get(name)
        states[name] = state
    return states


class MissingSource(Exception):
    def __init__(self, table: str):
        self.table = table
        super().__init__(table)


def _empty(info: SourceInfo) -> str:
    columns = ", ".join(f"CAST(NULL AS {info.types.get(c, 'STRING')}) AS {quote(c)}" for c in info.columns)
    return f"SELECT {columns} WHERE FALSE"


def _previous(info: SourceInfo, table: str, start: int, current: str, feed: str) -> str:
    """The rows as of version `start`. A keyed table's are rebuilt from the rows now and the feed
    since: the rows of keys the feed does not name, plus each named key's first pre-image (none
    when its first change inserted it). That reads the snapshot now, which Delta keeps, where
    time travel to `start` makes Delta rebuild an old snapshot in every statement that reads it."""
    columns = ", ".join(quote(c) for c in info.columns)
    if not info.key:
        return f"SELECT {columns} FROM {table} VERSION AS OF {start}"
    key = ", ".join(quote(k) for k in info.key)
    same = " AND ".join(f"__c.{quote(k)} <=> __f.{quote(k)}" for k in info.key)
    # within one commit a key's pre-image (or delete) precedes its insert: a replaced table's
    # commit deletes every old row and inserts every new one
    first = ("row_number() OVER (PARTITION BY " + key + " ORDER BY _commit_version, "
             "CASE WHEN _change_type = 'insert' THEN 1 ELSE 0 END)")
    before = (f"SELECT {columns} FROM (SELECT *, {first} AS __n FROM {feed} "
              f"WHERE _change_type <> 'update_postimage') WHERE __n = 1 AND _change_type <> 'insert'")
    kept = f"SELECT __c.* FROM ({current}) __c LEFT ANTI JOIN (SELECT {key} FROM {feed}) __f ON {same}"
    return f"{kept} UNION ALL {before}"


def source_relations(lakehouse: Lakehouse, states: Mapping[str, SourceState], *, full: bool,
                     rebuilt: Mapping[str, str] | None = None) -> Relations:
    """The relations of every source: queries over Delta versions, inlined in the plans (no
    statement per source). Reference data is read by its name: each statement defines it in
    front (`ResolvedTarget.standalone`), so no session state is shared by loads that run at once.
    `rebuilt`: queries that stand for some sources' current rows (bronze sources' state computed
    from bronze). Change feeds are not probed here: see `without_unreadable_feeds`."""
    current: dict[str, str] = {}
    previous: dict[str, str] = {}
    changed: dict[str, str] = {}
    events: dict[str, str] = {}
    for name, state in states.items():
        info = state.info
        if info.kind == REFERENCE:
            rows = f"SELECT {', '.join(quote(c) for c in info.columns)} FROM {quote(name)}"
            queries = {"cur": rows, "prev": rows if state.fingerprint_seen else _empty(info), "chg": _empty(info)}
        elif rebuilt and name in rebuilt:
            queries = {"cur": rebuilt[name]}
        else:
            table, columns = lakehouse.name(info.table), ", ".join(quote(c) for c in info.columns)
            queries = {"cur": f"SELECT {columns} FROM {table} VERSION AS OF {state.version}"}
            if not full:
                if state.seen is not None and not state.untraceable:
                    start = state.seen[1]
                    if state.version is not None and state.version > start:
                        feed = f"table_changes({sql_string(table)}, {start + 1}, {state.version})"
                        queries["chg"] = f"SELECT {columns} FROM {feed}"
                        events[name] = f"(SELECT {columns}, _change_type, _commit_version FROM {feed})"
                        queries["prev"] = _previous(info, table, start, queries["cur"], feed)
                    else:
                        queries["prev"], queries["chg"] = queries["cur"], _empty(info)
                else:
                    queries["prev"] = queries["chg"] = _empty(info)
        current[name] = f"({queries['cur']})"
        if "prev" in queries:
            previous[name], changed[name] = f"({queries['prev']})", f"({queries['chg']})"
    return Relations(current, previous, changed, events)


def without_unreadable_feeds(lakehouse: Lakehouse, states: Mapping[str, SourceState],
                             relations: Relations) -> tuple[Relations, list[str]]:
    """The relations without the change feeds that cannot be read (the feed may be off for those
    versions, or vacuumed), and those sources' names: each is marked `feed_unreadable`, so that
    every scope is recomputed. Loads call this only after a statement reading the feeds failed:
    a load whose feeds are fine runs no probe."""
    feeds = {n: relations.changed[n] for n, s in states.items() if n in relations.changed and s.versioned and s.changed}
    unreadable = _unreadable(lakehouse, feeds)
    if not unreadable:
        return relations, []
    previous, changed, events = dict(relations.previous), dict(relations.changed), dict(relations.events)
    for name in unreadable:
        states[name].feed_unreadable = True
        previous[name] = changed[name] = f"({_empty(states[name].info)})"
        events.pop(name, None)
    return Relations(relations.current, previous, changed, events), unreadable


def _unreadable(lakehouse: Lakehouse, feeds: Mapping[str, str]) -> list[str]:
    """The change-feed queries that cannot be read: all of them probed in one statement, one by
    one only when that fails. Each probe reads one row: under `LIMIT 0` Spark drops the scan
    before Delta looks at the feed."""
    def plans(queries: list[str]) -> bool:
        try:
            lakehouse.rows(" UNION ALL ".join(f"(SELECT 1 AS __probe FROM {q} LIMIT 1)" for q in queries))
        except Exception:  # any failure means: recompute everything instead
            return False
        return True

    if not feeds or plans(list(feeds.values())):
        return []
    return [name for name, query in feeds.items() if not plans([query])]
