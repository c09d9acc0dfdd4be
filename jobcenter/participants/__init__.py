"""Participants and their plans, instructors and their groups, availability."""
