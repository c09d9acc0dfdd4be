"""Demo data: `flask jobcenter demo` (small) and `--size helsinki` (benchmark scale)."""
