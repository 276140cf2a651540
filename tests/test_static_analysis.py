"""The slither triage of `./run test` (eport/static_analysis.py), on a recorded slither JSON.

tests/data/slither_sample.json holds nine results of a real run (line lists cut to first and
last): four project High/Medium (arbitrary-send-erc20 in CustomsClearance.callGuarantee,
reentrancy-no-eth in payDutyWithPermit, uninitialized-local `allowed` in TradeFinance._move,
unused-return in TradeFinance.collectFromCredit), two OpenZeppelin High/Medium (Math), two
project Low and one informational result whose elements span the project and OpenZeppelin.
No slither runs here.
"""

import copy
import json
from pathlib import Path

import pytest

from eport import static_analysis as sa
from eport.errors import EportError

SAMPLE = Path(__file__).resolve().parent / "data" / "slither_sample.json"
PROJECT_BLOCKING = {
    ("arbitrary-send-erc20", "CustomsClearance", "callGuarantee", "transferFrom"),
    ("reentrancy-no-eth", "CustomsClearance", "payDutyWithPermit", "permit"),
    ("uninitialized-local", "TradeFinance", "_move", "allowed"),
    ("unused-return", "TradeFinance", "collectFromCredit", "drawingOf"),
}


@pytest.fixture
def sample():
    return json.loads(SAMPLE.read_text())


def accepted_file(tmp_path, keys, reason="read the code: not a bug"):
    entries = [dict(zip(sa.KEY_FIELDS, key, strict=True), reason=reason) for key in keys]
    path = tmp_path / "slither.accepted.yaml"
    path.write_text(json.dumps({"accepted": entries}))  # JSON is YAML
    return path


def run(tmp_path, sample, accepted, *args):
    """main() on `sample` saved to a file; returns (exit code, printed lines)."""
    saved = tmp_path / "slither.json"
    saved.write_text(json.dumps(sample))
    return sa.main(["--json", str(saved), "--accepted", str(accepted), *args])


def shift_lines(output, by):
    """The same results as if `by` lines had been inserted above every element."""
    shifted = copy.deepcopy(output)

    def walk(node):
        if isinstance(node, dict):
            mapping = node.get("source_mapping")
            if isinstance(mapping, dict):
                mapping["lines"] = [n + by for n in mapping.get("lines", [])]
                mapping["start"] = mapping.get("start", 0) + 40 * by
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(shifted)
    return shifted


# --------------------------------------------------------------------------- reading results


def test_only_results_with_an_element_in_contracts_or_interfaces_are_the_projects(sample):
    findings = sa.findings_of(sample)

    project = {f.detector for f in findings if f.project}
    assert project == {
        "arbitrary-send-erc20", "reentrancy-no-eth", "uninitialized-local", "unused-return",
        "timestamp", "shadowing-local", "pragma",
    }  # fmt: skip
    assert {f.detector for f in findings if not f.project} == {
        "incorrect-exp",
        "divide-before-multiply",
    }


def test_project_paths_come_from_the_absolute_path_under_the_root(sample):
    for result in sample["results"]["detectors"]:
        for element in result["elements"]:
            element["source_mapping"]["filename_relative"] = "elsewhere/x.sol"

    findings = sa.findings_of(sample, root=Path("/project"))

    assert sum(f.project for f in findings) == 7
    assert sa.findings_of(sample, root=Path("/nowhere"))[0].project is False


def test_a_finding_is_keyed_by_detector_contract_function_and_element(sample):
    findings = sa.findings_of(sample)

    keys = {f.key for f in findings if f.project and f.blocking}
    assert keys == PROJECT_BLOCKING
    shadowing = next(f for f in findings if f.detector == "shadowing-local")
    assert shadowing.key == ("shadowing-local", "TradeFinance", "remainingOf", "today")
    high = next(f for f in findings if f.detector == "arbitrary-send-erc20")
    assert high.location == "contracts/customs/CustomsClearance.sol#443-465"


def test_a_failed_slither_run_is_one_clear_error():
    error = (
        "Invalid compilation: \nParserError: ParserError: Function expected.\n"
        " --> contracts/X.sol:3:1:\n  |\n3 | }\n  | ^\n\n"
    )  # as recorded from slither on a contract with a syntax error

    with pytest.raises(EportError) as raised:
        sa.findings_of({"success": False, "error": error, "results": {}})

    assert str(raised.value) == (
        "slither failed: Invalid compilation: ParserError: ParserError: Function expected. "
        "--> contracts/X.sol:3:1:"
    )


def test_the_callee_of_a_flagged_statement_is_its_element():
    assert sa._callee("ok = _token.transferFrom(bank,_treasury,amount)") == "transferFrom"
    assert sa._callee("IERC20Permit(address(_token)).permit(msg.sender,v,r,s)") == "permit"
    assert sa._callee("_payDuty(id)") == "_payDuty"
    assert sa._callee("block.timestamp > c.expiry") == ""


# ------------------------------------------------------------------------------------ triage


def test_every_project_high_and_medium_accepted_passes(tmp_path, sample, capsys):
    accepted = accepted_file(tmp_path, PROJECT_BLOCKING)

    code = run(tmp_path, sample, accepted)

    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert out == [
        "slither: 9 (2 High, 4 Medium, 2 Low, 1 Informational) results in all",
        "slither: 7 (1 High, 3 Medium, 2 Low, 1 Informational) in contracts/ and interfaces/",
        "slither: 4 High/Medium accepted in slither.accepted.yaml; "
        "after acceptance 3 (2 Low, 1 Informational)",
    ]


def test_an_unaccepted_high_or_medium_fails_with_one_line_each(tmp_path, sample, capsys):
    missing = ("arbitrary-send-erc20", "CustomsClearance", "callGuarantee", "transferFrom")
    accepted = accepted_file(tmp_path, PROJECT_BLOCKING - {missing})

    code = run(tmp_path, sample, accepted)

    failures = [line for line in capsys.readouterr().out.splitlines() if line.startswith("FAIL")]
    assert code == 1
    assert failures == [
        "FAIL High arbitrary-send-erc20 in CustomsClearance.callGuarantee [transferFrom] at "
        "contracts/customs/CustomsClearance.sol#443-465: is not accepted in slither.accepted.yaml"
    ]


def test_matching_ignores_line_numbers(tmp_path, sample):
    accepted = accepted_file(tmp_path, PROJECT_BLOCKING)

    code = run(tmp_path, shift_lines(sample, 37), accepted)

    assert code == 0
    assert sa.findings_of(shift_lines(sample, 37))[0].location.endswith("#480-502")


@pytest.mark.parametrize("field", sa.KEY_FIELDS)
def test_an_entry_differing_in_any_key_field_accepts_nothing(tmp_path, sample, field):
    target = ("uninitialized-local", "TradeFinance", "_move", "allowed")
    renamed = tuple(
        value + "Renamed" if name == field else value
        for name, value in zip(sa.KEY_FIELDS, target, strict=True)
    )
    accepted = accepted_file(tmp_path, (PROJECT_BLOCKING - {target}) | {renamed})

    result = sa.triage(sa.findings_of(sample), sa.load_accepted(accepted))

    assert [f.key for f in result.failures] == [target]
    assert [a.key for a in result.stale] == [renamed]


@pytest.mark.parametrize("reason", ["TODO", "todo: read _move", "", "   "])
def test_an_entry_without_a_reason_accepts_nothing(tmp_path, sample, capsys, reason):
    accepted = accepted_file(tmp_path, PROJECT_BLOCKING)
    entries = json.loads(accepted.read_text())
    entries["accepted"][0]["reason"] = reason
    accepted.write_text(json.dumps(entries))
    first = tuple(entries["accepted"][0][k] for k in sa.KEY_FIELDS)

    code = run(tmp_path, sample, accepted)

    failures = [line for line in capsys.readouterr().out.splitlines() if line.startswith("FAIL")]
    assert code == 1
    assert len(failures) == 1
    assert failures[0].endswith("has reason TODO in slither.accepted.yaml")
    assert f"{first[1]}.{first[2]} [{first[3]}]" in failures[0]


def test_low_informational_and_openzeppelin_results_never_fail(tmp_path, sample):
    kept = [
        r
        for r in sample["results"]["detectors"]
        if r["impact"] in ("Low", "Informational")
        or r["check"] in ("incorrect-exp", "divide-before-multiply")
    ]
    sample["results"]["detectors"] = kept

    code = run(tmp_path, sample, tmp_path / "no-such-file.yaml")

    assert code == 0
    assert len(kept) == 5


def test_an_entry_matching_nothing_is_noted_but_does_not_fail(tmp_path, sample, capsys):
    gone = ("unused-return", "TradeFinance", "_removed", "drawingOf")
    accepted = accepted_file(tmp_path, PROJECT_BLOCKING | {gone})

    code = run(tmp_path, sample, accepted)

    out = capsys.readouterr().out
    assert code == 0
    assert "entry unused-return TradeFinance._removed [drawingOf] matches nothing now" in out


# ------------------------------------------------------------------- the accepted-results file


def test_update_appends_todo_entries_that_keep_failing_until_given_a_reason(tmp_path, sample):
    accepted = tmp_path / "slither.accepted.yaml"
    accepted.write_text("# triaged by hand\naccepted:\n")

    assert run(tmp_path, sample, accepted, "--update") == 1
    text = accepted.read_text()
    entries = sa.load_accepted(accepted)
    assert text.startswith("# triaged by hand\naccepted:\n")
    assert {e.key for e in entries} == PROJECT_BLOCKING
    assert {e.reason for e in entries} == {"TODO"}

    assert run(tmp_path, sample, accepted, "--update") == 1
    assert accepted.read_text() == text  # nothing appended twice

    accepted.write_text(text.replace('reason: "TODO"', 'reason: "read it: fine"'))
    assert run(tmp_path, sample, accepted) == 0


def test_show_prints_entries_in_the_files_format(tmp_path, sample, capsys):
    accepted = tmp_path / "slither.accepted.yaml"

    code = run(tmp_path, sample, accepted, "--show")

    out = capsys.readouterr().out
    entries_text = out[out.index("# entries for") :].split("\n", 1)[1]
    shown = sa.load_accepted_text("accepted:\n" + entries_text)
    assert code == 1
    assert {e.key for e in shown} == PROJECT_BLOCKING
    assert "  # High, at contracts/customs/CustomsClearance.sol#443-465\n" in out
    assert not accepted.exists()


def test_entry_text_quotes_what_yaml_would_misread():
    finding = sa.Finding("pragma", "Informational", "", "", "0.8.28", "x.sol#2", True)

    entries = sa.load_accepted_text("accepted:\n" + sa.entry_text(finding, reason="a: b"))

    assert entries[0].key == ("pragma", "", "", "0.8.28")
    assert entries[0].reason == "a: b"


@pytest.mark.parametrize(
    "text, message",
    [
        ("- detector: x\n", "expected a mapping with a list under `accepted`"),
        ("accepted:\n  - contract: X\n", "entry 1 needs at least detector and contract"),
        (
            "accepted:\n  - {detector: x, contract: X, line: 3, reason: r}\n",
            "entry 1 has unknown keys ['line']",
        ),
    ],
)
def test_a_malformed_accepted_file_is_one_clear_error(tmp_path, text, message):
    path = tmp_path / "slither.accepted.yaml"
    path.write_text(text)

    with pytest.raises(EportError, match=message.replace("[", r"\[").replace("]", r"\]")):
        sa.load_accepted(path)


def test_the_projects_accepted_file_loads_with_a_reason_for_every_entry():
    entries = sa.load_accepted(sa.ACCEPTED_FILE)

    assert entries
    assert all(e.triaged for e in entries)
    assert len({e.key for e in entries}) == len(entries)


# ------------------------------------------------------------------------ what slither is given


def test_the_entry_point_imports_every_solidity_file_under_contracts_and_interfaces(tmp_path):
    for name in ["contracts/a/A.sol", "contracts/b/new/B.sol", "interfaces/IA.sol", "docs/x.sol"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("// x\n")

    files = sa.sources(tmp_path)
    text = sa.entry_point_text(files, Path("build/static-analysis"))

    assert [p.as_posix() for p in files] == [
        "contracts/a/A.sol", "contracts/b/new/B.sol", "interfaces/IA.sol",
    ]  # fmt: skip
    imports = [line for line in text.splitlines() if line.startswith("import")]
    assert imports == [
        'import "../../contracts/a/A.sol";',
        'import "../../contracts/b/new/B.sol";',
        'import "../../interfaces/IA.sol";',
    ]


def test_slither_compiles_with_brownies_settings(tmp_path):
    (tmp_path / "brownie-config.yaml").write_text(
        "compiler:\n  evm_version: london\n  solc:\n    optimizer: {enabled: true, runs: 999}\n"
        '    remappings: ["@x/=lib/x/"]\n'
    )

    assert sa.compiler_settings(tmp_path) == {
        "evmVersion": "london",
        "optimizer": {"enabled": True, "runs": 999},
        "remappings": ["@x/=lib/x/"],
    }
    assert sa.compiler_settings()["evmVersion"] == "paris"
    assert sa.compiler_settings()["optimizer"] == {"enabled": True, "runs": 200}
