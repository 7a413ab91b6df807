"""Symposia: run a research conference end to end."""

__version__ = "0.1.0"
