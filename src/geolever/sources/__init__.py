"""geolever.sources layer (see DESIGN.md)."""
