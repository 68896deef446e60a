"""geolever.shocks layer (see DESIGN.md)."""
