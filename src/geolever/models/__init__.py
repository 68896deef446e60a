"""geolever.models layer (see DESIGN.md)."""
