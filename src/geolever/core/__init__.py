"""Foundation shared by every layer: errors, units, countries, quantities with provenance."""
