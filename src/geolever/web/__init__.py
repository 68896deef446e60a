"""Web API and dashboard (FastAPI): the same scenario schema and runner as the CLI."""
