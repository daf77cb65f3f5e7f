"""Roles and what each may do. Checked in services (``Actor.require``), not only by hiding buttons.

Separation of duties (等保 L2 访问控制): the administrator manages accounts, code tables, units,
backups and exchange but does not handle personal records or see unmasked data; the auditor reads and
verifies the audit log and cannot change anything; nobody can edit or delete the audit log.
"""

from __future__ import annotations

from enum import StrEnum


class Perm(StrEnum):
    READ = "read"  # see business data (sensitive values masked)
    WRITE = "write"  # create and correct business records (经办)
    REVIEW = "review"  # 审核
    APPROVE = "approve"  # 审批
    REVEAL = "reveal"  # see full ID, phone and bank numbers (each reveal is logged)
    EXPORT = "export"  # Excel exports and printing
    MANAGE_UNITS = "manage_units"
    MANAGE_CODES = "manage_codes"
    MANAGE_USERS = "manage_users"
    SYNC = "sync"  # bundle exchange
    TRUST_KEYS = "trust_keys"  # trust or revoke another office's key card: who receives our data
    BACKUP = "backup"
    AUDIT = "audit"  # read, verify and export the audit log
    DEMO = "demo"  # fill a database with generated demonstration data


P = Perm
ROLES: dict[str, tuple[str, frozenset[Perm]]] = {
    "admin": ("系统管理员", frozenset({P.READ, P.MANAGE_UNITS, P.MANAGE_CODES, P.MANAGE_USERS,
                                       P.SYNC, P.TRUST_KEYS, P.BACKUP, P.DEMO})),
    "clerk": ("经办人", frozenset({P.READ, P.WRITE, P.REVEAL, P.EXPORT, P.MANAGE_UNITS, P.SYNC})),
    "reviewer": ("审核人", frozenset({P.READ, P.REVIEW, P.REVEAL, P.EXPORT})),
    "approver": ("审批人", frozenset({P.READ, P.APPROVE, P.REVEAL, P.EXPORT})),
    "auditor": ("审计员", frozenset({P.READ, P.AUDIT})),
    "readonly": ("只读", frozenset({P.READ})),
}

PERM_LABELS = {
    P.READ: "查看数据", P.WRITE: "录入和修改数据", P.REVIEW: "审核", P.APPROVE: "审批",
    P.REVEAL: "查看完整敏感信息", P.EXPORT: "导出和打印", P.MANAGE_UNITS: "维护单位",
    P.MANAGE_CODES: "维护代码表", P.MANAGE_USERS: "管理用户", P.SYNC: "数据交换", P.TRUST_KEYS: "信任或撤销对方密钥卡",
    P.BACKUP: "备份和恢复", P.AUDIT: "查看和校验审计日志", P.DEMO: "生成演示数据",
}


def role_label(role: str) -> str:
    return ROLES[role][0] if role in ROLES else role


def role_from_text(text: str) -> str | None:
    """Accept the English key or the Chinese name (经办人 → clerk)."""
    text = text.strip()
    if text in ROLES:
        return text
    for key, (label, _) in ROLES.items():
        if label == text:
            return key
    return None


def permissions(role: str) -> frozenset[Perm]:
    return ROLES[role][1] if role in ROLES else frozenset()
