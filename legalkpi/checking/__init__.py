"""Checking: the rules inside an act and the recomputation of achievement reports."""
