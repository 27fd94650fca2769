"""HQ's use cases: the one object ``repairdesk hq ...`` calls (each method one transaction)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from threading import Event
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from repairdesk.acting import Clock
from repairdesk.audit import verify_events
from repairdesk.errors import InputError, StoreError
from repairdesk.hq import chain, importer, inbox, parts_pack, registry, schema, settle_pack
from repairdesk.hq.network_cases import NetworkCases
from repairdesk.hq.parts_cases import PartsCases
from repairdesk.hq.people_cases import PeopleCases
from repairdesk.hq.problems import HqDatabaseError
from repairdesk.hq.report_view import HqReport
from repairdesk.hq.settle_cases import SettleCases
from repairdesk.hq.settle_close_cases import SettleCloseCases
from repairdesk.hq.store import HqStore, create_or_upgrade, open_hq, schema_state
from repairdesk.i18n import _
from repairdesk.settings import default_hq_key_path
from repairdesk.sync import batch, keys, ords, packs
from repairdesk.sync.views import (
    CounterStatus,
    ImportOutcome,
    KeyInfo,
    OrdsResult,
    PackIssued,
)

if TYPE_CHECKING:  # cryptography is imported where keys are used (repairdesk.sync.keys)
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def _local_now() -> datetime:
    return datetime.now().astimezone()


class Hq(PeopleCases, NetworkCases, SettleCases, SettleCloseCases, PartsCases):
    """The HQ database's use cases. ``user`` is who acts (:meth:`login`); every change is
    checked against HQ's table of who may do what and recorded in HQ's trail."""

    def __init__(self, store: HqStore, *, clock: Clock = _local_now,
                 network_policy: Path | None = None) -> None:
        self.store = store
        self.clock = clock
        self.user: str | None = None
        self.network_policy_path = network_policy

    @classmethod
    def open(cls, url: str, *, check: bool = True, **options: Any) -> Hq:
        return cls(open_hq(url, check=check), **options)

    def close(self) -> None:
        self.store.close()

    def schema_ready(self) -> bool:
        """True once the database is initialised and current (users can be read)."""
        return schema_state(self.store) == "current"

    def today(self) -> date:
        return self.clock().astimezone(ords.CHINA_TZ).date()

    # -- setting up ---------------------------------------------------------------------

    def init(self, key_path: Path | None = None) -> KeyInfo:
        """Create (or upgrade) the HQ tables and HQ's signing key; returns HQ's public key."""
        path = key_path or default_hq_key_path()
        if self.schema_ready():
            self.require("hq.init")
        create_or_upgrade(self.store)
        public = keys.public_key_text(keys.create_private_key(path))
        meta = schema.table("hq_meta")
        with self.store.write() as conn:
            recorded = conn.execute(
                sa.select(meta.c.value).where(meta.c.key == "hq_public_key")).scalar()
            if recorded is None:
                conn.execute(sa.insert(meta).values(key="hq_public_key", value=public))
            elif recorded != public:
                raise StoreError(_("sync.hq_key_differs", path=str(path),
                                   fingerprint=keys.fingerprint(recorded)))
        return KeyInfo(public, keys.fingerprint(public), str(path))

    def trust(self, counter: str, public_key: str) -> KeyInfo:
        """Trust a registered counter's public key (a new key replaces the old one: a
        replaced PC)."""
        self.require("hq.trust")
        code = registry.check_code(counter, "COUNTER")
        text = keys.public_key_text(keys.parse_public_key(public_key, "PUBLIC_KEY"))
        table = schema.table("hq_counter")
        with self.store.write() as conn:
            row = conn.execute(sa.select(table.c.public_key).where(table.c.code == code)).first()
            if row is None:
                raise InputError("COUNTER", _("hqnet.trust_unregistered", code=code))
            conn.execute(sa.update(table).where(table.c.code == code)
                         .values(public_key=text, trusted_at=self.clock()))
            self.record(conn, "hq.trust", code, {"fingerprint": keys.fingerprint(text),
                                                 "replaced": row.public_key is not None})
        return KeyInfo(text, keys.fingerprint(text))

    # -- batches ------------------------------------------------------------------------

    def import_files(self, paths: Iterable[Path], *, progress: inbox.Progress | None = None,
                     ) -> tuple[list[ImportOutcome], dict[str, list[int]]]:
        """Import each file (a folder: its batch files) in its own transaction, per counter
        in sequence order (read from each file's manifest, not its name); a refused file
        does not stop the others, a file HQ holds already is reported as such. Should the
        database itself fail (locked, full, read-only), the files after it are not tried.
        ``progress(done, total, outcome)`` is called after each file. Returns each file's
        outcome and the gaps left per counter (:mod:`repairdesk.hq.inbox`)."""
        self.require("hq.import")
        run = inbox.import_paths(self.store, paths, self.clock, progress=progress,
                                 record=self.record)
        return run.outcomes, self._gaps(run)

    def watch_files(self, paths: Iterable[Path], *, stop: Event,
                    progress: inbox.Progress | None = None, interval: float = inbox.POLL_S,
                    ) -> tuple[list[ImportOutcome], dict[str, list[int]]]:
        """:meth:`import_files`, again every ``interval`` seconds for the files that appear
        (each once it is whole), until ``stop`` is set or the database fails."""
        self.require("hq.import")
        run = inbox.watch(self.store, paths, self.clock, stop=stop, progress=progress,
                          interval=interval, record=self.record)
        return run.outcomes, self._gaps(run)

    def _gaps(self, run: inbox.Run) -> dict[str, list[int]]:
        try:
            return inbox.gaps(self.store, (o.counter for o in run.outcomes if o.counter))
        except HqDatabaseError:
            if run.failed is None:
                raise
            return {}  # the failure is reported with its file

    def import_tally(self, outcomes: list[ImportOutcome], missing: dict[str, list[int]],
                     ) -> list[inbox.CounterTally]:
        """The closing table of an import: per counter, what it did, and a flag for a
        counter suspended or retired."""
        codes = [o.counter for o in outcomes if o.counter]
        return inbox.tally(outcomes, missing, inbox.states(self.store, codes))

    def inbox(self) -> list[inbox.InboxRow]:
        """Every registered counter with its last batch, last import, gaps and flagged
        batches: the inbox's summary."""
        with self.store.read() as conn:
            return inbox.rows(conn)

    def status(self) -> list[CounterStatus]:
        counters, batches = schema.table("hq_counter"), schema.table("hq_batch")
        result = []
        with self.store.read() as conn:
            for code, public_key in conn.execute(
                sa.select(counters.c.code, counters.c.public_key)
                .where(counters.c.public_key.is_not(None)).order_by(counters.c.code)
            ):
                last_seq, count, last_import = conn.execute(
                    sa.select(sa.func.max(batches.c.seq), sa.func.count(),
                              sa.func.max(batches.c.imported_at))
                    .where(batches.c.counter == code)
                ).one()
                pack = conn.execute(
                    sa.select(batches.c.pack).where(batches.c.counter == code)
                    .order_by(batches.c.seq.desc()).limit(1)
                ).scalar()
                result.append(CounterStatus(
                    code, keys.fingerprint(public_key), last_seq,
                    importer.gaps(conn, code), count, last_import, pack,
                ))
        return result

    def verify_audit(self, counter: str | None = None) -> dict[str, chain.CounterAudit]:
        """Each counter's audit trail as HQ holds it, checked link by link (an event edited
        or removed at HQ breaks its chain here), with the batches the chain check refused
        (a trail changed, cut or re-numbered at the counter: repairdesk/hq/chain.py)."""
        events = schema.table("audit_event")
        query = sa.select(events).order_by(events.c[schema.COUNTER], events.c.id)
        if counter:
            query = query.where(events.c[schema.COUNTER] == counter)
        with self.store.read() as conn:
            rows = conn.execute(query).all()
            refused = chain.conflicts(conn, counter)
        by_counter: dict[str, list[Any]] = {code: [] for code in refused}
        for row in rows:
            by_counter.setdefault(row._mapping[schema.COUNTER], []).append(row)
        return {code: chain.CounterAudit(verify_events(found), refused.get(code, []))
                for code, found in sorted(by_counter.items())}

    def report(self, *, month: str | None = None, counter: str | None = None,
               level: str | None = None, region: str | None = None) -> HqReport:
        """One month's report (default: the month before today's, the one due next)."""
        from repairdesk.hq import report

        return report.run(self, month=month, counter=counter, level=level, region=region)

    def export_ords(self, path: Path, *, since: date | None = None,
                    provider: str = "RepairDesk", prefix: str = "repairdesk",
                    country: str = "CHN", counter: str | None = None) -> OrdsResult:
        """Every counter's closed repairs as one ORDS v0.3 CSV (ids as at the counters)."""
        ords.check_options(provider, prefix, country)
        with self.store.read() as conn:
            tally = ords.write_ords(
                Path(path),
                ords.closed_repairs(conn, schema.mirrors(), since=since,
                                    counter=counter.strip().upper() if counter else None),
                provider=provider, prefix=prefix, country=country,
            )
        return OrdsResult(str(path), sum(tally.values()), dict(sorted(tally.items())))

    # -- reference packs ----------------------------------------------------------------

    def pack(self, out: Path, *, price_list: Path, policy: Path | None = None,
             blacklist: Path | None = None, key_path: Path | None = None,
             counter: str | None = None) -> PackIssued:
        """Check the reference files, then write the next pack signed with HQ's key. It
        carries the rate card; made for ``counter``, that counter's settlement too
        (:mod:`repairdesk.hq.settle_pack`)."""
        self.require("hq.pack")
        key = keys.load_private_key(key_path or default_hq_key_path())
        prices_text = _read(price_list)
        policy_text = _read(policy) if policy else None
        content = packs.PackContent(
            price_list=prices_text,
            prices=packs.parse_price_list(prices_text, price_list.name),
            policy=policy_text,
            policy_name=packs.check_policy(policy_text) if policy_text is not None else None,
            blacklist=packs.parse_blacklist(_read(blacklist), blacklist.name)
            if blacklist else None,
        )
        now = self.clock()
        part = out.with_name(out.name + ".part")
        try:
            data, seq = self._issue(out, part, content, key, now,
                                    counter.strip().upper() if counter else None)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        os.replace(part, out)
        return PackIssued(seq, str(out), batch.sha256_hex(data), len(content.prices),
                          len(content.blacklist or []), content.policy_name)

    def _issue(self, out: Path, part: Path, content: packs.PackContent, key: Ed25519PrivateKey,
               now: datetime, counter: str | None = None) -> tuple[bytes, int]:
        """Number, sign and record the pack; its file is complete before the commit."""
        meta, issued = schema.table("hq_meta"), schema.table("hq_pack")
        public = keys.public_key_text(key)
        with self.store.write() as conn:
            recorded = conn.execute(
                sa.select(meta.c.value).where(meta.c.key == "hq_public_key")).scalar()
            if recorded != public:
                raise StoreError(_("sync.pack_key_differs",
                                   fingerprint=keys.fingerprint(recorded) if recorded else "-"))
            seq = (conn.execute(sa.select(sa.func.max(issued.c.seq))).scalar() or 0) + 1
            content = replace(content, settlement=settle_pack.member(conn, counter),
                              parts=parts_pack.member(conn, counter) if counter else None)
            data = packs.build_pack(seq, now, content, key)
            settle_pack.keep_pack(conn, seq, content.prices, content.blacklist)
            digest = batch.sha256_hex(data)
            conn.execute(sa.insert(issued).values(
                seq=seq, sha256=digest, file_name=out.name, issued_at=now,
                prices=len(content.prices),
                blacklisted=len(content.blacklist) if content.blacklist is not None else None,
                policy=content.policy))
            self.record(conn, "hq.pack", str(seq), {"file": out.name, "sha256": digest,
                                                    "counter": counter})
            try:
                part.write_bytes(data)
            except OSError as exc:
                raise StoreError(_("sync.cannot_write", path=str(out),
                                   error=exc.strerror)) from exc
        return data, seq


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), _("cli.cannot_read", path=str(path),
                                      error=getattr(exc, "strerror", None) or str(exc))) from exc

