"""Excel export, templates and import (openpyxl, imported lazily: never on the app's start path).

Each record kind is declared once (``kinds/<area>.py``, named in the manifest ``app.areas``): its RecordSpec,
sheet columns, row selection and importer. Entry points: ``export.export_kind``,
``template.write_template``, ``importer.check_file`` / ``apply_import`` / ``import_file``.
"""
