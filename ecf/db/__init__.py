"""ECF's PostgreSQL backend: Django's, with bulk writes cut to the protocol's limit."""
