"""Case packs shipped with geolever (data folders, one per case)."""
