"""Storage: the engine with its SQLite pragmas, the declarative base, change tracking, migrations."""
