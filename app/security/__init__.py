"""Users, roles and permissions, password hashing, login, and the audit log."""
