"""The fast codeword path gives what qrcode gives: the same version and every codeword equal."""

import random

import pytest
from hypothesis import given, settings, strategies as st
from qrcode import QRCode, util
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_Q

from pbxwizard.pairing import qr_data

LEVELS = (ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_Q, ERROR_CORRECT_H)


def qrcodes_own(data: bytes, level: int) -> tuple[int, list[int]]:
    qr = QRCode(error_correction=level)
    qr.add_data(util.QRData(data, mode=util.MODE_8BIT_BYTE))
    version = qr.best_fit()
    return version, util.create_data(version, level, qr.data_list)


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=0, max_size=400), st.sampled_from(LEVELS))
def test_version_and_codewords_match_qrcode(data, level):
    version, expected = qrcodes_own(data, level)
    assert qr_data.best_version(len(data), level) == version
    assert qr_data.codewords(data, version, level) == expected


@pytest.mark.parametrize("level", LEVELS)
def test_every_length_up_to_the_version_boundaries(level):
    """Every byte length at every version step (where the count field widens at version 10)."""
    rng = random.Random(level)
    for length in range(0, 300):
        data = bytes(rng.randrange(256) for _ in range(length))
        version, expected = qrcodes_own(data, level)
        assert qr_data.best_version(length, level) == version
        assert qr_data.codewords(data, version, level) == expected


def test_too_long_is_the_same_error_as_qrcode():
    from qrcode.exceptions import DataOverflowError

    with pytest.raises(DataOverflowError):
        qr_data.best_version(3000, ERROR_CORRECT_H)
