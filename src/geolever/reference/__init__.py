"""Reference tables (units, countries, indicators, products) as data files."""
