"""The codewords of a byte-mode QR code, as qrcode computes them, in a fraction of its time.

Profiling ``pair --all`` showed qrcode's bit buffer (a method call per bit) and its
Reed-Solomon division (a Polynomial object per step) taking more than half of each code.
Here the bit stream is one integer and the division a shift and an XOR per data byte, with
the generator's multiples tabled once per error-correction length. qrcode's own tables
(block structure, bit limits, generator polynomials, the Galois field) are used, and the
layout, masking and format bits stay qrcode's; ``tests/test_qr_data.py`` compares the
version and every codeword with qrcode's for thousands of payloads.
"""

from __future__ import annotations

from functools import lru_cache


def count_bits(version: int) -> int:
    """Bits of the character count in byte mode (ISO/IEC 18004 table 3)."""
    return 8 if version < 10 else 16


def best_version(length: int, error_correction: int) -> int:
    """The smallest version holding ``length`` bytes, as ``QRCode.best_fit`` picks it."""
    from qrcode import exceptions, util

    limits = util.BIT_LIMIT_TABLE[error_correction]
    for version in range(1, 41):
        if 4 + count_bits(version) + 8 * length <= limits[version]:
            return version
    raise exceptions.DataOverflowError(f"{length} bytes do not fit a QR code")


def codewords(data: bytes, version: int, error_correction: int) -> list[int]:
    """Data and error-correction codewords, interleaved: ``qrcode.util.create_data`` for one
    byte-mode segment."""
    from qrcode import base, exceptions, util

    blocks = base.rs_blocks(version, error_correction)
    limit = 8 * sum(block.data_count for block in blocks)
    bits = 4 + count_bits(version) + 8 * len(data)
    if bits > limit:
        raise exceptions.DataOverflowError(f"code length overflow ({bits} > {limit} bits)")
    stream = ((util.MODE_8BIT_BYTE << count_bits(version)) | len(data)) << 8 * len(data) | int.from_bytes(data, "big")
    tail = min(limit - bits, 4)  # the terminator, then zeros up to a byte boundary
    tail += -(bits + tail) % 8
    stream, bits = stream << tail, bits + tail
    buffer = stream.to_bytes(bits // 8, "big") + bytes((util.PAD0, util.PAD1)[i % 2] for i in range((limit - bits) // 8))

    data_blocks, ec_blocks, offset = [], [], 0
    for block in blocks:
        chunk = buffer[offset:offset + block.data_count]
        offset += block.data_count
        data_blocks.append(chunk)
        ec_blocks.append(_remainder(chunk, block.total_count - block.data_count))
    out = []
    for blocks_of in (data_blocks, ec_blocks):
        for i in range(max(len(b) for b in blocks_of)):
            out.extend(b[i] for b in blocks_of if i < len(b))
    return out


def _remainder(chunk: bytes, ec_count: int) -> bytes:
    """The Reed-Solomon remainder of ``chunk`` times x^ec_count by the generator of that degree."""
    table = _multiples(ec_count)
    top, mask = 8 * (ec_count - 1), (1 << 8 * ec_count) - 1
    rest = 0
    for byte in chunk:
        rest = ((rest << 8) & mask) ^ table[(rest >> top) ^ byte]
    return rest.to_bytes(ec_count, "big")


@lru_cache(maxsize=None)
def _multiples(ec_count: int) -> tuple[int, ...]:
    """For each factor 0-255: the generator's coefficients (after the leading 1) times it.

    Multiplying in GF(256) distributes over XOR, so only the eight powers of two are
    multiplied out and every other factor's row is the XOR of two rows already made: 8 x
    ec_count products instead of 256 x ec_count, which were most of a lone code's time.
    """
    from qrcode import LUT, base

    generator = LUT.rsPoly_LUT[ec_count][1:]

    def times(a: int, b: int) -> int:
        return base.gexp(base.glog(a) + base.glog(b)) if a and b else 0

    table = [0] * 256
    for bit in range(8):
        table[1 << bit] = int.from_bytes(bytes(times(g, 1 << bit) for g in generator), "big")
    for factor in range(3, 256):
        low = factor & -factor  # its lowest bit; factor ^ low < factor, so already made
        table[factor] = table[factor ^ low] ^ table[low]
    return tuple(table)
