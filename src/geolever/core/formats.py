"""Numbers for people: one formatter for money, percentages and plain numbers.

Every printed table, report and web page formats through these functions, so the same
value reads the same everywhere: ``US$16.1m``, ``US$1.61bn``, ``2.3%``, ``16,100,000``.
"""

from __future__ import annotations

import math

#: Suffixes of money amounts: (threshold, divisor, suffix).
_MONEY_STEPS = ((1e12, 1e12, "tn"), (1e9, 1e9, "bn"), (1e6, 1e6, "m"), (1e3, 1e3, "k"))


def _sig(value: float, digits: int) -> str:
    """``value`` with ``digits`` significant digits, thousands separated, no exponent."""
    if value == 0 or not math.isfinite(value):
        return f"{value:g}" if not math.isfinite(value) else "0"
    rounded = float(f"{value:.{digits - 1}e}")  # 9.996 -> 10.0: one digit more before '.'
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(rounded))))
    text = f"{rounded:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_money(value: float | None, currency: str = "US$", digits: int = 3) -> str:
    """Format an amount of money with a size suffix: ``US$16.1m``, ``US$1.61bn``, ``-US$7m``.

    Parameters
    ----------
    value
        The amount in currency units (US$, not millions); ``None`` is shown as ``-``.
    currency
        Prefix (``""`` for cells whose header names the currency).
    digits
        Significant digits (3: ``US$328m``, ``US$16.1m``, ``US$1.61bn``).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    sign = "-" if value < 0 else ""
    a = abs(float(value))
    if a == 0:
        return f"{currency}0"
    a = float(f"{a:.{digits - 1}e}")  # 999,600 -> 1,000,000: US$1m, not US$1,000k
    for threshold, divisor, suffix in _MONEY_STEPS:
        if a >= threshold:
            return f"{sign}{currency}{_sig(a / divisor, digits)}{suffix}"
    return f"{sign}{currency}{_sig(a, digits) if a >= 1 else f'{a:.2f}'}"


def format_pct(value: float | None, digits: int = 2) -> str:
    """Format a percentage (already in %, not a share): ``2.3%``, ``0.44%``, ``16.8%``.

    Two significant digits for values below 10 (``0.044%``), whole-and-one-decimal above.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    a = abs(value)
    if a == 0:
        return "0%"
    if a >= 10:
        return f"{value:,.1f}%"
    return f"{_sig(value, digits)}%"


def format_share(value: float | None) -> str:
    """Format a share 0..1 as a whole percentage: ``0.42`` -> ``42%``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:.0%}"


def format_number(value: float | int | None, unit: str = "", digits: int = 4) -> str:
    """Format a plain number without an exponent: ``16,100,000``, ``0.0123``, ``3.5 t``.

    Integers (and floats with no fraction) keep every digit with thousands separators;
    other values keep ``digits`` significant digits.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    v = float(value)
    if math.isfinite(v) and v == int(v) and abs(v) < 1e15:
        text = f"{int(v):,}"
    else:
        text = _sig(v, digits)
    return f"{text} {unit}".rstrip()


def format_amount(value: float | None, unit: str) -> str:
    """Format a value in its unit for people: money, percentages, status flags, ratios.

    ``None`` (no value) is shown as ``-``.
    """
    if value is None:
        return "-"
    if unit == "USD":
        return format_money(value)
    if unit == "pct":
        return f"{value:.1f}%"
    if unit == "flag":
        return "operating" if value > 0 else "not operating"
    if unit == "ratio":
        return f"{value:,.2f}x"
    if unit == "rank":
        return f"rank {value:g}"
    return format_number(value, unit)


__all__ = ["format_amount", "format_money", "format_number", "format_pct", "format_share"]
