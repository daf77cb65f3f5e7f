"""The area kit: a record declared once gets its service, list, form, Excel, print, sync, CLI, demo
and figures.

- ``register``: ``Register``, what a record type declares beyond its fields (rules, permissions,
  numbering, hooks), and the registry of every register in the manifest (``app.areas``).
- ``app.services.records``: the generic service every register goes through (get, create, update,
  void, check_many, add_many), with the register's hooks.
- ``app.services.listing``: the one ``ListQuery`` that lists, exports, prints and counts.
- ``figures``: statistics declared as count / sum / distinct over a register, each with its
  unit of measure and a drill-down to exactly the records it counts.
- ``options``: the filters a list offers on the command line and in dialogs, turned into a
  ``ListQuery``.
"""
