"""Scenario files: named Settings, saved and read back across versions of ALMS.

A file holds one or several named scenarios in an envelope that states its format and
version (`FORMAT`, `VERSION`). Version 1 is what ALMS wrote before the envelope: the bare
Settings object. Reading is lenient by part: a top-level setting that this version
cannot use (unknown to it, or with a wrong value) is left at the book's default, and the
reading says which part and why; the rest of the scenario applies.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from typing import Any

from pydantic import ValidationError

from alms.settings import _ADAPTER, Settings, SettingsError, describe_errors

FORMAT = "alms-scenarios"
VERSION = 2
"""2: the envelope {"format", "version", "current", "scenarios": [{"name", "settings"}]}.
1: a bare Settings object (ALMS 0.1 up to the A-E matrix release)."""
MAX_SCENARIOS = 12
MAX_NAME = 60
SETTING_NAMES = frozenset(f.name for f in fields(Settings))


@dataclass(frozen=True)
class Named:
    """One scenario: a name the facilitator gave it, and its settings."""

    name: str
    settings: Settings


@dataclass
class Reading:
    """What a scenario file gave: its scenarios, which one was current, and one sentence
    per part that could not be used (that part kept the book's default)."""

    scenarios: list[Named]
    current: str | None = None
    unused: list[str] = field(default_factory=list)


def clean_name(name: str) -> str:
    """A scenario's name as kept: one line, trimmed, at most MAX_NAME characters."""
    return " ".join(str(name).split())[:MAX_NAME]


def dump(scenarios: list[Named], current: str | None = None) -> str:
    """The scenarios as a version-2 file (JSON text)."""
    return json.dumps(
        {
            "format": FORMAT,
            "version": VERSION,
            "current": current,
            "scenarios": [{"name": s.name, "settings": s.settings.to_dict()} for s in scenarios],
        },
        indent=2,
        ensure_ascii=False,
    )


def read(text: str | bytes, base: Settings | None = None, name: str = "scenario") -> Reading:
    """The scenarios of a file's text; absent or unusable parts take `base` (the book's
    defaults). `name` names a version-1 file's single scenario.

    Raises SettingsError when the text is no scenario file at all, or is from a newer
    format version.
    """
    base = base or Settings()
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise SettingsError(f"not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise SettingsError("a scenario file is a JSON object")
    if "format" not in data:  # version 1: the bare settings
        settings, unused = lenient(data, base)
        return Reading([Named(clean_name(name) or "scenario", settings)], None, unused)
    if data.get("format") != FORMAT:
        raise SettingsError(f"not an ALMS scenario file (format {str(data['format'])[:40]!r})")
    version = data.get("version")
    if not isinstance(version, int) or version < 2:
        raise SettingsError(f"unknown scenario file version {str(version)[:20]!r}")
    if version > VERSION:
        raise SettingsError(
            f"this scenario file is version {version}, from a newer ALMS; this one reads "
            f"versions up to {VERSION}"
        )
    items = data.get("scenarios")
    if not isinstance(items, list) or not items:
        raise SettingsError("the file holds no scenarios")
    out: list[Named] = []
    unused: list[str] = []
    for i, item in enumerate(items[:MAX_SCENARIOS]):
        if not isinstance(item, dict) or not isinstance(item.get("settings"), dict):
            unused.append(f"scenario {i + 1}: not a named set of settings; left out")
            continue
        label = clean_name(item.get("name") or "") or f"scenario {i + 1}"
        while label in {s.name for s in out}:
            label = clean_name(f"{label} (2)")
        settings, notes = lenient(item["settings"], base)
        out.append(Named(label, settings))
        unused += [f"{label}: {note}" for note in notes]
    if len(items) > MAX_SCENARIOS:
        unused.append(f"only the first {MAX_SCENARIOS} of {len(items)} scenarios were read")
    if not out:
        raise SettingsError("the file holds no usable scenario")
    current = data.get("current")
    names = [s.name for s in out]
    return Reading(out, current if current in names else None, unused)


def lenient(data: dict[str, Any], base: Settings) -> tuple[Settings, list[str]]:
    """Settings from `data` over `base`, part by part: each top-level setting that is
    unknown or invalid keeps base's value, with one sentence saying which and why."""
    unused = [
        f"{key}: not a setting this version of ALMS knows; ignored"
        for key in sorted(map(str, set(data) - SETTING_NAMES))
    ]
    merged = base.to_dict() | {k: v for k, v in data.items() if k in SETTING_NAMES}
    defaults = base.to_dict()
    for _ in range(len(SETTING_NAMES)):
        try:
            return _ADAPTER.validate_python(merged), unused
        except ValidationError as exc:
            parts: dict[str, list] = {}
            for err in exc.errors(include_url=False):
                top = err["loc"][0] if err["loc"] else None
                if top not in SETTING_NAMES or merged[top] == defaults[top]:
                    raise SettingsError(describe_errors(exc.errors(include_url=False))) from None
                parts.setdefault(str(top), []).append(err)
            for top in parts:
                detail = describe_errors(parts[top])
                unused.append(f"{detail}; the default applies")
                merged[top] = defaults[top]
    raise SettingsError("the scenario could not be read")  # pragma: no cover (bounded loop)


def differences(settings: Settings, base: Settings, limit: int = 8) -> list[str]:
    """What `settings` changes against `base`, one "path: before -> after" per leaf
    (lists shown whole, overrides and flags counted), at most `limit` (then "...")."""
    out: list[str] = []

    def walk(path: str, a: object, b: object) -> None:
        if a == b:
            return
        if isinstance(a, dict) and isinstance(b, dict):
            for k in a.keys() | b.keys():
                walk(f"{path}.{k}" if path else str(k), a.get(k), b.get(k))
            return
        if path in ("overrides", "never_prospect"):
            out.append(f"{path}: {len(a or [])} accounts (was {len(b or [])})")
            return
        out.append(f"{path}: {_short(b)} -> {_short(a)}")

    walk("", settings.to_dict(), base.to_dict())
    out.sort()
    return out[:limit] + (["..."] if len(out) > limit else [])


def _short(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "..."
