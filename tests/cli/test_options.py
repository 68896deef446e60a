"""The CLI's shared options (``geolever.cli.options``)."""

from pathlib import Path

import pytest

from geolever.cli.options import store_path
from geolever.store import default_store_path


def test_store_path_prefers_the_option_then_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("GEOLEVER_STORE", str(tmp_path / "env.duckdb"))
    assert store_path(tmp_path / "opt.duckdb") == tmp_path / "opt.duckdb"
    assert store_path(None) == tmp_path / "env.duckdb"


@pytest.mark.parametrize("value", [None, ""])
def test_an_unset_or_empty_store_variable_means_the_default_store(monkeypatch, value):
    # an empty GEOLEVER_STORE used to give Path('') (the current folder), not the default
    if value is None:
        monkeypatch.delenv("GEOLEVER_STORE", raising=False)
    else:
        monkeypatch.setenv("GEOLEVER_STORE", value)
    assert store_path(None) == Path(default_store_path())
