"""The user's workbench settings: a keymap and a default theme from ``config.toml``, and the theme
last chosen, remembered between sessions.

``config.toml`` lives in the user's config folder (``QCODE_CONFIG`` names another file)::

    theme = "textual-light"        # used until a theme is chosen in the app

    [keys]                         # binding id = keys (comma-separated); `?` in the app lists the ids
    code-finder = "c,f5"
    find = "slash,ctrl+f"

A file that cannot be read is reported and ignored: the workbench starts with its own keys.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_config_dir, user_state_dir

DARK, LIGHT = "textual-dark", "textual-light"


def config_path() -> Path:
    return Path(os.environ.get("QCODE_CONFIG") or Path(user_config_dir("qcode")) / "config.toml")


def state_path() -> Path:
    return Path(os.environ.get("QCODE_STATE") or Path(user_state_dir("qcode")) / "theme")


@dataclass
class Settings:
    keys: dict[str, str] = field(default_factory=dict)
    theme: str | None = None
    problem: str | None = None  # why the config file was ignored, to tell the user


def load_settings(path: Path | None = None) -> Settings:
    path = path or config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings(theme=_remembered_theme())
    except OSError as exc:
        return Settings(theme=_remembered_theme(), problem=f"cannot read {path}: {exc.strerror or exc}")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return Settings(theme=_remembered_theme(), problem=f"{path} is not valid TOML: {exc}")
    keys = data.get("keys", {})
    theme = data.get("theme")
    if not isinstance(keys, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in keys.items()):
        return Settings(theme=_remembered_theme(), problem=f"{path}: [keys] must map binding ids to key strings")
    if theme is not None and not isinstance(theme, str):
        return Settings(keys=keys, theme=_remembered_theme(), problem=f"{path}: theme must be a name")
    return Settings(keys=keys, theme=_remembered_theme() or theme)


def _remembered_theme() -> str | None:
    try:
        name = state_path().read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return name or None


def remember_theme(name: str) -> None:
    """Keep the chosen theme for the next session; a read-only home only loses the memory."""
    path = state_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name + "\n", encoding="utf-8")
    except OSError:
        pass
