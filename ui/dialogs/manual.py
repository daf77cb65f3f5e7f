"""帮助 → 使用手册: the short Chinese manual shipped in ``resources/manual`` (one HTML page organised
by tasks, its pictures made by the screenshot scripts and copied beside it), shown in a
QTextBrowser. F1 in a record's form opens the section for that form (``section_for``)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from app.config import resources_dir

TOP = "top"

# A record spec's key -> the manual's section (an anchor of index.html); a spec not named here
# opens the table of contents. A key may also be a prefix ending in "_" (all of rights_*).
SECTIONS: dict[str, str] = {
    "member": "member", "membership_event": "member", "membership_transfer": "member",
    "unit": "member",
    "hardship_archive": "archive", "hardship_family_member": "archive", "hardship_expense": "archive",
    "hardship_attachment": "archive", "hardship_review": "chain",
    "relief_entry": "relief", "hardship_campaign": "relief", "hardship_visit": "relief",
    "hardship_study_aid": "relief",
    "rights_ticket": "ticket", "rights_ticket_step": "ticket", "rights_handover": "ticket",
    "rights_reply": "ticket",
}


def manual_path():
    return resources_dir() / "manual" / "index.html"


def section_for(spec_key: str) -> str:
    return SECTIONS.get(spec_key, TOP)


class ManualDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, section: str = TOP):
        super().__init__(parent)
        self.setWindowTitle("使用手册")
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(True)
        self.browser.setOpenExternalLinks(False)
        self.browser.setSearchPaths([str(manual_path().parent)])
        self.browser.setSource(QUrl.fromLocalFile(str(manual_path())))
        buttons = QDialogButtonBox()
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.resize(820, 640)
        self.section = TOP
        self.show_section(section)

    def show_section(self, section: str) -> None:
        self.section = section or TOP
        self.browser.scrollToAnchor(self.section)


def open_manual(parent: QWidget | None = None, section: str = TOP) -> ManualDialog:
    """Show the manual at ``section``, not modal (the clerk reads it beside the form); it goes
    when closed, or with the window that opened it."""
    dialog = ManualDialog(parent, section)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.show_section(section)  # once laid out, so the anchor is at the top
    return dialog
