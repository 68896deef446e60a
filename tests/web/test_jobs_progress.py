"""A job's progress counts every lever it assesses, the counter-levers of both directions too."""

from __future__ import annotations

import time

import geolever
from geolever.scenario.run import counter_levers
from geolever.web.jobs import JobManager


def test_both_directions_count_the_counter_levers() -> None:
    manager = JobManager(":memory:", max_jobs=1, max_queue=1)
    scenario = geolever.pack_scenario("russia-azerbaijan").model_copy(
        update={"directions": "both", "draws": 100, "claims": []})
    job = manager.submit(scenario)
    counters = len(counter_levers(scenario))
    assert counters > 0
    assert job.total == len(scenario.levers) + counters + 1
    deadline = time.monotonic() + 300
    while job.state in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert job.state == "done", job.error if hasattr(job, "error") else job.state
    assert job.done == job.total
