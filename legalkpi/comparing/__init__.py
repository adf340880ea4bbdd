"""Comparing texts: the one row matcher, Russian↔Kazakh alignment, diffs between versions, stable KPI ids."""
