"""Reports: allowance days for Kela, wages, billing, earnings against the ceiling.

Plain query functions `(session, user, ...) -> rows`, each scoped through
`jobcenter.core.authz.scope` and computed by the database (SQL aggregations).
"""
