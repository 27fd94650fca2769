"""No byte of a batch file can change unnoticed, and a cut file is never taken for whole."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repairdesk.desk import Desk
from repairdesk.sync import batch
from repairdesk.sync.batch import BatchRefused
from tests.unit.sync.factory import intake_doc


@pytest.fixture
def small_batch(keyed: Desk, stick: Path) -> tuple[bytes, str]:
    keyed.tickets.intake(intake_doc(1))
    return Path(keyed.sync.export_batch(stick).path).read_bytes(), keyed.sync.signing_key().public_key


def check(data: bytes, public_key: str) -> batch.SignedFile:
    return batch.open_signed("b.rdbatch", data, fmt=batch.FORMAT,
                             versions=batch.UNDERSTOOD_VERSIONS,
                             signer_key=lambda _manifest: public_key)


def test_the_file_is_an_ordinary_zip(small_batch: tuple[bytes, str], stick: Path) -> None:
    path = next(stick.iterdir())
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
        names = zf.namelist()
    assert names[0] == "manifest.json" and names[-1] == "manifest.sig"
    assert check(*small_batch).manifest["seq"] == 1


def test_every_single_flipped_byte_is_refused(small_batch: tuple[bytes, str]) -> None:
    data, key = small_batch
    checks = set()
    for position in range(len(data)):
        flipped = bytearray(data)
        flipped[position] ^= 0x01
        with pytest.raises(BatchRefused) as refused:
            check(bytes(flipped), key)
        checks.add(refused.value.check)
    # Headers, manifest, signature and compressed rows are each caught by their own check.
    assert {"layout", "signature", "hash"} <= checks <= set(batch.CHECKS)


# The batch is read, never changed, so sharing it between examples is safe.
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.floats(0, 1, exclude_max=True), bit=st.integers(0, 7))
def test_any_flipped_bit_is_refused(small_batch: tuple[bytes, str], position: float,
                                    bit: int) -> None:
    data, key = small_batch
    flipped = bytearray(data)
    flipped[int(position * len(data))] ^= 1 << bit
    with pytest.raises(BatchRefused):
        check(bytes(flipped), key)


def test_a_truncated_file_is_refused_as_unreadable(small_batch: tuple[bytes, str]) -> None:
    data, key = small_batch
    for length in (0, 10, len(data) // 3, len(data) // 2, len(data) - 22, len(data) - 1):
        with pytest.raises(BatchRefused) as refused:
            check(data[:length], key)
        assert refused.value.check == "readable"
        assert "truncated" in refused.value.reason


def test_another_key_is_refused_by_the_signature_check(small_batch: tuple[bytes, str],
                                                        tmp_path: Path) -> None:
    from repairdesk.sync import keys

    stranger = keys.public_key_text(keys.create_private_key(tmp_path / "other.key"))
    with pytest.raises(BatchRefused) as refused:
        check(small_batch[0], stranger)
    assert refused.value.check == "signature"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_refusal_names_its_check_in_the_readers_words(lang: str) -> None:
    from repairdesk import i18n

    i18n.set_language(lang)
    worded = {check: i18n._(f"sync.checkname_{check}") for check in batch.CHECKS}
    assert all(word and word != f"sync.checkname_{check}" for check, word in worded.items())
    told = BatchRefused("signature", "SH01-000002-20261120.rdbatch", "…").message
    assert worded["signature"] in told
    if lang == "zh":
        assert "signature" not in told  # never the check's code in a Chinese sentence
