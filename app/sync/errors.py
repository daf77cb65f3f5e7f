"""Why a bundle was refused: a stable code, the step that failed, and a Chinese message.

The codes are part of the interface (tests, the GUI's help texts and support calls use them); the
messages say what happened and what to do.
"""

from __future__ import annotations

from app.errors import AppError

# code → the step of the import pipeline that refuses with it
STEPS = {
    "E_IO": "读取文件",
    "E_TRUNCATED": "检查文件完整",
    "E_ZIP": "检查压缩包结构",
    "E_UNSAFE": "检查压缩包安全",
    "E_FORMAT": "读取清单",
    "E_FORMAT_NEWER": "检查格式版本",
    "E_SCHEMA_NEWER": "检查数据版本",
    "E_UNTRUSTED": "核对发送方",
    "E_SIG_INVALID": "核对签名",
    "E_WRONG_RECIPIENT": "核对接收方",
    "E_REPLAY": "检查是否已导入",
    "E_GAP": "检查前序数据包",
    "E_HASH": "核对文件校验值",
    "E_DECRYPT": "解密",
    "E_ROWS": "校验记录",
    "E_LOCKED": "解锁本单位密钥",
    "E_NO_KEYS": "本单位密钥",
    "E_COPY_VERIFY": "写入目标位置",
    "E_NOT_RECEIPT": "回执",
    "E_NOT_ENROLLED": "登记本机",
}


class BundleError(AppError):
    """A refused bundle (or a key problem). Nothing was written to the data tables."""

    exit_code = 6

    def __init__(self, code: str, message: str, *, detail: dict | None = None,
                 technical: BaseException | str | None = None):
        """``message`` is plain Chinese; ``technical`` (an exception's own, often English, text)
        goes to the log file only, never into the message."""
        if technical is not None:
            from app.errors import log_technical

            log_technical(f"bundle refused [{code}] {message}", technical)
        self.code = code
        self.step = STEPS.get(code, "")
        self.detail = detail or {}
        super().__init__(f"[{code}] {self.step}:{message}" if self.step else f"[{code}] {message}")
        self.plain = message
