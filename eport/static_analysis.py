"""Static analysis of the contracts with slither, triaged against an accepted-results file.

Slither compiles one generated file that imports every `.sol` file under contracts/ and
interfaces/ (so a new contract is covered without a list to keep), through the project's solc
shim, with the compiler settings of brownie-config.yaml (evm version, optimizer, remappings)
in a solc standard-JSON input. Of its results only those with an element in contracts/ or
interfaces/ are the project's (OpenZeppelin's own are not ours to triage). Each High or Medium
one must match an entry of the accepted-results file, which gives the reason it is not a bug;
an entry matches on detector, contract, function and element name (never on line numbers, so
edits elsewhere in a file do not break it). Low and informational results are only counted.

    python scripts/static_analysis.py            run slither, fail on an unaccepted High/Medium
    python scripts/static_analysis.py --show     also print those as entries for the file
    python scripts/static_analysis.py --update   append them to the file with reason TODO
    ... --json FILE                              triage a saved slither JSON instead of running it

An entry whose reason is empty or starts with TODO accepts nothing: `--update` writes such
entries so that the run keeps failing until someone has read the code and written the reason.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import EportError
from .toolchain import PROJECT_ROOT, solc_version, solcx_folder

PROJECT_DIRS = ("contracts/", "interfaces/")
BLOCKING = ("High", "Medium")
IMPACTS = ("High", "Medium", "Low", "Informational", "Optimization")
ACCEPTED_FILE = PROJECT_ROOT / "slither.accepted.yaml"
WORK_DIR = PROJECT_ROOT / "build" / "static-analysis"
ENTRY_POINT = "AllContracts.sol"
KEY_FIELDS = ("detector", "contract", "function", "element")


@dataclass(frozen=True)
class Finding:
    """One slither result, reduced to what triage needs."""

    detector: str
    impact: str
    contract: str  # the contract of the result's first element ("" if none)
    function: str  # the function it is in, without signature ("" at contract level)
    element: str  # the variable, or the function the flagged statement calls ("" if none)
    location: str  # path#lines of the first element, for people (never matched on)
    project: bool  # some element lies in contracts/ or interfaces/

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.detector, self.contract, self.function, self.element)

    @property
    def blocking(self) -> bool:
        return self.impact in BLOCKING

    def describe(self) -> str:
        where = ".".join(p for p in (self.contract, self.function) if p) or "(file level)"
        element = f" [{self.element}]" if self.element else ""
        return f"{self.impact} {self.detector} in {where}{element} at {self.location}"


@dataclass(frozen=True)
class Accepted:
    """One entry of the accepted-results file."""

    detector: str
    contract: str
    function: str
    element: str
    reason: str

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.detector, self.contract, self.function, self.element)

    @property
    def triaged(self) -> bool:
        """False for an entry still waiting for its reason (empty or TODO...)."""
        reason = self.reason.strip()
        return bool(reason) and not reason.upper().startswith("TODO")


@dataclass
class Triage:
    findings: list[Finding]  # every result slither reported
    failures: list[Finding]  # project High/Medium results no triaged entry accepts
    untriaged: list[Finding]  # of the failures, those whose entry still says TODO
    accepted: list[Finding]  # project High/Medium results an entry accepts
    stale: list[Accepted]  # entries that match no result any more

    @property
    def project(self) -> list[Finding]:
        return [f for f in self.findings if f.project]


# ------------------------------------------------------------------ reading slither output


def _relative(source_mapping: dict, root: Path) -> str:
    absolute = source_mapping.get("filename_absolute")
    if absolute:
        try:
            return Path(absolute).resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return str(source_mapping.get("filename_relative", ""))


def _location(element: dict, root: Path) -> str:
    mapping = element.get("source_mapping") or {}
    path = _relative(mapping, root)
    lines = mapping.get("lines") or []
    if not lines:
        return path
    span = str(lines[0]) if len(lines) == 1 else f"{lines[0]}-{lines[-1]}"
    return f"{path}#{span}"


def _parents(element: dict) -> list[dict]:
    """The element and its parents, innermost first (node -> function -> contract)."""
    chain = [element]
    while True:
        parent = (chain[-1].get("type_specific_fields") or {}).get("parent")
        if not isinstance(parent, dict):
            return chain
        chain.append(parent)


def _callee(expression: str) -> str:
    """The function a statement calls: `x = _token.transferFrom(a,b,c)` -> transferFrom."""
    member = re.search(r"\.(\w+)\s*\(", expression)
    if member:
        return member.group(1)
    call = re.search(r"(\w+)\s*\(", expression)
    return call.group(1) if call else ""


def finding_of(result: dict, root: Path = PROJECT_ROOT) -> Finding:
    """Reduce one entry of slither's `results.detectors` to a Finding."""
    elements = result.get("elements") or []
    first = elements[0] if elements else {}
    chain = _parents(first) if first else []
    contract = next((e.get("name", "") for e in chain if e.get("type") == "contract"), "")
    function = next(
        (e.get("name", "") for e in chain if e.get("type") in ("function", "modifier")), ""
    )
    element = ""
    if first.get("type") in ("variable", "event", "enum", "struct", "custom_error"):
        element = first.get("name", "")
    else:
        node = next((e for e in elements if e.get("type") == "node"), None)
        if node is not None:
            element = _callee(node.get("name", ""))
    project = any(
        _relative(e.get("source_mapping") or {}, root).startswith(PROJECT_DIRS) for e in elements
    )
    return Finding(
        detector=result.get("check", ""),
        impact=result.get("impact", ""),
        contract=contract,
        function=function,
        element=element,
        location=_location(first, root) if first else "",
        project=project,
    )


def findings_of(output: dict, root: Path = PROJECT_ROOT) -> list[Finding]:
    """Every detector result of a slither `--json` output, as Findings."""
    if not output.get("success", False):
        # One line: solc's message and where, without its source excerpt (`3 | ...`, `^`).
        error = str(output.get("error") or "no error given").splitlines()
        kept = [line.strip() for line in error if line.strip()]
        kept = [line for line in kept if not re.match(r"(\d+\s*)?\|", line)]
        raise EportError(f"slither failed: {' '.join(kept)}")
    results = (output.get("results") or {}).get("detectors") or []
    return [finding_of(r, root) for r in results]


# ---------------------------------------------------------------- the accepted-results file


def load_accepted(path: Path) -> list[Accepted]:
    """The entries of the accepted-results file (none if it does not exist)."""
    if not path.exists():
        return []
    return load_accepted_text(path.read_text(), path.name)


def load_accepted_text(text: str, name: str = ACCEPTED_FILE.name) -> list[Accepted]:
    """The entries of an accepted-results file's text; one clear error if it is malformed."""
    data = yaml.safe_load(text) or {}
    # `accepted:` with nothing under it is an empty list.
    entries = (data.get("accepted") or []) if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise EportError(f"{name}: expected a mapping with a list under `accepted`")
    accepted = []
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or "detector" not in entry or "contract" not in entry:
            raise EportError(f"{name}: entry {number} needs at least detector and contract")
        unknown = set(entry) - {*KEY_FIELDS, "reason"}
        if unknown:
            raise EportError(f"{name}: entry {number} has unknown keys {sorted(unknown)}")
        accepted.append(Accepted(**{k: str(entry.get(k) or "") for k in (*KEY_FIELDS, "reason")}))
    return accepted


def triage(findings: list[Finding], accepted: list[Accepted]) -> Triage:
    """Sort the project's High/Medium findings into accepted and failing ones."""
    reasons = {a.key: a for a in accepted}
    result = Triage(findings=findings, failures=[], untriaged=[], accepted=[], stale=[])
    matched = set()
    for finding in findings:
        if not (finding.project and finding.blocking):
            continue
        entry = reasons.get(finding.key)
        if entry is not None:
            matched.add(entry.key)
        if entry is not None and entry.triaged:
            result.accepted.append(finding)
        else:
            result.failures.append(finding)
            if entry is not None:
                result.untriaged.append(finding)
    result.stale = [a for a in accepted if a.key not in matched]
    return result


def _scalar(text: str) -> str:
    plain = re.fullmatch(r"[A-Za-z_][\w.\-]*", text) and text.lower() not in {
        "true", "false", "yes", "no", "on", "off", "null", "y", "n",
    }  # fmt: skip
    return text if plain else json.dumps(text)


def entry_text(finding: Finding, reason: str = "TODO") -> str:
    """`finding` as an entry of the accepted-results file (YAML, with a comment saying where)."""
    lines = [f"  # {finding.impact}, at {finding.location}"]
    for number, field in enumerate(KEY_FIELDS):
        value = getattr(finding, field)
        if value or field in ("detector", "contract"):
            lead = "  - " if number == 0 else "    "
            lines.append(f"{lead}{field}: {_scalar(value)}")
    lines.append(f"    reason: {json.dumps(reason)}")
    return "\n".join(lines) + "\n"


def append_entries(path: Path, findings: list[Finding]) -> int:
    """Append an entry with reason TODO for each finding whose key the file lacks."""
    known = {a.key for a in load_accepted(path)}
    new, seen = [], set()
    for finding in findings:
        if finding.key not in known and finding.key not in seen:
            seen.add(finding.key)
            new.append(finding)
    if not new:
        return 0
    text = path.read_text() if path.exists() else "accepted:\n"
    if not text.endswith("\n"):
        text += "\n"
    path.write_text(text + "".join(entry_text(f) for f in new))
    return len(new)


# --------------------------------------------------------------------------- running slither


def sources(root: Path = PROJECT_ROOT) -> list[Path]:
    """Every Solidity file of the project, relative to the root, in a stable order."""
    files = [p for folder in PROJECT_DIRS for p in (root / folder).rglob("*.sol")]
    return sorted(p.relative_to(root) for p in files)


def entry_point_text(files: list[Path], entry_dir: Path) -> str:
    """A Solidity file importing each of `files` (relative to the root) from `entry_dir`."""
    lines = ["// SPDX-License-Identifier: MIT", "// Generated for slither: do not edit."]
    lines.append(f"pragma solidity {solc_version()};")
    for path in files:
        lines.append(f'import "{"../" * len(entry_dir.parts)}{path.as_posix()}";')
    return "\n".join(lines) + "\n"


def compiler_settings(root: Path = PROJECT_ROOT) -> dict:
    """The solc settings Brownie compiles with (brownie-config.yaml), for a standard JSON."""
    config = yaml.safe_load((root / "brownie-config.yaml").read_text())
    compiler = config.get("compiler") or {}
    solc = compiler.get("solc") or {}
    optimizer = solc.get("optimizer") or {"enabled": False}
    settings = {
        "optimizer": {"enabled": bool(optimizer.get("enabled"))},
        "remappings": list(solc.get("remappings") or []),
    }
    if optimizer.get("enabled"):
        settings["optimizer"]["runs"] = int(optimizer.get("runs", 200))
    if compiler.get("evm_version"):
        settings["evmVersion"] = compiler["evm_version"]
    return settings


def run_slither(root: Path = PROJECT_ROOT, work_dir: Path = WORK_DIR) -> dict:
    """Write the entry point and the standard-JSON input, run slither, return its JSON."""
    slither = shutil.which("slither")
    if slither is None:
        raise EportError("slither is not on PATH: run `./run setup` (requirements.txt pins it)")
    solc = solcx_folder() / f"solc-v{solc_version()}"
    if not solc.exists():
        raise EportError(f"the solc shim {solc} is missing: run `./run setup`")
    work_dir.mkdir(parents=True, exist_ok=True)
    entry_dir = work_dir.relative_to(root)
    entry = entry_dir / ENTRY_POINT
    (root / entry).write_text(entry_point_text(sources(root), entry_dir))
    standard_json = {
        "language": "Solidity",
        "sources": {entry.as_posix(): {"urls": [entry.as_posix()]}},
        "settings": compiler_settings(root),
    }
    input_file = work_dir / "input.json"
    input_file.write_text(json.dumps(standard_json, indent=2))
    output_file = work_dir / "slither.json"
    output_file.unlink(missing_ok=True)  # slither refuses to overwrite it
    command = [
        slither, str(input_file.relative_to(root)), "--compile-force-framework", "solc-json",
        "--solc", str(solc), "--json", str(output_file.relative_to(root)), "--disable-color",
    ]  # fmt: skip
    # Slither exits non-zero whenever it finds anything: success is read from its JSON.
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    (work_dir / "slither.log").write_text(done.stdout + done.stderr)
    if not output_file.exists():
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise EportError(f"slither wrote no results ({tail[0]}); see {work_dir}/slither.log")
    return json.loads(output_file.read_text())


# ------------------------------------------------------------------------------------ report


def _counts(findings: list[Finding]) -> str:
    counts = Counter(f.impact for f in findings)
    parts = [f"{counts[i]} {i}" for i in IMPACTS if counts[i]]
    return f"{len(findings)} ({', '.join(parts) or 'none'})"


def report(result: Triage, accepted_file: Path) -> list[str]:
    """The summary lines, then one line per failing finding."""
    project = result.project
    not_accepted = [f for f in project if f not in result.accepted]
    lines = [
        f"slither: {_counts(result.findings)} results in all",
        f"slither: {_counts(project)} in contracts/ and interfaces/",
        f"slither: {len(result.accepted)} High/Medium accepted in {accepted_file.name}; "
        f"after acceptance {_counts(not_accepted)}",
    ]
    for entry in result.stale:
        lines.append(
            f"slither: note: {accepted_file.name} entry {entry.detector} {entry.contract}."
            f"{entry.function} [{entry.element}] matches nothing now (remove it?)"
        )
    todo = set(result.untriaged)
    for finding in result.failures:
        why = "has reason TODO" if finding in todo else "is not accepted"
        lines.append(f"FAIL {finding.describe()}: {why} in {accepted_file.name}")
    return lines


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise EportError(f"cannot read slither JSON {path}: {error}") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="triage this slither JSON, do not run slither")
    parser.add_argument("--accepted", type=Path, default=ACCEPTED_FILE)
    parser.add_argument("--show", action="store_true", help="print failures as file entries")
    parser.add_argument("--update", action="store_true", help="append failures, reason TODO")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        accepted = load_accepted(args.accepted)
        output = _read_json(args.json) if args.json else run_slither()
        result = triage(findings_of(output), accepted)
    except EportError as error:
        print(f"slither: error: {error}", file=sys.stderr)
        return 1
    for line in report(result, args.accepted):
        print(line)
    if args.show and result.failures:
        print(f"# entries for {args.accepted.name} (write each reason):")
        seen = set()
        for finding in result.failures:
            if finding.key not in seen:
                seen.add(finding.key)
                print(entry_text(finding), end="")
    if args.update:
        added = append_entries(args.accepted, result.failures)
        print(f"slither: appended {added} entries with reason TODO to {args.accepted}")
    if not args.json:
        print(f"slither: done in {time.monotonic() - started:.0f} s")
    return 1 if result.failures else 0
