"""UnionDesk (工会工作台) headless core.

Everything the desktop UI does goes through this package, so the CLI, the tests and the smoke test
drive the same code. This package must never import PySide6 or ``ui`` (enforced by a test).
"""

__version__ = "0.1.0"
APP_NAME = "UnionDesk"
APP_TITLE = "工会工作台"
