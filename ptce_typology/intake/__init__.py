"""Intake: reading and validating case files, case tables and the data files; nothing analytical."""
