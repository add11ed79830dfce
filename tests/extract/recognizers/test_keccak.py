import hashlib
import random

import pytest

from osint.extract.recognizers.keccak import keccak_256, sponge


def test_keccak_256_published_vectors() -> None:
    # Keccak-256 of "" and of "abc", as Ethereum computes them (not FIPS 202 SHA3-256).
    assert keccak_256(b"").hex() == (
        "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    )
    assert keccak_256(b"abc").hex() == (
        "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"
    )
    assert keccak_256(b"") != hashlib.sha3_256(b"").digest()


@pytest.mark.parametrize("length", [0, 1, 71, 72, 73, 135, 136, 137, 500])
def test_permutation_matches_fips_202_sha3_with_its_padding(length: int) -> None:
    data = random.Random(length).randbytes(length)  # noqa: S311 (test data)
    assert sponge(data, 136, 0x06, 32) == hashlib.sha3_256(data).digest()
    assert sponge(data, 72, 0x06, 64) == hashlib.sha3_512(data).digest()
    assert sponge(data, 168, 0x1F, 200) == hashlib.shake_128(data).digest(200)
