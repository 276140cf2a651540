"""The operator command line on a real Clique network, every party signing from its own wallet.

The module starts its own network on free ports, runs the main job (`eport demo`: wallets,
deployment, one whole trade) through the command line, then drives more flows with the
operator commands themselves, as bank, customs and trader operators would.
"""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from eth_account import Account
from web3 import Web3

from eport.network import web3_http
from tests.cli import error_line, run_eport

from .conftest import make_network

TRADE_EVENTS = [
    "DeclarationLodged", "ChannelAssigned", "DutyAssessed", "DeclarationReleased",
    "CreditApplied", "CreditIssued", "CreditAdvised", "CreditConfirmed",
    "TransportDocumentRecorded", "FinancingRequested", "DeclarationValueConsumed",
    "FinancingApproved", "DocumentsPresented", "DeclarationValueConsumed",
    "PresentationRefused", "DiscrepanciesWaived", "PresentationHonoured", "FinancingRepaid",
]  # fmt: skip


class Operators:
    """Runs `eport ...` with this module's network, wallets and deployments."""

    def __init__(self, env: dict, home):
        self.env, self.home = env, home

    def __call__(self, *args, env=None, check=False):
        result = run_eport(*args, env={**self.env, **(env or {})})
        if check:
            assert result.returncode == 0, result.stderr
        return result

    def as_(self, wallet, *args, **kwargs):
        """A signed command: wallet and its password file appended."""
        secret = self.home / "passwords" / wallet
        return self(*args, "--wallet", wallet, "--password-file", secret, **kwargs)

    def address(self, wallet) -> str:
        return self("wallet", "address", wallet, check=True).stdout.strip()


@pytest.fixture(scope="module")
def ops(tmp_path_factory):
    net = make_network(tmp_path_factory, "operators")
    home = net.home.parent
    env = {
        "EPORT_NETWORK_HOME": str(net.home),
        "EPORT_WALLETS": str(home / "wallets"),
        "EPORT_PASSWORDS": str(home / "passwords"),
        "EPORT_DEPLOYMENTS": str(home / "deployments.json"),
        "EPORT_NONCES": str(home / "nonces"),
        "EPORT_RPC": f"http://127.0.0.1:{net.load().rpc.http_port}",
    }
    operators = Operators(env, home)
    operators.net = net
    try:
        operators.demo = operators("demo")
        yield operators
    finally:
        net.down()


one_error = error_line


def nonce(ops, wallet) -> int:
    w3 = web3_http(ops.net.load().rpc.http_port)
    return w3.eth.get_transaction_count(ops.address(wallet), "pending")


def trade(ops, declaration_id) -> dict:
    return json.loads(ops("trade", declaration_id, "--json", check=True).stdout)


def sent_event(result) -> list[str]:
    return [e["event"] for e in json.loads(result.stdout)["events"]]


def test_main_job_runs_a_whole_trade_and_prints_its_timeline(ops):
    assert ops.demo.returncode == 0, ops.demo.stderr

    data = trade(ops, 1)
    assert [e["event"] for e in data["events"]] == TRADE_EVENTS
    assert data["status"] == "Released" and data["credits"] == [1] and data["financings"] == [1]
    assert data["balances_cny"]["exporter"] == "500,000.00"
    assert data["balances_cny"]["TradeFinance"] == "0.00"
    assert "FinancingRepaid" in ops.demo.stdout
    assert "nothing to deploy" in ops("demo").stderr  # run again: no new deployment


def _cny(text: str) -> int:
    return int(text.replace(",", "").replace(".", ""))


def test_an_import_on_the_red_channel_pays_duty_through_the_command_line(ops, tmp_path):
    importer_before = _cny(trade(ops, 1)["balances_cny"]["importer"])
    declaration = tmp_path / "import.yaml"
    declaration.write_text(
        """flow: Import
trader: wallet:importer
content:
  shipment: {counterparty: Hamburg Machines, customsOffice: 2201, tradeMode: 110,
             incoterms: CIF, transportMode: 2, originCountry: DE, destinationCountry: CN,
             loadingPort: DEHAM, dischargePort: CNSHA, carrier: "wallet:carrier",
             transportDocNumber: HLCU-77}
  valuation: {currency: CNY, declaredValue: "80000.00", freight: "0", insurance: "0"}
  items:
    - {hsCode: 8462100000, quantity: 2, unit: SET, value: "80000.00", origin: DE}
  documentsCommitment: salted import documents 77
  documentCommitments: []
"""
    )
    lodged = ops.as_("declarant", "trader", "declare", "--file", declaration, "--json", check=True)
    lodged_event = json.loads(lodged.stdout)["events"][0]
    declaration_id = lodged_event["args"]["id"]

    ops.as_("customs", "customs", "channel", declaration_id, "red", check=True)
    ops.as_("customs", "customs", "check-documents", declaration_id, "true", "docs ok", check=True)
    ops.as_("customs", "customs", "inspect", declaration_id, "true", "seals intact", check=True)
    ops.as_("customs", "customs", "assess", declaration_id, "1000.00", check=True)
    importer = ops.address("importer")
    ops.as_("bocom", "bank", "mint", importer, "5000.00", "deposit 77", check=True)
    ops.as_("importer", "trader", "approve", "contract:CustomsClearance", "1000.00", check=True)
    paid = ops.as_("importer", "trader", "pay-duty", declaration_id, "--json", check=True)
    released = ops.as_("customs", "customs", "release", declaration_id, "--json", check=True)

    assert lodged_event["event"] == "DeclarationLodged"
    assert "DutyPaid" in sent_event(paid)
    assert sent_event(released) == ["DeclarationReleased"]
    data = trade(ops, declaration_id)
    assert data["status"] == "Released"
    assert [e["event"] for e in data["events"]][-3:] == [
        "DutyAssessed", "DutyPaid", "DeclarationReleased"
    ]  # fmt: skip
    # 5,000.00 minted for it, 1,000.00 of duty paid
    assert _cny(data["balances_cny"]["importer"]) == importer_before + 400_000


def test_a_second_bank_cannot_finance_beyond_what_is_left_and_nothing_is_sent(ops):
    ops.as_("bocom", "bank", "set-advance-ratio", 8000, check=True)  # a bank must, to be asked
    requested = ops.as_(
        "exporter", "trader", "request-financing", 1, 4, "INV-QINGDAO-AGAIN",
        "invoice INV-QINGDAO-AGAIN", "500000.00", "2027-06-30", "--json", check=True,
    )  # fmt: skip
    financing_id = json.loads(requested.stdout)["events"][0]["args"]["id"]
    before = nonce(ops, "bocom")

    refused = ops.as_("bocom", "bank", "finance", financing_id, "200000.00")

    line = one_error(refused)
    assert "would revert: TradeFinanceExceedsRemaining(declarationId=1" in line
    assert "remaining=40,000.00" in line  # 500,000.00 less 300,000.00 presented, 160,000.00 lent
    assert nonce(ops, "bocom") == before


def test_an_exporter_signs_a_request_and_its_bank_finances_it_in_one_transaction(ops, tmp_path):
    request = tmp_path / "request.json"
    exporter_nonce = nonce(ops, "exporter")
    signed = ops.as_(
        "exporter", "trader", "sign-financing", 1, 5, "INV-SIGNED-1", "invoice INV-SIGNED-1",
        "100000.00", "30000.00", "2027-06-30", "--out", request, check=True,
    )  # fmt: skip
    assert nonce(ops, "exporter") == exporter_nonce  # signing sends nothing
    assert "to " + str(request) in signed.stderr
    tampered = tmp_path / "tampered.json"
    content = json.loads(request.read_text())
    content["request"]["receivable"] = 10 * content["request"]["receivable"]
    tampered.write_text(json.dumps(content))
    icbc_nonce = nonce(ops, "icbc")

    forged = ops.as_("icbc", "bank", "finance-signed", tampered)
    assert "would revert: TradeFinanceBadSignature(declarationId=1" in one_error(forged)
    assert nonce(ops, "icbc") == icbc_nonce

    financed = ops.as_("icbc", "bank", "finance-signed", request, "--json", check=True)
    events = json.loads(financed.stdout)["events"]
    approved = next(e["args"] for e in events if e["event"] == "FinancingApproved")
    assert "FinancingRequested" in sent_event(financed)
    assert approved["amount"] == 3_000_000 and approved["exporter"] == ops.address("exporter")
    assert approved["declarationFinanced"] == 19_000_000  # 160,000.00 in the main job + this
    assert approved["id"] in trade(ops, 1)["financings"]

    replayed = ops.as_("icbc", "bank", "finance-signed", request)
    assert "TradeFinanceInvoiceAlreadyFinanced" in one_error(replayed)
    not_a_request = ops.as_("icbc", "bank", "finance-signed", ops.home / "deployments.json")
    assert "is not a signed financing request" in one_error(not_a_request)


def test_a_bank_signs_offline_and_another_machine_broadcasts(ops, tmp_path):
    w3 = web3_http(ops.net.load().rpc.http_port)
    signed = tmp_path / "open-audit.json"
    pending = nonce(ops, "customs")

    offline = ops.as_(
        "customs", "customs", "open-audit", 1, "--sign-only", signed,
        "--nonce", pending, "--chain-id", w3.eth.chain_id,
        env={"EPORT_RPC": "http://127.0.0.1:9"},  # no network on the signing machine
    )  # fmt: skip
    assert offline.returncode == 0, offline.stderr
    assert nonce(ops, "customs") == pending
    sent = ops("tx", "broadcast", signed, "--json", check=True)
    ops.as_("customs", "customs", "close-audit", 1, "true", "under-declared value", check=True)

    assert sent_event(sent) == ["AuditOpened"]
    assert json.loads(sent.stdout)["tx"] == json.loads(signed.read_text())["hash"]
    assert trade(ops, 1)["flagged"] is True


def test_a_flagged_declaration_can_no_longer_be_financed(ops):
    result = ops.as_(
        "exporter",
        "trader",
        "request-financing",
        1,
        5,
        "INV-AFTER-AUDIT",
        "invoice after audit",
        "1.00",
        "2027-06-30",
    )

    assert "TradeFinanceDeclarationFlagged" in one_error(result)


def test_one_wallet_sending_several_transactions_at_once_gets_consecutive_nonces(ops):
    newcomers = [Account.create().address for _ in range(4)]
    start = nonce(ops, "customs")

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(
            lambda a: ops.as_("customs", "member", "register", a, "1", "--confirmations", "0"),
            newcomers,
        ))  # fmt: skip
    ops.as_("customs", "member", "register", Account.create().address, "1", check=True)

    assert all(r.returncode == 0 for r in results), [r.stderr for r in results]
    assert nonce(ops, "customs") == start + 5


def test_a_dropped_transaction_is_sent_again_with_the_same_nonce(ops):
    customs = ops.address("customs")
    chain_id = web3_http(ops.net.load().rpc.http_port).eth.chain_id
    pending = nonce(ops, "customs")
    # The record of a send the node never kept (dropped from its pool).
    record = ops.home / "nonces" / f"{chain_id}-{customs.lower()}.json"
    record.write_text(json.dumps({"nonce": pending, "hash": "0x" + "ab" * 32}))

    sent = ops.as_("customs", "member", "register", Account.create().address, "1", "--json",
                   check=True)  # fmt: skip

    tx = web3_http(ops.net.load().rpc.http_port).eth.get_transaction(json.loads(sent.stdout)["tx"])
    assert tx["nonce"] == pending


@pytest.mark.parametrize(
    "wallet, args, expected",
    [
        ("bocom", ["bank", "mint", "0x1234", "1.00", "ref"], "is not an address"),
        ("bocom", ["bank", "mint", "0x8782394e286B1a83F45838D753371D646925669E", "1.00", "ref"],
         "bad checksum"),
        ("bocom", ["bank", "mint", "wallet:exporter", "1.001", "ref"], "more than 2 decimals"),
        ("bocom", ["bank", "mint", "wallet:exporter", "1.00", "ref", "--rpc",
                   "http://127.0.0.1:9"], "cannot reach a node at http://127.0.0.1:9"),
        ("bocom", ["bank", "mint", "wallet:exporter", "1.00", "ref", "--chain-id", "1"],
         "is on chain"),
        ("customs", ["customs", "release", "999"], "CustomsUnknownDeclaration(id=999)"),
        ("bocom", ["customs", "release", "1"], "CustomsNotCustoms(account="),
    ],
)  # fmt: skip
def test_bad_input_gets_one_clear_line_and_nothing_is_sent(ops, wallet, args, expected):
    before = nonce(ops, wallet)

    result = ops.as_(wallet, *args)

    assert expected in one_error(result)
    assert nonce(ops, wallet) == before


def test_an_unknown_wallet_is_one_line(ops):
    result = ops("customs", "release", "1", "--wallet", "nosuch")

    assert "no wallet named 'nosuch'" in one_error(result)


def test_wrong_password_is_one_line(ops, tmp_path):
    wrong = tmp_path / "wrong"
    wrong.write_text("not-the-password")

    result = ops("bank", "redeem", "1.00", "ref", "--wallet", "bocom", "--password-file", wrong)

    assert one_error(result) == "error: wrong password for wallet 'bocom'"


def test_unknown_trade_id_is_one_line(ops):
    assert "no declaration 404" in one_error(ops("trade", "404"))


def test_a_deployment_file_for_another_chain_is_refused(ops, tmp_path):
    other = tmp_path / "deployments.json"
    other.write_text(json.dumps({"5": {"contracts": {}, "steps": []}}))

    result = ops.as_(
        "bocom", "bank", "redeem", "1.00", "ref", env={"EPORT_DEPLOYMENTS": str(other)}
    )

    assert "has no deployment for chain" in one_error(result)
    assert "(it has: 5)" in one_error(result)


def test_addresses_are_shown_checksummed_in_events(ops):
    data = trade(ops, 1)

    lodged = data["events"][0]
    assert lodged["args"]["trader"] == "exporter"
    assert Web3.is_checksum_address(lodged["by"])
