"""The counter-side sync use cases of the facade (``desk.sync``)."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlmodel import SQLModel, col, select

from repairdesk.acting import Acting, Area
from repairdesk.counter import read_counter
from repairdesk.errors import InputError, StoreError
from repairdesk.i18n import _
from repairdesk.imei import digits
from repairdesk.models import Counter, SyncBlacklist, SyncHqKey, SyncPack
from repairdesk.money import catalogue
from repairdesk.sync import parts_member, settlement
from repairdesk.sync.views import (
    BatchInfo,
    BlacklistEntry,
    ExportResult,
    KeyInfo,
    OrdsResult,
    PackResult,
)
from repairdesk.tickets.claims import vendor_policy
from repairdesk.tickets.rows import connection_of
from repairdesk.trust import TrustDesk

# The modules that write batches, read packs and sign (with cryptography, some 6 MiB) are
# imported by the methods that use them: the counter app loads this area with the facade
# on every start, and exports or applies a pack once a day at most.
if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from repairdesk.db import Store
    from repairdesk.sync import export


class SyncDesk(Area):
    """Export batches, show the counter's key, apply HQ reference packs."""

    def __init__(self, store: Store, acting: Acting, trust: TrustDesk) -> None:
        super().__init__(store, acting)
        self.trust = trust

    # -- the counter's signing key ----------------------------------------------------

    def signing_key_path(self) -> Path:
        """The private key beside the store (``store.sqlite3`` → ``store.sqlite3.signing-key``)."""
        from repairdesk.store_files import signing_key_path

        return signing_key_path(self.store.path)

    def ensure_signing_key(self) -> KeyInfo:
        """Create the counter's Ed25519 key pair if it has none (owner-only file)."""
        from repairdesk.sync import keys

        path = self.signing_key_path()
        return _key_info(keys.create_private_key(path), path)

    def signing_key(self) -> KeyInfo:
        """The counter's public key, for HQ to trust (``repairdesk hq trust``)."""
        from repairdesk.sync import keys

        path = self.signing_key_path()
        return _key_info(keys.load_private_key(path), path)

    # -- batches to HQ ----------------------------------------------------------------

    def export_batch(self, out_dir: Path, *, empty: bool = False,
                     progress: export.Progress | None = None) -> ExportResult:
        """Write every change since the previous batch into one signed file in ``out_dir``.

        With no change nothing is written (``written`` is False) unless ``empty``."""
        self.trust.require("sync.export_batch")
        from repairdesk.sync import export

        return export.export_batch(self.store, self.clock(), self.signing_key_path(),
                                   Path(out_dir), empty=empty, progress=progress)

    def export_again(self, seq: int, out_dir: Path) -> ExportResult:
        """Rewrite an earlier batch byte for byte (a lost USB stick)."""
        self.trust.require("sync.export_again")
        from repairdesk.sync import export

        return export.export_again(self.store, seq, Path(out_dir))

    def batches(self) -> list[BatchInfo]:
        from repairdesk.sync import export

        return export.batches(self.store)

    def export_ords(self, path: Path, *, since: date | None = None, provider: str | None = None,
                    prefix: str = "repairdesk", country: str = "CHN") -> OrdsResult:
        """This counter's closed repairs as Open Repair Data Standard v0.3 CSV."""
        self.trust.require("sync.export_ords")
        from repairdesk.sync import ords

        with self.store.read() as s:
            counter = s.exec(select(Counter)).first()
            if counter is None:
                raise StoreError(_("core.counter_not_set"))
            ords.check_options(provider or counter.name, prefix, country)
            tally = ords.write_ords(
                Path(path),
                ords.closed_repairs(s.connection(), SQLModel.metadata.tables, since=since),
                provider=provider or counter.name, prefix=prefix, country=country,
            )
        return OrdsResult(str(path), sum(tally.values()), dict(sorted(tally.items())))

    # -- reference packs from HQ ------------------------------------------------------

    def trust_hq(self, public_key: str) -> KeyInfo:
        """Trust HQ's public key for reference packs (replaces the one trusted before)."""
        self.trust.require("sync.trust_hq")
        from repairdesk.sync import keys

        text = keys.public_key_text(keys.parse_public_key(public_key))
        with self.store.write() as s:
            row = s.exec(select(SyncHqKey)).first() or SyncHqKey(public_key=text,
                                                                  trusted_at=self.clock())
            row.public_key, row.trusted_at = text, self.clock()
            s.add(row)
        return KeyInfo(text, keys.fingerprint(text))

    def apply_pack(self, path: Path) -> PackResult:
        """Verify a pack against HQ's key and apply it whole, or refuse it and change nothing."""
        self.trust.require("sync.apply_pack")
        from repairdesk.sync import batch, packs

        path = Path(path)
        with self.store.read() as s:
            hq = s.exec(select(SyncHqKey)).first()
            if hq is None:
                raise StoreError(_("sync.no_hq_key"))
            hq_key = hq.public_key
        try:
            # Read as HQ reads a batch: its size and the sizes it declares are checked
            # against sync/limits.py before anything else is read, never the file whole.
            with path.open("rb") as fh:
                signed, content = packs.read_pack(path.name, fh, hq_key)
        except OSError as exc:
            raise InputError("FILE", _("cli.cannot_read", path=str(path),
                                       error=exc.strerror)) from exc
        seq, issued = signed.manifest["seq"], signed.manifest.get("issued", "")
        now = self.clock()
        with self.store.write() as s:
            own = read_counter(s)
            for member in (content.settlement, content.parts):
                settlement.check_member(member, own.code if own else None, path.name)
            current = s.exec(select(SyncPack).order_by(sa.desc(col(SyncPack.seq)))).first()
            if current is not None and seq <= current.seq:
                if seq == current.seq and current.sha256 == signed.sha256:
                    return _pack_result(current, "already_applied", _policy_name(current.policy))
                raise batch.BatchRefused("sequence", path.name,
                                         _("sync.pack_older", seq=seq, applied=current.seq))
            # HQ's list goes into the parts catalogue exactly as a list loaded by hand would.
            catalogue.apply_price_list(s, content.prices, now)
            if content.blacklist is not None:
                s.execute(sa.delete(SyncBlacklist))
                if content.blacklist:
                    s.execute(sa.insert(SyncBlacklist), [
                        {"imei": e.imei, "reason": e.reason, "reported": e.reported,
                         "pack_seq": seq} for e in content.blacklist
                    ])
            if content.settlement is not None:
                settlement.store_member(s, content.settlement, seq)
            if content.parts is not None:
                parts_member.store_member(s, content.parts, seq)
            listed = s.exec(select(sa.func.count()).select_from(SyncBlacklist)).one()
            row = SyncPack(
                seq=seq, sha256=signed.sha256, issued_at=_parse_time(issued, now),
                applied_at=now, prices=len(content.prices), blacklisted=listed,
                policy=content.policy if content.policy is not None
                else (current.policy if current else None),
                level=content.settlement.get("level") if content.settlement is not None
                else (current.level if current else None),
            )
            s.add(row)
            s.flush()
            return _pack_result(row, "applied", content.policy_name
                                or _policy_name(row.policy))

    def blacklisted(self, imei: str) -> BlacklistEntry | None:
        """The blacklist entry of ``imei`` (any typed form), or None: flag it at intake/lookup."""
        number = digits(imei)
        if not number:
            return None
        with self.store.read() as s:
            row = s.get(SyncBlacklist, number)
            return BlacklistEntry(row.imei, row.reason, row.reported, row.pack_seq) if row else None

    def vendor_policy_path(self) -> Path | None:
        """The vendor policy in force (from the newest pack) as a file for
        ``check_claim(..., policy_path=...)``, or None when HQ sent none."""
        with self.store.read() as s:
            policy = vendor_policy(connection_of(s))
        if policy is None:
            return None
        path = self.store.path.with_name(self.store.path.name + ".policy.toml")
        if not path.exists() or path.read_text(encoding="utf-8") != policy:
            part = path.with_name(path.name + ".part")
            part.write_text(policy, encoding="utf-8")
            os.replace(part, path)
        return path


def _key_info(key: Ed25519PrivateKey, path: Path) -> KeyInfo:
    from repairdesk.sync import keys

    text = keys.public_key_text(key)
    return KeyInfo(text, keys.fingerprint(text), str(path))


def _policy_name(policy: str | None) -> str | None:
    from repairdesk.sync import packs

    return packs.check_policy(policy) if policy is not None else None


def _pack_result(row: SyncPack, status: str, policy: str | None) -> PackResult:
    return PackResult(row.seq, status, row.prices, row.blacklisted, policy, row.issued_at)


def _parse_time(text: str, default: datetime) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return default
    return value if value.tzinfo else default
