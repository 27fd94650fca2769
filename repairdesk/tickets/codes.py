"""Codes a counter records at intake (names are in the translation catalogs)."""

from __future__ import annotations

from typing import Literal, get_args

Accessory = Literal[
    "battery", "back_cover", "sim_tray", "sim_card", "memory_card", "charger", "cable",
    "headset", "case", "box", "stylus", "other",
]
Mark = Literal[
    "scratches", "dents", "cracked_screen", "cracked_back", "bent_frame", "missing_screws",
    "worn_labels",
]
LiquidIndicator = Literal["clean", "triggered", "unknown"]
PasscodeMode = Literal["given", "removed", "none"]
Channel = Literal["store", "remote"]
Proof = Literal["full", "copy", "imei_date", "none"]
PaymentMethod = Literal["cash", "wechat", "alipay", "card", "other"]
#: How a payment may be recorded, in the order the screens offer them.
PAYMENT_METHODS: tuple[str, ...] = get_args(PaymentMethod)

ACCESSORIES: tuple[str, ...] = Accessory.__args__  # type: ignore[attr-defined]
MARKS: tuple[str, ...] = Mark.__args__  # type: ignore[attr-defined]
LIQUID: tuple[str, ...] = LiquidIndicator.__args__  # type: ignore[attr-defined]
PASSCODE_MODES: tuple[str, ...] = PasscodeMode.__args__  # type: ignore[attr-defined]
CHANNELS: tuple[str, ...] = Channel.__args__  # type: ignore[attr-defined]
PROOFS: tuple[str, ...] = Proof.__args__  # type: ignore[attr-defined]
