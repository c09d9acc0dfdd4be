"""Admin pages: users, units, skills, task kinds, stream rules, rates."""
