"""Decrypted attachments opened for viewing leave nothing in the temporary folder: removed when
the program closes, and what a viewer still held then is removed at the next start."""

from app import viewing
from app.services.startup import Startup


def test_files_for_viewing_go_at_close_and_leftovers_at_the_next_start(db_path):
    start = Startup(db_path)
    start.begin(integrity=False)
    start.open()
    shown = viewing.write_for_viewing(db_path, "身份证.png", b"\x89PNG scan")
    assert shown.read_bytes() == b"\x89PNG scan" and shown.is_relative_to(viewing.folder(db_path))
    start.close(backup=False)
    assert not viewing.folder(db_path).exists()
    left = viewing.write_for_viewing(db_path, "病历.pdf", b"%PDF left by a crash")
    start = Startup(db_path)
    start.begin(integrity=False)
    try:
        assert not left.exists() and not viewing.folder(db_path).exists()
    finally:
        start.close(backup=False)
