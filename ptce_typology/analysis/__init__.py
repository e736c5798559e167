"""Analyses: DataFrames (or small typed results) in and out; no file I/O, no display strings."""
