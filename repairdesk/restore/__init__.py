"""Restore: a verified backup in place of the counter store, losing nothing that was exported.

1. The backup is verified (:func:`repairdesk.backup.verify`), and the store's lock taken
   without waiting: refused while the app or a command has the store open.
2. Another counter's backup is refused unless asked for (``other_counter``; the command
   line asks a manager for it).
3. The backup is copied beside the store, upgraded, and the counter's own batches exported
   since it was taken are replayed into it (:mod:`.replay`); ticket numbers go on after the
   highest ever issued.
4. The store is kept aside and the prepared file renamed over it (:mod:`.swap`): at every
   moment the path holds a valid store.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from repairdesk.backup import STAMP, BackupInfo, verify
from repairdesk.db import Store, open_store
from repairdesk.errors import InputError, RepairDeskError, StoreError
from repairdesk.i18n import _
from repairdesk.restore import swap
from repairdesk.restore.facts import StoreFacts, read_facts
from repairdesk.restore.replay import Replayed, continue_numbers, outbox_files, replay
from repairdesk.store_files import head_path, outbox_dir, signing_key_path
from repairdesk.store_lock import restore_lock


@dataclass(frozen=True)
class RestoreResult:
    backup: BackupInfo
    aside: Path | None
    counter: str | None
    replayed: Replayed = field(default_factory=Replayed)
    #: changes the store replaced had made since its last export: only in ``aside``
    unexported: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {**self.backup.to_dict(), "previous": str(self.aside) if self.aside else None,
                "counter": self.counter, "replayed": self.replayed.to_dict(),
                "unexported": self.unexported}


def restore(source: Path, store: Path, *, other_counter: bool = False,
            now: datetime | None = None) -> RestoreResult:
    """Put the verified backup ``source`` in place of ``store`` (see the module's text)."""
    info = verify(source)
    store = Path(store)
    store.parent.mkdir(parents=True, exist_ok=True)
    held = restore_lock(store)
    try:
        theirs = read_facts(source, at_rest=True)
        current = read_facts(store, after=theirs.last_batch)
        other = bool(current.counter and theirs.counter and current.counter != theirs.counter)
        if other and not other_counter:
            raise InputError("FILE", _("restore.other_counter", backup=theirs.counter,
                                       store=current.counter))
        stamp = (now or datetime.now().astimezone()).strftime(STAMP)
        incoming = swap.incoming_path(store)
        try:
            swap.copy_in(source, incoming)
            prepared = open_store(incoming, create=False, lock=False)  # upgrades an old one
            try:
                done = Replayed() if other else _replay(prepared, store, theirs, current)
                continue_numbers(prepared, {} if other else current.numbers)
            finally:
                prepared.close()
            swap.seal(incoming)
            aside = swap.keep_aside(store, _aside_path(store, stamp))
            swap.put_in_place(incoming, store)
        except (OSError, sqlite3.Error) as exc:  # a full disk, say: the store is untouched
            swap.discard(incoming)
            raise StoreError(_("restore.failed", path=str(store), error=str(exc))) from exc
        except BaseException:
            swap.discard(incoming)
            raise
        describe_restored_chain(store, aside)
    finally:
        held.release()
    return RestoreResult(info, aside, theirs.counter, done,
                         unexported=current.pending if aside else 0)


def _aside_path(store: Path, stamp: str) -> Path:
    """A name no earlier store kept aside has (two restores in one second keep both)."""
    base = store.with_name(f"{store.name}.before-restore-{stamp}")
    aside, number = base, 1
    while aside.exists():
        number += 1
        aside = base.with_name(f"{base.name}-{number}")
    return aside


def _replay(prepared: Store, store: Path, theirs: StoreFacts, current: StoreFacts) -> Replayed:
    """The counter's batches newer than the backup, from the outbox and the store replaced."""
    if theirs.counter is None:
        return Replayed()
    candidates = outbox_files(outbox_dir(store), theirs.counter, theirs.last_batch)
    for seq, copy in current.batches.items():
        candidates.setdefault(seq, []).append(copy)
    if not candidates:
        return Replayed()
    from repairdesk.sync import keys

    try:
        public_key = keys.public_key_text(keys.load_private_key(signing_key_path(store)))
    except RepairDeskError as exc:
        return Replayed(missing=theirs.last_batch + 1, reason=exc.message)
    return replay(prepared, theirs.counter, public_key, theirs.last_batch, theirs.last_sha256,
                  candidates)


def describe_restored_chain(store: Path, aside: Path | None) -> None:
    """After a restore, ``<store>.head`` describes the restored store's chain (its last event,
    :func:`repairdesk.audit.write_head`); the head of the store replaced goes with it
    (``<aside>.head``), so ``audit verify`` of either store compares it with its own trail."""
    from repairdesk import audit
    from repairdesk.db import make_engine

    head = head_path(store)
    if head.exists():
        if aside is not None:
            head.replace(head_path(aside))
        else:
            head.unlink(missing_ok=True)
    engine = make_engine(store)
    try:
        with engine.connect() as conn:
            audit.write_head(head, conn)
    finally:
        engine.dispose()
