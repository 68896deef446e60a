"""geolever.world layer (see DESIGN.md)."""
