"""Reference data files shipped with the package."""
