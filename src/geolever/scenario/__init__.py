"""geolever.scenario layer (see DESIGN.md)."""
