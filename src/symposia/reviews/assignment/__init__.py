"""Reviewer assignment and text affinity: pure algorithms on numpy arrays, no Django."""
