"""The catalogue: the corpus and its manifest, builds (serial, parallel, Dask), lineage, SQLite/Postgres/JSON/CSV writers, the static site."""
