"""geolever.levers layer (see DESIGN.md)."""
