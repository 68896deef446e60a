"""The claims checker off the server: worker processes with a time budget.

``check_text`` is pure Python: in a thread it holds the GIL, and one long text stalled
the whole server (even ``/api/health``). Each check therefore runs in a worker process
(spawned, so no DuckDB or thread state is inherited; niced, so the server process wins
the CPU), and a check that runs past its time budget is killed and its worker replaced:
the request gets a 422 naming the budget, and the server never notices.

Workers read the server store through a Parquet snapshot of every one of its tables taken
when the pool starts (DuckDB lets one process hold a store file; the server holds it): the
facts and datasets tables are merged into the worker's own (where the case packs are loaded,
as in the server), the bulk tables (``trade_flows``, ``trade_totals``, ``pipelines``, ...)
are views on their Parquet files. A check therefore answers exactly what
``geolever claims check`` answers on the same store, bulk flows included.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing as mp
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from geolever.core.errors import GeoleverError

log = logging.getLogger("geolever.web")

#: Seconds a claims check may take before it is stopped (a 50,000-character op-ed with
#: 500 candidate sentences needs minutes on one core).
DEFAULT_BUDGET_S = 20.0


class BudgetExceededError(GeoleverError):
    """A claims check ran past its time budget and was stopped (HTTP 422)."""


class PoolBusyError(GeoleverError):
    """Every claims worker is busy and the waiting places are taken (HTTP 429)."""


#: Tables the worker fills itself (the case packs) and merges the snapshot into.
_MERGED = ("facts", "datasets")


def _tables(con: Any) -> list[str]:
    """Return the base tables of the store's main schema."""
    rows = con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = "
                       "current_database() AND schema_name = 'main' AND NOT temporary "
                       "ORDER BY table_name").fetchall()
    return [str(r[0]) for r in rows]


def _restore(store: Any, snapshot: dict[str, str]) -> None:
    """Make the snapshot's tables the worker store's (merged, or views on the Parquet)."""
    con = store.con
    for table, path in snapshot.items():
        name = '"' + table.replace('"', '""') + '"'
        if table in _MERGED:
            con.execute(f"INSERT INTO {name} SELECT * FROM read_parquet(?) "
                        "ON CONFLICT DO NOTHING", [path])
            continue
        if table in _tables(con):
            if con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0]:
                con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM read_parquet(?)",
                            [path])
                continue
            con.execute(f"DROP TABLE {name}")
        literal = "'" + path.replace("'", "''") + "'"
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet({literal})")


def _worker(conn: Connection, snapshot: dict[str, str] | None) -> None:  # in the child
    with contextlib.suppress(OSError):
        os.nice(10)  # the server process must win the CPU over a long check
    from geolever.claims import check_text
    from geolever.sources.packs import available_packs
    from geolever.store import FactStore

    store = FactStore(":memory:")
    for name in available_packs():
        store.load_pack(name)
    if snapshot:
        _restore(store, snapshot)
    conn.send(("ready", None))
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        if request is None:
            return
        try:
            doc = check_text(store=store, **request).to_dict()
            conn.send(("ok", doc))
        except GeoleverError as err:
            conn.send(("user", err.to_dict()))
        except Exception as err:  # a bug: the request fails, the worker lives on
            conn.send(("bug", f"{type(err).__name__}: {err}"))


@dataclass
class _Worker:
    process: Any
    conn: Connection
    ready: bool = False
    started: float = field(default_factory=time.monotonic)


class ClaimsPool:
    """Run ``check_text`` in ``workers`` processes, at most ``waiting`` requests queued.

    Parameters
    ----------
    store
        The server's fact store (every table is snapshot for the workers), or None.
    workers
        Worker processes (checks running at once).
    waiting
        Requests that may wait for a worker; one more gets :class:`PoolBusyError`.
    budget_s
        Seconds one check may run; a longer one is stopped (:class:`BudgetExceededError`).
    """

    def __init__(self, store: Any = None, *, workers: int = 2, waiting: int = 8,
                 budget_s: float = DEFAULT_BUDGET_S):
        self.budget_s = budget_s
        self.workers = workers
        self.waiting = waiting
        self._ctx = mp.get_context("spawn")
        self._tmp = tempfile.mkdtemp(prefix="geolever-claims-")
        self._snapshot = self._take_snapshot(store)
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(workers + waiting)
        self._closed = False
        self._spawned = 0  # workers start on the first checks (an app may never need one)

    def _take_snapshot(self, store: Any) -> dict[str, str] | None:
        if store is None:
            return None
        out = {}
        for i, table in enumerate(_tables(store.con)):
            path = str(Path(self._tmp) / f"table{i}.parquet")
            name = '"' + table.replace('"', '""') + '"'
            store.con.execute(f"COPY {name} TO '{path}' (FORMAT parquet)")
            out[table] = path
        return out

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(target=_worker, args=(child, self._snapshot),
                                 name="geolever-claims", daemon=True)
        proc.start()
        child.close()
        return _Worker(proc, parent)

    def _take(self) -> _Worker:
        while True:
            with self._lock:
                if self._idle:
                    return self._idle.pop()
                if self._spawned < self.workers:
                    self._spawned += 1
                    return self._spawn()
            time.sleep(0.01)

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            if self._closed:
                self._stop(worker)
            else:
                self._idle.append(worker)

    @staticmethod
    def _stop(worker: _Worker) -> None:
        with contextlib.suppress(Exception):
            worker.process.kill()
            worker.process.join(5)
        with contextlib.suppress(Exception):
            worker.conn.close()

    def _replace(self, worker: _Worker) -> None:
        self._stop(worker)
        if not self._closed:
            self._give_back(self._spawn())

    def run(self, **request: Any) -> dict[str, Any]:
        """Check a text (``check_text``'s keyword arguments) in a worker; blocking.

        Raises
        ------
        PoolBusyError, BudgetExceededError, GeoleverError
            Busy pool, over budget, or the checker's own user error.
        """
        if not self._slots.acquire(blocking=False):
            raise PoolBusyError("too many claim checks at once", field=None,
                                fix="retry when one has finished")
        try:
            worker = self._take()
            try:
                if not worker.ready:  # the first request waits for the worker to start
                    if not worker.conn.poll(120):
                        raise RuntimeError("claims worker did not start")
                    worker.conn.recv()
                    worker.ready = True
                worker.conn.send(request)
                if not worker.conn.poll(self.budget_s):
                    threading.Thread(target=self._replace, args=(worker,), daemon=True).start()
                    raise BudgetExceededError(
                        f"checking this text takes longer than the {self.budget_s:g} s budget "
                        "and was stopped", field="text",
                        fix="send a shorter text, or run 'geolever claims check FILE' "
                        "(no time limit)")
                status, payload = worker.conn.recv()
            except (EOFError, OSError, RuntimeError) as err:  # the worker died
                threading.Thread(target=self._replace, args=(worker,), daemon=True).start()
                raise RuntimeError(f"claims worker failed: {err}") from None
            except BudgetExceededError:
                raise
            except BaseException:
                threading.Thread(target=self._replace, args=(worker,), daemon=True).start()
                raise
            self._give_back(worker)
        finally:
            self._slots.release()
        if status == "ok":
            return dict(payload)
        if status == "user":
            raise GeoleverError(payload["message"], field=payload["field"], fix=payload["fix"])
        raise RuntimeError(f"claims check failed: {payload}")

    async def check(self, **request: Any) -> dict[str, Any]:
        """Run :meth:`run` off the event loop (the loop only waits on a pipe)."""
        return await asyncio.to_thread(self.run, **request)

    def close(self) -> None:
        """Stop every worker and remove the snapshot."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for worker in idle:
            with contextlib.suppress(Exception):
                worker.conn.send(None)
            self._stop(worker)
        shutil.rmtree(self._tmp, ignore_errors=True)
