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

ACCESSORIES: tuple[str, ...] = get_args(Accessory)
MARKS: tuple[str, ...] = get_args(Mark)
LIQUID: tuple[str, ...] = get_args(LiquidIndicator)
PASSCODE_MODES: tuple[str, ...] = get_args(PasscodeMode)
CHANNELS: tuple[str, ...] = get_args(Channel)
PROOFS: tuple[str, ...] = get_args(Proof)
