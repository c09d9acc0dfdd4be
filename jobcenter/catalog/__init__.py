"""Reference data: districts, skills, task kinds, stream rules and rates."""
