"""geolever.claims layer (see DESIGN.md)."""
