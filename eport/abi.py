"""Turn what an operator types (or writes in a YAML file) into ABI values, and back.

Driven by the contracts' ABIs and the enum definitions in Brownie's build artifacts, so every
function of every contract takes its arguments the same way:

- addresses: `0x...` (a mixed-case address must carry a valid checksum), `wallet:NAME` or
  `contract:NAME` (from the deployment);
- amounts (fields named like amount, value, duty, price, cap...): CNY with up to 2 decimals,
  `1234.56`, converted to fen; an integer field otherwise takes an integer;
- dates (fields named like expiry, latestShipment, dueDate...): `YYYY-MM-DD` (end of that day,
  Shanghai time) or a unix timestamp; a `day` field (and a `dayList` of them) takes
  `YYYY-MM-DD` as a day number;
- enums: the member's name (`green`, `Export`, `CIF`) or its number;
- bytes32: `0x` + 64 hex digits, or any other text, which is hashed (keccak256) as a commitment;
  a document number (fields named like number or voyage: a B/L, invoice or voyage number) is
  taken as written, ASCII left-aligned, checked as the contracts normalise it (eport.keys);
- short bytes (currency, country, port, unit): ASCII text, `CNY`, `CN`, `CNSHA`, `KGM`;
- structs: a mapping of field names; arrays: lists (in YAML) or comma-separated text.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

from eth_utils import keccak

from .chain import BUILD, format_amount, parse_address, parse_amount
from .errors import EportError
from .keys import DocumentNumberError, number_bytes

SHANGHAI = timedelta(hours=8)
MONEY = re.compile(
    r"(amount|value|duty|price|cap|receivable|freight|insurance|fen|escrow|tobank|toexporter"
    r"|outstanding|refunded|topup|financed|consumed|repaid|writtenoff|remaining)",
    re.I,
)
DATES = re.compile(r"(expiry|shipment|shipped|due|deadline|maturity|date)", re.I)
NUMBERS = re.compile(r"(number|voyage)$", re.I)


@cache
def enums() -> dict[str, list[str]]:
    """`Contract.Enum` -> member names, from the ASTs in the build."""
    found: dict[str, list[str]] = {}

    def walk(node, scope: str) -> None:
        if isinstance(node, dict):
            kind = node.get("nodeType")
            if kind in ("ContractDefinition",):
                scope = node["name"]
            if kind == "EnumDefinition":
                found[f"{scope}.{node['name']}"] = [m["name"] for m in node["members"]]
            for value in node.values():
                walk(value, scope)
        elif isinstance(node, list):
            for value in node:
                walk(value, scope)

    for folder in (BUILD, BUILD.parent / "interfaces"):
        for path in folder.glob("*.json"):
            walk(json.loads(path.read_text()).get("ast", {}), "")
    return found


def enum_members(internal_type: str | None) -> list[str] | None:
    if not internal_type or not internal_type.startswith("enum "):
        return None
    return enums().get(internal_type[5:])


def _end_of_day(day: date) -> int:
    """The last second of a Shanghai calendar day, as a unix timestamp."""
    start = datetime(day.year, day.month, day.day, tzinfo=UTC) - SHANGHAI
    return int((start + timedelta(days=1)).timestamp()) - 1


def to_abi(item: dict, value: Any, resolve=None) -> Any:
    """Convert `value` for the ABI input `item` (with its name, type, internalType)."""
    name, kind = item.get("name", ""), item["type"]
    where = f"{name or kind}"
    if kind.endswith("]"):
        inner = {**item, "type": kind[: kind.rindex("[")]}
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list):
            raise EportError(f"{where} must be a list")
        return [to_abi(inner, v, resolve) for v in value]
    if kind == "tuple":
        if not isinstance(value, dict):
            raise EportError(f"{where} must be a mapping of its fields")
        unknown = set(value) - {c["name"] for c in item["components"]}
        if unknown:
            raise EportError(f"{where} has no field {sorted(unknown)[0]!r}")
        missing = [c["name"] for c in item["components"] if c["name"] not in value]
        if missing:
            raise EportError(f"{where} lacks field {missing[0]!r}")
        return tuple(to_abi(c, value[c["name"]], resolve) for c in item["components"])
    members = enum_members(item.get("internalType"))
    if members is not None:
        if isinstance(value, int) or str(value).isdigit():
            number = int(value)
        else:
            lowered = [m.lower() for m in members]
            if str(value).lower() not in lowered:
                raise EportError(f"{where} must be one of {', '.join(members)} (got {value!r})")
            number = lowered.index(str(value).lower())
        if not 0 <= number < len(members):
            raise EportError(f"{where} must be one of {', '.join(members)} (got {value!r})")
        return number
    if kind == "address":
        text = str(value)
        if ":" in text and resolve is not None:
            return resolve(text)  # wallet:NAME or contract:NAME
        return parse_address(text)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("true", "yes", "1"):
            return True
        if str(value).lower() in ("false", "no", "0"):
            return False
        raise EportError(f"{where} must be true or false (got {value!r})")
    if kind.startswith(("uint", "int")):
        return _integer(name, kind, value)
    if kind.startswith("bytes") and kind != "bytes":
        size = int(kind[5:])
        text = str(value)
        if re.fullmatch(r"0x[0-9a-fA-F]*", text) and len(text) == 2 + 2 * size:
            return bytes.fromhex(text[2:])
        if size == 32 and NUMBERS.search(name):
            try:
                return number_bytes(text)
            except DocumentNumberError as exc:
                raise EportError(f"{where}: {exc}") from None
        if size == 32:
            return keccak(text=text)
        raw = text.encode("ascii", errors="strict")
        if len(raw) > size:
            raise EportError(f"{where} takes at most {size} characters (got {text!r})")
        return raw.ljust(size, b"\0")
    if kind == "bytes":
        text = str(value)
        return bytes.fromhex(text[2:]) if text.startswith("0x") else text.encode()
    if kind == "string":
        return str(value)
    raise EportError(f"{where}: type {kind} is not supported on the command line")


def _integer(name: str, kind: str, value: Any) -> int:
    bits = int(kind.lstrip("uint") or 256)
    if isinstance(value, bool):
        raise EportError(f"{name} must be a number")
    if isinstance(value, date):
        number = _day(value) if _is_day(name) else _end_of_day(value)
    elif isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            try:
                day = date.fromisoformat(text)
            except ValueError:
                raise EportError(f"{name}: {text!r} is not a date") from None
            number = _day(day) if _is_day(name) else _end_of_day(day)
        elif MONEY.search(name):
            number = parse_amount(text)
        elif re.fullmatch(r"\d+", text):
            number = int(text)
        else:
            raise EportError(f"{name} must be a whole number (got {text!r})")
    if number < 0 or number >= 2**bits and kind.startswith("uint"):
        raise EportError(f"{name} is out of range for {kind}")
    return number


def _is_day(name: str) -> bool:
    """A day number (the calendar's `day`, `dayList`) rather than a moment."""
    return name.lower().endswith(("day", "daylist"))


def _day(day: date) -> int:
    return (day - date(1970, 1, 1)).days


def show(item: dict, value: Any, names: dict | None = None) -> str:
    """A value from an event or error, readable: enum names, CNY amounts, dates, hex bytes,
    and addresses by wallet or contract name when `names` knows them."""
    if names and isinstance(value, str) and value in names:
        return names[value]
    members = enum_members(item.get("internalType"))
    if members is not None and isinstance(value, int) and value < len(members):
        return members[value]
    kind = item["type"]
    if isinstance(value, bytes):
        stripped = value.rstrip(b"\0")
        if kind != "bytes32" and stripped and all(32 < b < 127 for b in stripped):
            return stripped.decode()
        return "0x" + value.hex()
    if kind.startswith("uint") and MONEY.search(item.get("name", "")):
        return f"{format_amount(value)} ({value} fen)"
    if kind.startswith("uint") and DATES.search(item.get("name", "")) and value > 10**9:
        when = datetime.fromtimestamp(value, UTC) + SHANGHAI
        return when.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, (list, tuple)):
        components = item.get("components")
        if components and kind == "tuple":
            return (
                "{"
                + ", ".join(
                    f"{c['name']}: {show(c, v)}" for c, v in zip(components, value, strict=True)
                )
                + "}"
            )
        inner = {**item, "type": kind[: kind.rindex("[")]} if kind.endswith("]") else item
        return "[" + ", ".join(show(inner, v) for v in value) + "]"
    return str(value)
