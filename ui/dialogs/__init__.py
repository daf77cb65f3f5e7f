"""Dialogs: first run, login, password, lock screen, about, users, code items, record picker."""
