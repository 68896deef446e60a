"""World and case views: typed, in-memory access to the facts a computation needs."""

from geolever.world.case import (
    Case,
    Edge,
    Network,
    ParameterSpec,
    case_from_store,
    generic_parameters,
    load_case,
    open_case,
    pair_title,
)

__all__ = ["Case", "Edge", "Network", "ParameterSpec", "case_from_store", "generic_parameters",
           "load_case", "open_case", "pair_title"]
