"""Bundle exchange between installations (DESIGN.md §5): keys and key cards, signed and encrypted
``.udbx`` bundles, two-phase import with a dry run, conflicts, receipts, device identity.

The GUI page uses ``app.sync.service``; the backup/restore helper calls
``take_new_device_identity`` after a restore.
"""

from app.sync.identity import check_identity, take_new_device_identity

__all__ = ["check_identity", "take_new_device_identity"]
