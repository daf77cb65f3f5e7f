"""The single definition of each record's fields (DESIGN.md §4) and the code tables (字典).

Forms, list columns, filters, Excel headers and import checks, printed forms and the audit log all
read these declarations; adding a field is one edit here plus a migration.
"""
