"""The trust use cases of the facade: users and roles, logins, the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import func, select

from repairdesk import users
from repairdesk.acting import Area
from repairdesk.audit import ChainReport, verify_chain
from repairdesk.errors import InputError, RepairDeskError
from repairdesk.freetext import check_text
from repairdesk.i18n import _
from repairdesk.models import User


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

    def _check_new_pin(self, pin: str) -> None:
        if not users.PIN.match(pin):
            raise InputError("pin", _("trust.pin_format"))

    def login(self, name: str, pin: str) -> UserView:
        """Check a user's PIN; five wrong PINs lock the user for a while."""
        now = self.clock()
        with self.store.write() as s:
            user = s.exec(select(User).where(User.name == name.strip())).first()
            if user is None or not user.active:
                raise InputError("user", _("trust.login_failed"))
            if users.locked(user.locked_until, now):
                assert user.locked_until is not None  # locked() is False without a lock time
                raise InputError("user", _("trust.locked", until=user.locked_until.astimezone()
                                           .strftime("%H:%M")))
            if not users.check_pin(pin, user.pin_hash):
                user.failed_pins += 1
                if user.failed_pins >= users.MAX_WRONG_PINS:
                    user.failed_pins, user.locked_until = 0, users.lock_time(now)
                s.add(user)
                # The failed attempt is saved (and audited) even though the login is refused.
                s.commit()
                raise InputError("pin", _("trust.login_failed"))
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
        """The role of whoever uses the desk now: "manager" while the store has no users."""
        return "manager" if self.count_users() == 0 else self.role_of(self.user)

    def require_manager(self) -> None:
        if self.count_users():
            self.require("manager")

    def require(self, role: str) -> None:
        """Refuse the action unless the logged-in user has ``role`` (managers may do all).

        A counter with no users set up yet is one person doing everything: nothing to refuse.
        """
        if self.count_users() == 0:
            return
        mine = self.role_of(self.user)
        if mine == "manager" or mine == role:
            return
        raise PermissionDenied(_("trust.needs_role", role=_(f"trust.role_{role}"),
                                 user=self.user))

    def add_user(self, name: str, role: str, pin: str) -> UserView:
        """The first user becomes the manager; after that only a manager adds users."""
        name = check_text("name", name, rule="user.name")
        if not name:
            raise InputError("name", _("core.bad_length"))
        if role not in users.ROLES:
            raise InputError("role", _("core.bad_code", value=role, allowed=", ".join(users.ROLES)))
        self._check_new_pin(pin)
        first = self.count_users() == 0
        if not first:
            self.require("manager")
        now = self.clock()
        with self.store.write() as s:
            if s.exec(select(User).where(User.name == name)).first():
                raise InputError("name", _("trust.user_exists", name=name))
            user = User(name=name, role="manager" if first else role,
                        pin_hash=users.hash_pin(pin), created_at=now)
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
        self.require("manager")
        if name == self.user:
            raise InputError("name", _("trust.not_yourself"))
        return self._update_user(name, active=False)

    def reset_pin(self, name: str, pin: str) -> UserView:
        self.require("manager")
        self._check_new_pin(pin)
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

    def verify_audit(self) -> ChainReport:
        with self.store.read() as s:
            return verify_chain(s)


def _view(user: User, now: Any) -> UserView:
    return UserView(user.name, user.role, user.active, users.locked(user.locked_until, now))
