"""Locate or install the external tools the project runs: the solc shim, geth 1.13 and Anvil.

Nothing here downloads a binary: solc comes from npm (solc-js), Anvil from npm, and geth is
built from source through the Go module proxy.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

from .errors import EportError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TOOLS_BIN = PROJECT_ROOT / ".tools" / "bin"
GETH_VERSION = "1.13.15"
GETH_MODULE = "github.com/ethereum/go-ethereum/cmd/geth"
# Go >= 1.23 refuses go-ethereum 1.13's link to runtime internals (fjl/memsize) without this.
GETH_LDFLAGS = "-checklinkname=0"


def solc_version() -> str:
    """The solc version pinned in package.json (the npm solc-js release)."""
    import json

    pkg = json.loads((PROJECT_ROOT / "package.json").read_text())
    return pkg["dependencies"]["solc"]


def solcx_folder() -> Path:
    """Where py-solc-x (and so Brownie) looks for compilers."""
    env = os.environ.get("SOLCX_BINARY_PATH")
    return Path(env).expanduser() if env else Path.home() / ".solcx"


def install_solc_shim() -> Path:
    """Install an executable `solc-v<version>` in the solcx folder that runs solc-js.

    py-solc-x lists compilers by file name and Brownie parses `--version`, so a tiny shell
    wrapper around scripts/solc-shim.js is all it takes.
    """
    node = shutil.which("node")
    if node is None:
        raise EportError("node is not on PATH: install Node.js 20 to compile contracts")
    if not (PROJECT_ROOT / "node_modules" / "solc").is_dir():
        raise EportError("node_modules/solc is missing: run `npm ci` in the project first")
    folder = solcx_folder()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"solc-v{solc_version()}"
    script = PROJECT_ROOT / "scripts" / "solc-shim.js"
    target.write_text(f'#!/bin/sh\nexec "{node}" "{script}" "$@"\n')
    target.chmod(0o755)
    out = subprocess.run([str(target), "--version"], capture_output=True, text=True, check=False)
    if out.returncode != 0 or solc_version() not in out.stdout:
        raise EportError(
            f"the solc shim at {target} does not answer --version: {out.stderr.strip()}"
        )
    return target


def geth_version(path: str | Path) -> str | None:
    """The version a geth binary reports (`1.13.15`), or None if it does not run as geth."""
    try:
        out = subprocess.run(
            [str(path), "version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r"^Version:\s*(\d+\.\d+\.\d+)", out.stdout, re.MULTILINE)
    return match.group(1) if match else None


def check_geth(path: str | Path) -> str:
    """Return the path if it is a geth 1.13.x, else raise a one-line error."""
    if not Path(path).exists() and shutil.which(str(path)) is None:
        raise EportError(
            f"geth not found at {path}: run `./run setup` to build geth {GETH_VERSION}"
        )
    version = geth_version(path)
    if version is None:
        raise EportError(f"{path} does not run as geth (no version): expected geth {GETH_VERSION}")
    if not version.startswith("1.13."):
        raise EportError(
            f"{path} is geth {version}; Clique sealing needs geth 1.13.x "
            f"(run `./run setup` to build {GETH_VERSION})"
        )
    return str(path)


def find_geth() -> str:
    """The geth to run: $EPORT_GETH if set, else the project's own build, else a 1.13 on PATH."""
    explicit = os.environ.get("EPORT_GETH")
    if explicit:
        return check_geth(explicit)
    local = TOOLS_BIN / "geth"
    if local.exists():
        return check_geth(local)
    on_path = shutil.which("geth")
    if on_path and (geth_version(on_path) or "").startswith("1.13."):
        return on_path
    raise EportError(f"no geth 1.13.x found: run `./run setup` to build geth {GETH_VERSION}")


def ensure_geth(log=print) -> str:
    """Find a usable geth or build it once into .tools/bin with `go install`."""
    try:
        return find_geth()
    except EportError:
        if os.environ.get("EPORT_GETH"):
            raise
    go = shutil.which("go")
    if go is None:
        raise EportError("go is not on PATH: install Go to build geth (or put geth 1.13.x on PATH)")
    TOOLS_BIN.mkdir(parents=True, exist_ok=True)
    log(f"building geth {GETH_VERSION} with {go} into {TOOLS_BIN} (once; a few minutes)")
    started = time.monotonic()
    env = dict(os.environ, GOBIN=str(TOOLS_BIN))
    result = subprocess.run(
        [go, "install", f"-ldflags={GETH_LDFLAGS}", f"{GETH_MODULE}@v{GETH_VERSION}"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise EportError(f"building geth {GETH_VERSION} failed: {last}")
    log(f"built geth {GETH_VERSION} in {time.monotonic() - started:.0f} s")
    return check_geth(TOOLS_BIN / "geth")


def anvil_path() -> str:
    path = PROJECT_ROOT / "node_modules" / ".bin" / "anvil"
    if not path.exists():
        raise EportError("node_modules/.bin/anvil is missing: run `npm ci` in the project first")
    return str(path)
