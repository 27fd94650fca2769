"""HQ: one database (a SQLite file or PostgreSQL) holding the batches of every counter."""
