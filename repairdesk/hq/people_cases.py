"""HQ's use cases about people: logins, users, who may do what, the trail of changes.

A mixin of :class:`repairdesk.hq.facade.Hq` (which holds ``store``, ``clock`` and ``user``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from repairdesk import permissions, users
from repairdesk.errors import InputError
from repairdesk.hq import people, schema
from repairdesk.hq.people import HqUserView
from repairdesk.hq.store import HqStore
from repairdesk.i18n import _
from repairdesk.trust import PermissionDenied


class HqPermissionDenied(InputError, PermissionDenied):
    """The acting HQ user's role may not do this: bad input of who runs it (CLI exit 2),
    named by the user field."""

    def __init__(self, message: str) -> None:
        super().__init__("user", message)


class PeopleCases:
    store: HqStore
    user: str | None

    clock: Callable[[], datetime]

    def login(self, name: str, pin: str) -> HqUserView:
        """Check ``name``'s PIN; from then on every change is theirs."""
        found = people.login(self.store, name, pin, self.clock())
        self.user = found.name
        return found

    def role(self) -> str | None:
        """The acting user's role; ``admin`` while the database has no users (one person
        sets HQ up)."""
        with self.store.read() as conn:
            if people.count(conn) == 0:
                return "admin"
            return people.role_of(conn, self.user)

    def require(self, action: str) -> None:
        """Refuse ``action`` unless the acting user's role may (repairdesk/permissions.py
        HQ_RULES); a database without users refuses nothing."""
        with self.store.read() as conn:
            if people.count(conn) == 0:
                return
            role = people.role_of(conn, self.user)
        if permissions.allows(action, role):
            return
        roles = permissions.rule(action).roles
        names = _("access.or").join(people.role_name(r) for r in permissions.HQ_ROLES
                                    if r in roles)
        if self.user is None:
            raise HqPermissionDenied(_("hqnet.needs_login", roles=names))
        raise HqPermissionDenied(_("hqnet.needs_roles", roles=names, user=self.user,
                                   role=people.role_name(role) if role else "-"))

    def record(self, conn: Connection, action: str, subject: str | None,
               detail: dict[str, Any] | None = None) -> None:
        """HQ's trail: who did what to what, in the caller's transaction."""
        conn.execute(sa.insert(schema.table("hq_event")).values(
            at=self.clock(), user=self.user, action=action, subject=subject,
            detail=_jsonable(detail)))

    def has_users(self) -> bool:
        with self.store.read() as conn:
            return people.count(conn) > 0

    def users(self) -> list[HqUserView]:
        with self.store.read() as conn:
            return people.listed(conn, self.clock())

    def add_user(self, name: str, role: str, pin: str) -> HqUserView:
        """The first user is the admin (whatever role was asked); then only an admin adds."""
        if self.has_users():
            self.require("hq.add_user")
        with self.store.write() as conn:
            made = people.add(conn, name, role, pin, self.clock())
            self.record(conn, "hq.add_user", made.name, {"role": made.role})
        return made

    def disable_user(self, name: str) -> HqUserView:
        self.require("hq.disable_user")
        if name == self.user:
            raise InputError("name", _("trust.not_yourself"))
        with self.store.write() as conn:
            done = people.update(conn, name, self.clock(), active=False)
            self.record(conn, "hq.disable_user", name)
        return done

    def reset_pin(self, name: str, pin: str) -> HqUserView:
        self.require("hq.reset_pin")
        with self.store.write() as conn:
            role = conn.execute(sa.select(schema.table("hq_user").c.role)
                                .where(schema.table("hq_user").c.name == name)).scalar()
            people.check_pin_format(pin, role or "")
            done = people.update(conn, name, self.clock(), pin_hash=users.hash_pin(pin),
                                 failed_pins=0, locked_until=None, active=True)
            self.record(conn, "hq.reset_pin", name)
        return done

    def events(self, *, subject: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
        table = schema.table("hq_event")
        query = sa.select(table).order_by(table.c.id.desc()).limit(limit)
        if subject:
            query = query.where(table.c.subject == subject)
        with self.store.read() as conn:
            return [{"id": r.id, "at": r.at.isoformat(), "user": r.user, "action": r.action,
                     "subject": r.subject, "detail": r.detail} for r in conn.execute(query)]


def _jsonable(detail: dict[str, Any] | None) -> dict[str, Any] | None:
    if detail is None:
        return None
    return {k: _json_value(v) for k, v in detail.items()}


def _json_value(value: Any) -> Any:
    # An edit's detail nests ({"agreement_end": {"from": date, "to": date}}): every level.
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (int, float, str, bool, type(None))):
        return value
    return str(value)
