"""geolever.effects layer (see DESIGN.md)."""
