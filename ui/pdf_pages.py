"""PDF pages as images for the print preview and for printing, with pypdfium2 (QtPdf is not part of
PySide6-Essentials). PDFium is not thread-safe: one lock serialises every call on a document, so
pages may be rendered on the worker threads of ``run_in_background``."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtGui import QImage

POINTS_PER_INCH = 72.0
_PDFIUM = threading.Lock()  # PDFium keeps global state: one call at a time, whatever the document


class PdfPages:
    def __init__(self, path: Path | str):
        import pypdfium2 as pdfium

        with _PDFIUM:
            self._doc = pdfium.PdfDocument(str(path))
            self.count = len(self._doc)
            self.sizes = [self._doc[i].get_size() for i in range(self.count)]  # points

    def __len__(self) -> int:
        return self.count

    def render(self, index: int, scale: float) -> QImage:
        """Page ``index`` at ``scale`` pixels per point (1.0 = 72 dpi), as an RGB32 image."""
        import pypdfium2.raw as pdfium_c

        with _PDFIUM:
            if self._doc is None:
                raise RuntimeError("document closed")
            page = self._doc[index]
            try:
                bitmap = page.render(scale=scale, force_bitmap_format=pdfium_c.FPDFBitmap_BGRx)
                # BGRx bytes are Qt's RGB32 on little-endian machines (Windows and Linux x86/ARM)
                image = QImage(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride,
                               QImage.Format.Format_RGB32).copy()
                bitmap.close()
            finally:
                page.close()
        return image

    def close(self) -> None:
        with _PDFIUM:
            if self._doc is not None:
                self._doc.close()
                self._doc = None
