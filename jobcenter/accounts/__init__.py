"""Users, roles, sign-in, one-time tokens, API tokens and the audit log."""
