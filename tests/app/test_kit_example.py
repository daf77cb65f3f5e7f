"""The kit keeps its promise for a register that is only declared: the contract tests run again in
a fresh interpreter with the test-only example area (tests/kit_example: a model, a field spec, a
migration and one manifest line) added to the manifest, and every one of them passes for it."""

import re
import subprocess
import sys

from tests.crash_harness import ROOT, child_env


def test_the_example_register_passes_every_contract_test():
    env = child_env() | {"UNIONDESK_EXTRA_AREAS": "tests.kit_example.area:AREAS",
                         "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "tests/contract",
         "tests/kit_example", "-k", "kit_example or example"],
        cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8", timeout=900)
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr[-2000:]
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    passed = int(re.search(r"(\d+) passed", summary).group(1))
    assert passed >= 12 and "failed" not in summary and "error" not in summary, summary
