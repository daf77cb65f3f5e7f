"""Excel export, templates and import (openpyxl, imported lazily: never on the app's start path).

Each record kind is declared once in ``registry.KIND_MODULES`` (``kinds/<area>.py``): its RecordSpec,
sheet columns, row selection and importer. Entry points: ``export.export_kind``,
``template.write_template``, ``importer.check_file`` / ``apply_import`` / ``import_file``.
"""
