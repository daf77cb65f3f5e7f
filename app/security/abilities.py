"""What the desk may offer a user, asked by what the user wants to do ("may this user export?"),
never by permission: the desk shows, hides or enables a button by these answers and names no
permission itself. The service behind the button still checks — hiding a button is a courtesy, not
the guard — and each answer is the permission that service requires (named beside each question).
Per record type: ``app.services.records.may_write``; per area action: the area's service
(``app.services.hardship.aid.may_decide``)."""

from __future__ import annotations

from app.security.roles import Perm


def may_read(actor) -> bool:
    """Business data, masked (every list and figure: ``listing.require_list``)."""
    return actor.can(Perm.READ)


def may_reveal(actor) -> bool:
    """A masked value in full, logged (``records.reveal``; exports and printing unmasked)."""
    return actor.can(Perm.REVEAL)


def may_export(actor) -> bool:
    """Excel exports and printing (``app.excel.export``, ``app.printing.service``)."""
    return actor.can(Perm.EXPORT)


def may_import(actor, kind) -> bool:
    """An Excel kind's import: the permission it names (``app.excel.importer``)."""
    return actor.can(Perm(kind.import_perm))


def may_exchange(actor) -> bool:
    """Bundles, keys and receipts (``app.sync``)."""
    return actor.can(Perm.SYNC)


def may_trust_keys(actor) -> bool:
    """Trusting or revoking another office's key card: the administrator only
    (``app.sync.service.read_card`` / ``trust_card`` / ``revoke_peer``)."""
    return actor.can(Perm.TRUST_KEYS)


def may_resolve_conflicts(actor) -> bool:
    """Deciding an exchange conflict (``app.sync.conflicts``)."""
    return actor.can(Perm.WRITE)


def may_manage_users(actor) -> bool:
    """Accounts: create, change, reset passwords, unlock (``app.security.users``)."""
    return actor.can(Perm.MANAGE_USERS)


def may_change_settings(actor) -> bool:
    """The installation's settings (``app.services.settings.put``)."""
    return actor.can(Perm.MANAGE_USERS)


def may_read_audit(actor) -> bool:
    """The whole audit log: the auditor and the administrator (``audit_view.recent_entries``)."""
    return actor.can(Perm.AUDIT) or actor.can(Perm.MANAGE_USERS)


def may_backup(actor) -> bool:
    """Backups and restore (``app.services.backups``)."""
    return actor.can(Perm.BACKUP)
