"""Official forms as PDF (reportlab; never Qt): the engine (fonts, page frame, title block, grid and
list tables, opinion and stamp boxes, amounts in figures and 大写, QR codes) and one module per form
under ``forms/``, named in the manifest (``app.areas``). Imported lazily: reportlab is not on the
app's start path. Entry points: ``app.printing.service.print_form`` and ``print_to_temp``.
"""
