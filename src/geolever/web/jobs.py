"""Assessment jobs: a bounded thread pool, a bounded queue and one shared fact store.

DuckDB connections are not thread-safe; DuckDB's documented pattern for threads is one
``cursor()`` of a shared connection per thread, which is what each worker gets. Readers
run concurrently (MVCC), but two transactions updating the same row conflict
("Conflict on update"), and every scenario run re-registers its case pack, so writes
through the workers' stores are serialised by one lock per app.

Threads, not processes: one DuckDB file can be written by one process only, and the
numerical work is NumPy (which releases the GIL). matplotlib's pyplot keeps global
state, so report rendering is serialised by its own lock.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from geolever.core.errors import GeoleverError
from geolever.core.facts import Fact
from geolever.core.inputs import non_finite_path
from geolever.report import render_html, render_markdown
from geolever.report.render import charts
from geolever.scenario import Scenario, ScenarioResult, run_scenario
from geolever.scenario.run import counter_levers
from geolever.sources.packs import available_packs
from geolever.store import FactStore
from geolever.web.schemas import JobStatus, Progress

log = logging.getLogger("geolever.web")

JobState = Literal["queued", "running", "done", "failed"]

# pyplot (used by the report's charts) is not thread-safe.
_RENDER_LOCK = threading.Lock()


class QueueFullError(GeoleverError):
    """Every worker is busy and the waiting queue is full (HTTP 429)."""


class _CursorStore(FactStore):
    """A :class:`FactStore` on a cursor of a shared connection (one per thread)."""

    def __init__(self, parent: FactStore, write_lock: threading.Lock):
        self.path = parent.path
        self.con = parent.con.cursor()
        self._write_lock = write_lock

    def add_facts(
        self,
        facts: Iterable[Fact],
        *,
        dataset: str,
        kind: str = "facts",
        origin: str = "",
        replace: bool = False,
    ) -> int:
        """Insert facts like :meth:`FactStore.add_facts`, one writer at a time."""
        with self._write_lock:
            return super().add_facts(
                facts, dataset=dataset, kind=kind, origin=origin, replace=replace
            )


@dataclass
class Job:
    """One assessment: its scenario, state, progress and, when done, its outputs."""

    id: str
    scenario: Scenario
    total: int
    state: JobState = "queued"
    done: int = 0
    stage: str = "waiting for a worker"
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    error: dict[str, str | None] | None = None
    result: ScenarioResult | None = None
    result_json: str | None = None
    report_html: str | None = None
    report_md: str | None = None
    charts: dict[str, str] = field(default_factory=dict)

    def status(self, position: int | None = None, *,
               links: dict[str, str] | None = None) -> JobStatus:
        """Return the job's state (without its outputs); ``links`` are its URLs."""
        elapsed = None
        if self.started is not None:
            elapsed = round((self.finished or time.time()) - self.started, 3)
        return JobStatus(
            id=self.id, state=self.state, stage=self.stage,
            progress=Progress(done=self.done, total=self.total,
                              fraction=round(self.done / self.total, 4) if self.total else 1.0),
            queue_position=position, created=self.created, started=self.started,
            finished=self.finished, elapsed_s=elapsed, error=self.error,
            title=self.scenario.title, sender=self.scenario.sender,
            target=self.scenario.target, draws=self.scenario.draws,
            charts=sorted(self.charts), links=links or {},
        )


class JobManager:
    """Run scenarios in ``max_jobs`` worker threads with at most ``max_queue`` waiting.

    Parameters
    ----------
    store_path
        DuckDB file shared by all jobs, or ``":memory:"``.
    max_jobs
        Worker threads (jobs running at once).
    max_queue
        Jobs that may wait for a worker; one more submission raises :class:`QueueFullError`.
    keep_jobs
        Finished jobs kept in memory for polling; the oldest finished are dropped first.
    """

    def __init__(
        self,
        store_path: str | Path = ":memory:",
        *,
        max_jobs: int = 2,
        max_queue: int = 8,
        keep_jobs: int = 100,
    ):
        if max_jobs < 1 or max_queue < 0 or keep_jobs < 1:
            raise ValueError("max_jobs >= 1, max_queue >= 0 and keep_jobs >= 1 are required")
        self.max_jobs = max_jobs
        self.max_queue = max_queue
        self.keep_jobs = keep_jobs
        self.store = FactStore(store_path)
        # The packs are registered once here so a job's own (idempotent) load is a no-op.
        for name in available_packs():
            self.store.load_pack(name)
        self._write_lock = threading.Lock()
        self._lock = threading.Lock()
        self._local = threading.local()
        self._cursors: list[_CursorStore] = []
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._pool = ThreadPoolExecutor(max_workers=max_jobs, thread_name_prefix="geolever-job")

    # ------------------------------------------------------------------ stores
    def thread_store(self) -> FactStore:
        """Return this thread's store (a cursor of the shared connection, made once)."""
        store: _CursorStore | None = getattr(self._local, "store", None)
        if store is None:
            with self._lock:
                store = _CursorStore(self.store, self._write_lock)
                self._cursors.append(store)
            self._local.store = store
        return store

    def request_store(self) -> _CursorStore:
        """Return a new store on its own cursor for one request; close it when done."""
        with self._lock:
            return _CursorStore(self.store, self._write_lock)

    # ------------------------------------------------------------------ jobs
    def counts(self) -> dict[str, int]:
        """Return how many jobs are queued, running, done and failed."""
        with self._lock:
            out = {"queued": 0, "running": 0, "done": 0, "failed": 0}
            for job in self._jobs.values():
                out[job.state] += 1
            return out

    def submit(self, scenario: Scenario) -> Job:
        """Queue ``scenario``; raise :class:`QueueFullError` if no place is left."""
        with self._lock:
            active = sum(j.state in ("queued", "running") for j in self._jobs.values())
            if active >= self.max_jobs + self.max_queue:
                raise QueueFullError(
                    f"the job queue is full ({self.max_jobs} running, {self.max_queue} waiting)",
                    field=None,
                    fix="retry when a job has finished (poll its status)",
                )
            job = Job(
                id=uuid.uuid4().hex,
                scenario=scenario,
                # both directions: the target's counter-levers are assessed too
                total=len(scenario.levers) + len(scenario.claims) + 1 + (
                    len(counter_levers(scenario)) if scenario.directions == "both" else 0),
            )
            self._jobs[job.id] = job
            self._evict()
        self._pool.submit(self._run, job)
        return job

    def get(self, job_id: str) -> Job | None:
        """Return the job ``job_id`` or None."""
        with self._lock:
            return self._jobs.get(job_id)

    def position(self, job: Job) -> int | None:
        """Return how many queued jobs are ahead of ``job`` (None unless it is queued)."""
        if job.state != "queued":
            return None
        with self._lock:
            return sum(j.state == "queued" and j.created < job.created for j in self._jobs.values())

    def _evict(self) -> None:
        finished = [k for k, j in self._jobs.items() if j.state in ("done", "failed")]
        for key in finished[: max(0, len(finished) - self.keep_jobs)]:
            del self._jobs[key]

    def _tick(self, job: Job) -> Any:
        def progress(n: int) -> None:
            job.done = min(job.total, job.done + n)
            left = len(job.scenario.levers) - job.done
            job.stage = (
                f"Monte Carlo: {job.done} of {len(job.scenario.levers)} levers"
                if left > 0
                else "checking claims"
            )

        return progress

    def _run(self, job: Job) -> None:
        job.state, job.started, job.stage = "running", time.time(), "loading the case"
        try:
            result = run_scenario(job.scenario, self.thread_store(), progress=self._tick(job))
            doc = result.to_dict()
            job.stage = "rendering the report"
            with _RENDER_LOCK:
                svgs = charts(doc)
                html = render_html(doc, svgs)
                md = render_markdown(doc)
            # serialised now, strictly: a job is only 'done' if its result.json can be
            # served (a NaN would make it answer 500 later; issue 14)
            text = json.dumps(doc, ensure_ascii=False, allow_nan=False)
            job.result, job.result_json = result, text
            job.charts, job.report_html, job.report_md = svgs, html, md
            job.done, job.stage, job.state = job.total, "finished", "done"
        except GeoleverError as err:
            job.error, job.stage, job.state = err.to_dict(), "failed", "failed"
        except Exception as err:  # a bug must fail the job, never the server
            log.exception("job %s failed", job.id)
            where = non_finite_path(locals().get("doc")) if isinstance(err, ValueError) else None
            job.error = {
                "error": "InternalError",
                "message": "the assessment failed with an internal error"
                + (f" (a non-finite number at {where})" if where else ""),
                "field": None,
                "fix": "report it with the scenario; the server log has the traceback",
            }
            job.stage, job.state = "failed", "failed"
        finally:
            job.finished = time.time()
            with self._lock:
                self._evict()

    def close(self) -> None:
        """Stop taking jobs, cancel the waiting ones, and close the store."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            for cur in self._cursors:
                try:
                    cur.close()
                except Exception:  # already closed with its thread
                    log.debug("cursor already closed")
            self._cursors.clear()
        self.store.close()
