"""The annotated evaluation sets are consistent: every gold value is valid and written in its
document (each set's check_gold.py does the checking)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.mark.parametrize(("folder", "documents"), [("extract_eval", 45), ("extract_heldout", 12)])
def test_gold_annotations_check_out(folder: str, documents: int) -> None:
    checker = DATA / "extract_eval" / "check_gold.py"
    result = subprocess.run(
        [sys.executable, str(checker), "--data", str(DATA / folder)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(f"ok: {documents} documents")
