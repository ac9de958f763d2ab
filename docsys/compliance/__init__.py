"""Compliance checking against the normative archive."""
