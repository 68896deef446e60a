"""geolever.assessment layer (see DESIGN.md)."""
