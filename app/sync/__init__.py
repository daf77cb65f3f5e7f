"""Bundle exchange between installations (DESIGN.md §5): keys and key cards, signed and encrypted
``.udbx`` bundles, two-phase import with a dry run, conflicts, receipts, device identity.

The GUI page uses ``app.sync.service``; a restore gives the staged copy a new device id
(``app.db.restore``) and then calls ``adopt_restored``.
"""

from app.sync.identity import adopt_restored, check_identity, take_new_device_identity

__all__ = ["adopt_restored", "check_identity", "take_new_device_identity"]
