"""The import's floor: PostgreSQL's own bulk load of the same rows into bare tables.

Every line of every batch file becomes one row of ``floor_<table>`` (the mirror's columns, no
key, no index, ``CREATE TABLE … (LIKE mirror)``): the counter, the line's columns, the batch's
sequence number and the deletion mark, as the import stages them. The rows are loaded once
without timing (psycopg's ``write_row``), read back as COPY text into a file, and that file
is what is timed: one ``COPY … FROM STDIN`` per table into fresh bare tables, in one
committed transaction.
"""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

import sqlalchemy as sa

from repairdesk.hq import schema
from repairdesk.hq.schema import BATCH_SEQ, COUNTER, DELETED
from repairdesk.sync import batch
from repairdesk.sync.tables import DELETED as DELETED_MARK
from repairdesk.sync.tables import base_type

BLOCK = 1 << 20


def batch_files(folder: Path, codes: list[str]) -> list[Path]:
    """The batch files of ``codes`` in ``folder``, in name order (the folder is listed once:
    it may hold 60,000 files)."""
    wanted = set(codes)
    return sorted(p for p in folder.glob(f"*{batch.SUFFIX}") if p.name.split("-")[0] in wanted)


def _dsn(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def measure(url: str, folder: Path, codes: list[str], tmp: Path) -> tuple[float, int]:
    """Seconds taken by the timed COPY of the batch files of ``codes`` in ``folder``, and
    the rows it loaded."""
    import psycopg
    from psycopg import sql

    mirrors = schema.mirrors()
    ident = sql.Identifier
    rows = 0
    with psycopg.connect(_dsn(url)) as conn, conn.cursor() as cur:
        for name in mirrors:
            for prefix in ("floor_", "floor_timed_"):
                cur.execute(sql.SQL("CREATE TABLE {} (LIKE {})").format(
                    ident(prefix + name), ident(name)))
        copies = {}
        for name, table in mirrors.items():
            columns = [c.name for c in table.columns]
            copies[name] = (columns, [c for c in columns
                                      if isinstance(base_type(table.c[c].type), sa.JSON)])
        for path in batch_files(folder, codes):
            rows += _stage(cur, path, copies)
        conn.commit()
        dumps: dict[str, Path] = {}
        for name, (columns, _json) in copies.items():
            target = tmp / f"{name}.copy"
            with target.open("wb") as fh, cur.copy(sql.SQL("COPY {} ({}) TO STDOUT").format(
                    ident("floor_" + name), sql.SQL(", ").join(map(ident, columns)))) as out:
                for chunk in out:
                    fh.write(chunk)
            dumps[name] = target
        cur.execute("CHECKPOINT")
        started = time.perf_counter()
        for name, (columns, _json) in copies.items():
            with dumps[name].open("rb") as fh, cur.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(
                    ident("floor_timed_" + name), sql.SQL(", ").join(map(ident, columns)))) as into:
                while block := fh.read(BLOCK):
                    into.write(block)
        conn.commit()
        took = time.perf_counter() - started
        for path in dumps.values():
            path.unlink()
    return took, rows


def _stage(cur: object, path: Path, copies: dict[str, tuple[list[str], list[str]]]) -> int:
    from psycopg import sql

    count = 0
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read(batch.MANIFEST))
        code, seq = manifest["counter"], manifest["seq"]
        for member in manifest["members"]:
            if not member["rows"]:
                continue
            columns, documents = copies[member["table"]]
            plain = [c for c in columns if c not in (COUNTER, BATCH_SEQ, DELETED)]
            encode = [i for i, c in enumerate(plain) if c in documents]
            with cur.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(  # type: ignore[attr-defined]
                    sql.Identifier("floor_" + member["table"]),
                    sql.SQL(", ").join(map(sql.Identifier, columns)))) as copy:
                for text in zf.read(member["name"]).splitlines():
                    line = json.loads(text)
                    values = [line.get(c) for c in plain]
                    for i in encode:
                        if values[i] is not None:
                            values[i] = json.dumps(values[i], ensure_ascii=False)
                    copy.write_row([code, *values, seq, bool(line.get(DELETED_MARK))])
                    count += 1
    return count
