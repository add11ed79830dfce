"""The annotated evaluation set is consistent: every gold value is valid and written in its
document (tests/data/extract_eval/check_gold.py does the checking)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CHECKER = Path(__file__).resolve().parents[1] / "data" / "extract_eval" / "check_gold.py"


def test_gold_annotations_check_out() -> None:
    result = subprocess.run(
        [sys.executable, str(CHECKER)], capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ok: 45 documents")
