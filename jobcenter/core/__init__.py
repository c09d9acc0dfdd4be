"""Cross-cutting pieces: database base and types, clock, errors, authorization."""
