"""Shifts (dated occurrences of tasks) and assignments of participants to them."""
