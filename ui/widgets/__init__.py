"""Reusable widgets: the lazy record list, the form built from a RecordSpec, search and filters."""
