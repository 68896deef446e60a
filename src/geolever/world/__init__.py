"""World and case views: typed, in-memory access to the facts a computation needs."""

from geolever.world.case import Case, Edge, Network, ParameterSpec, load_case

__all__ = ["Case", "Edge", "Network", "ParameterSpec", "load_case"]
