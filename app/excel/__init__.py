"""Excel export, templates and import (openpyxl, imported lazily: never on the app's start path).

Every register has a kind (``registry.all_kinds``): generated from its declaration
(``generic``), or hand-made where a sheet is more than one register (``kinds/<area>.py``, named in
the manifest ``app.areas``). Reference columns name records through the spec they refer to
(``refs``). Entry points: ``export.export_kind``, ``template.write_template``,
``importer.check_file`` / ``apply_import`` / ``import_file``.
"""
