"""Each role's home page: what this person can do next."""
