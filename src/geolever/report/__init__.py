"""geolever.report layer (see DESIGN.md)."""
