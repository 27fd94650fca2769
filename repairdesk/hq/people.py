"""HQ's people: their roles, PINs and logins, under the counter's rules (repairdesk/users.py:
salted scrypt hashes, the growing wait after a wrong PIN, names that cannot be mistaken for
another's). The admin's PIN, like a counter manager's, has 6 digits at least."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from repairdesk import users
from repairdesk.errors import InputError
from repairdesk.hq import schema
from repairdesk.hq.store import HqStore
from repairdesk.i18n import _
from repairdesk.permissions import HQ_ROLES
from repairdesk.trust import UserView

#: An HQ user as shown: the counter's view of a user (name, role, active, locked).
HqUserView = UserView


def role_name(role: str) -> str:
    return _(f"hqnet.role_{role}")


def count(conn: Connection) -> int:
    table = schema.table("hq_user")
    return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() or 0)


def role_of(conn: Connection, name: str | None) -> str | None:
    if not name:
        return None
    table = schema.table("hq_user")
    return conn.execute(sa.select(table.c.role).where(table.c.name == name,
                                                      table.c.active.is_(True))).scalar()


def _view(row: Any, now: datetime) -> HqUserView:
    return HqUserView(row.name, row.role, bool(row.active), users.locked(row.locked_until, now))


def check_pin_format(pin: str, role: str) -> None:
    if not users.pin_pattern("manager" if role == "admin" else role).match(pin):
        raise InputError("pin", _("hqnet.admin_pin") if role == "admin"
                         else _("trust.pin_format"))


def check_role(role: str) -> str:
    role = role.strip().lower()
    if role not in HQ_ROLES:
        raise InputError("role", _("core.bad_code", value=role, allowed=", ".join(HQ_ROLES)))
    return role


def check_new_name(conn: Connection, name: str) -> str:
    names = conn.execute(sa.select(schema.table("hq_user").c.name)).scalars()
    return users.check_new_name(name, list(names))


def add(conn: Connection, name: str, role: str, pin: str, now: datetime) -> HqUserView:
    """Add a user in the caller's transaction; the first one is the admin, whatever asked."""
    role = "admin" if count(conn) == 0 else check_role(role)
    name = check_new_name(conn, name)
    check_pin_format(pin, role)
    table = schema.table("hq_user")
    conn.execute(sa.insert(table).values(name=name, role=role, pin_hash=users.hash_pin(pin),
                                         active=True, failed_pins=0, created_at=now))
    return HqUserView(name, role, True, False)


def listed(conn: Connection, now: datetime) -> list[HqUserView]:
    table = schema.table("hq_user")
    return [_view(row, now) for row in conn.execute(sa.select(table).order_by(table.c.name))]


def update(conn: Connection, name: str, now: datetime, **values: Any) -> HqUserView:
    table = schema.table("hq_user")
    done = conn.execute(sa.update(table).where(table.c.name == name).values(**values))
    if not done.rowcount:
        raise InputError("name", _("trust.no_user", name=name))
    row = conn.execute(sa.select(table).where(table.c.name == name)).one()
    return _view(row, now)


def login(store: HqStore, name: str, pin: str, now: datetime) -> HqUserView:
    """Check a user's PIN; a wrong one is counted (saved even though the login fails) and
    makes the next try wait (1, 2, 4 … s, capped), a try before then is refused unchecked."""
    table = schema.table("hq_user")
    with store.write() as conn:
        row = conn.execute(sa.select(table).where(table.c.name == name.strip())).first()
        if row is None or not row.active:
            raise InputError("user", _("trust.login_failed"))
        if users.locked(row.locked_until, now):
            raise InputError("pin", _("access.wait", seconds=users.seconds_until(
                row.locked_until, now)))
        if users.check_pin(pin, row.pin_hash):
            if row.failed_pins or row.locked_until:
                conn.execute(sa.update(table).where(table.c.name == row.name)
                             .values(failed_pins=0, locked_until=None))
            return HqUserView(row.name, row.role, True, False)
        failed = row.failed_pins + 1
        wait_until = users.next_try(failed, now)
        conn.execute(sa.update(table).where(table.c.name == row.name)
                     .values(failed_pins=failed, locked_until=wait_until))
    raise InputError("pin", _("access.wrong_pin_wait",
                              seconds=users.seconds_until(wait_until, now)))
