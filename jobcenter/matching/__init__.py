"""Matching: which participant works which shift.

The engine here is pure (plain dataclasses in, proposals and explanations out):
see README.md in this folder. ``operations.py`` (database load → solve → persist)
and the planning board build on it.
"""
