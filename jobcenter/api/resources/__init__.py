"""API resources: one module per domain, each a set of thin views on `jobcenter.api.bp`."""
