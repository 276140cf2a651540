"""The offline compiler: npm's solc-js behind the shim, as py-solc-x and Brownie call it."""

import json
import subprocess
from pathlib import Path

import solcx

from eport import toolchain

ROOT = Path(__file__).resolve().parent.parent
SOURCE = """// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;
import {ERC20Permit, ERC20} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
contract PermitToken is ERC20Permit {
    constructor() ERC20("t", "t") ERC20Permit("t") {}
}
"""


def opcodes(runtime_hex: str) -> list[int]:
    """The opcodes of runtime bytecode, skipping PUSH data and the trailing CBOR metadata (its
    last two bytes give its length), whose bytes are not code."""
    code = bytes.fromhex(runtime_hex.removeprefix("0x"))
    if len(code) > 2:
        code = code[: -(int.from_bytes(code[-2:], "big") + 2)]
    ops, i = [], 0
    while i < len(code):
        op = code[i]
        ops.append(op)
        i += 1 + (op - 0x5F if 0x60 <= op <= 0x7F else 0)
    return ops


def compile_permit_token(evm_version: str) -> str:
    settings = {
        "evmVersion": evm_version,
        "optimizer": {"enabled": True, "runs": 200},
        "remappings": ["@openzeppelin/=node_modules/@openzeppelin/"],
        "outputSelection": {"*": {"*": ["evm.deployedBytecode.object"]}},
    }
    out = solcx.compile_standard(
        {"language": "Solidity", "sources": {"t.sol": {"content": SOURCE}}, "settings": settings},
        solc_binary=toolchain.solcx_folder() / f"solc-v{toolchain.solc_version()}",
        allow_paths=[str(ROOT)],
        base_path=str(ROOT),
    )
    return out["contracts"]["t.sol"]["PermitToken"]["evm"]["deployedBytecode"]["object"]


def test_shim_answers_version_like_native_solc():
    shim = toolchain.solcx_folder() / f"solc-v{toolchain.solc_version()}"

    out = subprocess.run([shim, "--version"], capture_output=True, text=True, check=True).stdout

    assert "Version: 0.8.28+commit." in out
    assert solcx.get_installed_solc_versions()


def test_shim_refuses_other_modes_with_one_line():
    shim = toolchain.solcx_folder() / f"solc-v{toolchain.solc_version()}"

    result = subprocess.run([shim, "--bin", "x.sol"], capture_output=True, text=True)

    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert "only --version and --standard-json" in result.stderr


def test_contract_importing_openzeppelin_compiles_for_paris_without_push0():
    runtime = compile_permit_token("paris")

    assert len(runtime) > 1000
    assert 0x5F not in opcodes(runtime)


def test_the_push0_check_would_catch_a_shanghai_build():
    runtime = compile_permit_token("shanghai")

    assert 0x5F in opcodes(runtime)


def test_every_deployable_project_contract_is_built_for_paris_without_push0():
    artifacts = [json.loads(p.read_text()) for p in (ROOT / "build" / "contracts").glob("*.json")]
    deployable = {a["contractName"]: a for a in artifacts if a.get("deployedBytecode")}

    assert "AllianceRegistry" in deployable
    assert all(a["compiler"]["evm_version"] == "paris" for a in deployable.values())
    assert [name for name, a in deployable.items() if 0x5F in opcodes(a["deployedBytecode"])] == []
