"""Web API and dashboard (FastAPI): the same scenario schema and runner as the CLI.

``create_app()`` returns the application; ``geolever serve`` runs it with uvicorn.
"""

from geolever.web.app import MAX_BODY_BYTES, MAX_TEXT_CHARS, create_app
from geolever.web.claims_pool import ClaimsPool
from geolever.web.jobs import JobManager, QueueFullError
from geolever.web.server import serve_in_background

__all__ = [
    "MAX_BODY_BYTES",
    "MAX_TEXT_CHARS",
    "ClaimsPool",
    "JobManager",
    "QueueFullError",
    "create_app",
    "serve_in_background",
]
