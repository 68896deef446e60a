"""The public API is a contract: a name that disappears or a signature that changes fails here.

Change this file only together with a deliberate, documented API change.
"""

from __future__ import annotations

import inspect
import subprocess
import sys

import geolever
import geolever.api as api

P, K = inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.KEYWORD_ONLY
PK = inspect.Parameter.POSITIONAL_OR_KEYWORD
STORE = ("store", K, None)

#: name -> [(parameter, kind, default)]; ``...`` marks a required parameter.
SIGNATURES: dict[str, list[tuple[str, inspect._ParameterKind, object]]] = {
    "assess": [("scenario", P, None), ("sender", K, None), ("target", K, None),
               ("year", K, None), ("levers", K, None), ("claims", K, None), ("case", K, None),
               ("title", K, None), ("draws", K, None), ("seed", K, None), STORE,
               ("progress", K, False)],
    "balance": [("sender", PK, ...), ("target", PK, ...), ("year", K, None), ("draws", K, None),
                ("seed", K, None), ("allow_earlier_year", K, False), STORE,
                ("progress", K, False)],
    "check_claims": [("text", PK, ...), ("case", K, "russia-azerbaijan"), ("fmt", K, "auto"),
                     ("year", K, None), ("sender", K, None), ("target", K, None),
                     ("published", K, None), STORE],
    "matrix": [("year", PK, ...), ("lever", K, "export_ban"), ("countries", K, None),
               ("goods", K, None), ("tariff_pct", K, None), ("sigma", K, 5.0),
               ("dataset", K, None), ("chunk", K, None), ("client", K, None), STORE],
    "ge": [("dataset", PK, None), ("spec", K, None), ("embargo", K, ()), ("tariff", K, ()),
           ("pta", K, ()), ("pta_var", K, "pta"), ("costs", K, None), ("sigma", K, None),
           ("reference", K, None), ("year", K, None), ("rename", K, None),
           ("sector_col", K, None), ("io_shares", K, None), ("va_share", K, None)],
    "io_extract": [("sender", PK, ...), ("target", PK, ...), ("table", K, "wiod2013"),
                   ("year", K, 2008), ("sectors", K, "all"), ("share", K, 1.0),
                   ("intermediate", K, True), ("final", K, True), ("data_dir", K, None)],
    "import_data": [("source", PK, ...), ("path", PK, ...), STORE, ("options", K, None)],
    "pack_scenario": [("name", PK, "russia-azerbaijan")],
    "heatmap": [("frame", PK, ...), ("value", PK, "target_loss_pct")],
    "loss_vs_cost": [("doc", PK, ...)],
    "routes": [("doc", PK, ...), ("lever", PK, None)],
}
CLASSES = {"Assessment": ("summary", "to_frame", "plot", "document", "_repr_html_"),
           "ClaimsCheck": ("summary", "to_frame", "_repr_html_")}
TOP_LEVEL = {"__version__", "levers", "assess", "balance", "check_claims", "matrix", "import_data",
             "ge", "io_extract",
             "pack_scenario", "heatmap", "Assessment", "ClaimsCheck", "GeoleverError"}


def _shape(func: object) -> list[tuple[str, inspect._ParameterKind, object]]:
    sig = inspect.signature(func)  # type: ignore[arg-type]
    return [(p.name, p.kind, ... if p.default is inspect.Parameter.empty else p.default)
            for p in sig.parameters.values()]


def test_all_lists_exactly_the_public_names() -> None:
    assert set(api.__all__) == set(SIGNATURES) | set(CLASSES) | {"GeoleverError"}
    assert set(geolever.__all__) == TOP_LEVEL
    for name in geolever.__all__:
        assert getattr(geolever, name) is not None
        if name in api.__all__:
            assert getattr(geolever, name) is getattr(api, name)


def test_signatures_are_unchanged() -> None:
    for name, expected in SIGNATURES.items():
        assert _shape(getattr(api, name)) == expected, name
        assert getattr(api, name).__doc__, f"{name} has no docstring"


def test_result_classes_keep_their_methods() -> None:
    for cls, methods in CLASSES.items():
        for method in methods:
            assert hasattr(getattr(api, cls), method), f"{cls}.{method}"


def test_levers_are_reachable_as_classes_by_name() -> None:
    from geolever.levers import lever_kinds

    for kind, cls in lever_kinds().items():
        assert getattr(geolever.levers, cls.__name__) is cls
        assert cls.__name__ in dir(geolever.levers)
        assert cls.model_fields["kind"].default == kind
    assert geolever.levers.RemittanceBan(share=1).kind == "remittance_ban"


def test_import_geolever_stays_light() -> None:
    code = ("import sys, geolever; heavy = [m for m in ('geolever.api', 'pandas', 'duckdb', "
            "'matplotlib', 'scipy') if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == ""
