"""geolever.store layer (see DESIGN.md)."""
