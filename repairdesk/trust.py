"""The trust use cases of the facade: users and roles, logins, the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlmodel import func, select

from repairdesk import permissions, users
from repairdesk.acting import Area
from repairdesk.errors import InputError, RepairDeskError
from repairdesk.freetext import check_text
from repairdesk.i18n import _
from repairdesk.models import User

if TYPE_CHECKING:
    from repairdesk.evidence import EvidenceReport


class PermissionDenied(RepairDeskError):
    """The action needs another role; the message names it."""


@dataclass(frozen=True)
class UserView:
    name: str
    role: str
    active: bool
    locked: bool

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role, "active": self.active,
                "locked": self.locked}


class TrustDesk(Area):
    """Users, roles and logins; the audit trail's check."""

    def _check_new_pin(self, pin: str, role: str) -> None:
        if not users.pin_pattern(role).match(pin):
            key = "access.manager_pin" if role == "manager" else "trust.pin_format"
            raise InputError("pin", _(key))

    def login(self, name: str, pin: str) -> UserView:
        """Check a user's PIN. After a wrong one the next try waits (1, 2, 4 … s, capped:
        users.next_try); a try before then is refused unchecked and changes nothing, so
        nobody's typing locks anyone out for longer than that."""
        now = self.clock()
        with self.store.write() as s:
            user = s.exec(select(User).where(User.name == name.strip())).first()
            if user is None or not user.active:
                raise InputError("user", _("trust.login_failed"))
            if users.locked(user.locked_until, now):
                assert user.locked_until is not None  # locked() is False without a time
                raise InputError("pin", _("access.wait", seconds=users.seconds_until(
                    user.locked_until, now)))
            if not users.check_pin(pin, user.pin_hash):
                user.failed_pins += 1
                user.locked_until = users.next_try(user.failed_pins, now)
                s.add(user)
                # The failed attempt is saved (and audited) even though the login is refused.
                s.commit()
                raise InputError("pin", _("access.wrong_pin_wait", seconds=users.seconds_until(
                    user.locked_until, now)))
            if user.failed_pins or user.locked_until:
                user.failed_pins, user.locked_until = 0, None
                s.add(user)
            self.acting.user = user.name  # what every area and the audit trail read
            return _view(user, now)

    def role_of(self, name: str) -> str | None:
        with self.store.read() as s:
            user = s.exec(select(User).where(User.name == name, User.active)).first()
            return user.role if user else None

    def acting_role(self) -> str | None:
        """The role of whoever uses the desk now: "manager" while the store has no users;
        None for the no-user actor once there are users (a user of that name, made before
        the name was reserved, gets nothing without logging in)."""
        if self.count_users() == 0:
            return "manager"
        return self._logged_in_role()

    def _logged_in_role(self) -> str | None:
        return None if self.user == users.NO_USER else self.role_of(self.user)

    def require(self, action: str) -> None:
        """Refuse ``action`` unless the acting user's role may do it (repairdesk/permissions.py).

        A counter with no users set up yet is one person doing everything: nothing to refuse.
        """
        if self.count_users() == 0:
            return
        if permissions.allows(action, self._logged_in_role()):
            return
        roles = permissions.rule(action).roles
        names = _("access.or").join(_(f"trust.role_{r}") for r in users.ROLES if r in roles)
        raise PermissionDenied(_("access.needs_roles", roles=names, user=self.user))

    def require_manager(self) -> None:
        """Managers only: the row ``store.restore_other_counter`` (a restore over another
        counter's store). Any other check names its own action: :meth:`require`."""
        self.require("store.restore_other_counter")

    def check_new_name(self, name: str) -> str:
        """``name`` stripped, or InputError (:func:`repairdesk.users.check_new_name`)."""
        with self.store.read() as s:
            return users.check_new_name(name, list(s.exec(select(User.name))))

    def add_user(self, name: str, role: str, pin: str) -> UserView:
        """The first user becomes the manager; after that only a manager adds users."""
        if role not in users.ROLES:
            raise InputError("role", _("core.bad_code", value=role, allowed=", ".join(users.ROLES)))
        first = self.count_users() == 0
        if not first:
            self.require("trust.add_user")
        name = self.check_new_name(name)
        role = "manager" if first else role
        self._check_new_pin(pin, role)
        now = self.clock()
        with self.store.write() as s:
            if s.exec(select(User).where(User.name == name)).first():
                raise InputError("name", _("trust.user_exists", name=name))
            user = User(name=name, role=role, pin_hash=users.hash_pin(pin), created_at=now)
            s.add(user)
            s.flush()
            return _view(user, now)

    def count_users(self) -> int:
        with self.store.read() as s:
            return s.exec(select(func.count()).select_from(User)).one()

    def list_users(self) -> list[UserView]:
        now = self.clock()
        with self.store.read() as s:
            return [_view(u, now) for u in s.exec(select(User).order_by(User.name))]

    def disable_user(self, name: str) -> UserView:
        self.require("trust.disable_user")
        if name == self.user:
            raise InputError("name", _("trust.not_yourself"))
        return self._update_user(name, active=False)

    def reset_pin(self, name: str, pin: str) -> UserView:
        self.require("trust.reset_pin")
        with self.store.read() as s:
            role = s.exec(select(User.role).where(User.name == name)).first()
        self._check_new_pin(pin, role or "")
        return self._update_user(name, pin_hash=users.hash_pin(pin), failed_pins=0,
                                 locked_until=None, active=True)

    def _update_user(self, name: str, **values: Any) -> UserView:
        now = self.clock()
        with self.store.write() as s:
            user = s.exec(select(User).where(User.name == name)).first()
            if user is None:
                raise InputError("name", _("trust.no_user", name=name))
            for key, value in values.items():
                setattr(user, key, value)
            s.add(user)
            s.flush()
            return _view(user, now)

    def bind_audit(self, reason: str) -> dict[str, int]:
        """Managers only: bind the rows the trail does not prove to it again, with the
        reason (see :func:`repairdesk.evidence.bind`); the rows bound, by table."""
        self.require("trust.bind_audit")
        reason = check_text("reason", reason)
        if not reason:
            raise InputError("reason", _("core.reason_required"))
        from repairdesk import evidence  # as in verify_audit

        return evidence.bind(self.store, reason)

    def verify_audit(self) -> EvidenceReport:
        """The chain, every audited row against its last event, the chain's end against
        the heads recorded (see :mod:`repairdesk.evidence`)."""
        # Loaded when asked: the row pass (and zipfile, for the last batch's head) is no part
        # of the app's start, whose peak memory is a benchmark's target.
        from repairdesk import evidence

        return evidence.verify(self.store)


def _view(user: User, now: Any) -> UserView:
    return UserView(user.name, user.role, user.active, users.locked(user.locked_until, now))
