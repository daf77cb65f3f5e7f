"""What each audit operation is called in Chinese: the audit page, a record's 修改历史 and the
CLI show these, never the stored key (“keys_create”). Every ``audit.append(action=…)`` in the
core has its label here; a test scans the sources so a new operation cannot ship unnamed."""

from __future__ import annotations

ACTION_LABELS: dict[str, str] = {
    # records
    "create": "新增", "update": "修改", "delete": "作废", "reveal": "查看敏感信息",
    "import": "导入", "export": "导出", "export_unmasked": "导出(不脱敏)", "print": "打印", "confirm": "确认发放",
    "renumber": "重新编号",
    # sign-in and users
    "login": "登录", "logout": "退出", "user_create": "新增用户", "user_update": "修改用户",
    "user_unlock": "解锁用户", "password_change": "修改密码", "password_reset": "重置密码",
    "user_recover": "解除管理员锁定",
    # the installation
    "init": "初始化", "setting": "修改设置", "codes_seed": "载入代码表", "demo": "演示数据",
    "backup": "备份", "restore": "恢复", "device_identity": "登记本机标识",
    "device_moved": "登记为本单位的另一台电脑", "device_name": "设置本机名称",
    # exchange with the city and the counties
    "bundle_export": "导出数据包", "bundle_import": "导入数据包", "bundle_refused": "拒收数据包",
    "bundle_receipt": "生成回执", "bundle_receipt_import": "导入回执",
    "conflict_resolve": "处理冲突", "request": "向所属单位提出请求", "request_answer": "答复请求",
    "keys_create": "生成交换密钥", "key_card_export": "导出密钥卡", "key_trust": "信任对方密钥",
    "key_revoke": "吊销对方密钥", "recovery_export": "导出密钥备份",
    "recovery_import": "导入密钥备份", "audit_witness_broken": "发现对方审计日志被截断或改写",
    "repair_version_vectors": "修复版本向量",
}


def action_label(action: str) -> str:
    """The Chinese name of an audit operation; an unknown one (from a newer version's bundle)
    reads as 其他操作 with its key, so it is still traceable."""
    return ACTION_LABELS.get(action) or f"其他操作({action})"
