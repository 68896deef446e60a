"""Tests of the text fact-checker (mirrors src/geolever/claims)."""
