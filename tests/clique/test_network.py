"""The alliance network on real geth Clique nodes: sealing, signing, failover, governance."""

import json

import psutil
from eth_account import Account

from eport.network import web3_http


def test_every_signer_seals_and_all_nodes_share_one_chain(clique):
    status = clique.status(recent=9)

    signers = {s["node"] for s in status["signers"]}
    sealers = {b["node"] for b in status["recent_sealers"]}
    heads = {n["name"]: n["head"] for n in status["nodes"]}
    assert signers == {"customs", "bocom", "pboc"}
    assert sealers == signers
    assert all(n["running"] and n["peers"] == 3 for n in status["nodes"])
    low = min(heads.values())
    hashes = {clique.w3(name).eth.get_block(low)["hash"] for name in heads}
    assert len(hashes) == 1


def test_rpc_node_serves_only_eth_net_web3_and_holds_no_account(clique):
    w3 = web3_http(clique.load().rpc.http_port)

    refused = [
        w3.provider.make_request(method, [])
        for method in ("personal_listAccounts", "admin_nodeInfo", "clique_getSigners", "miner_stop")
    ]

    assert w3.eth.chain_id == 201999
    assert w3.eth.accounts == []
    assert all(r["error"]["code"] == -32601 for r in refused)


def test_every_node_listens_on_loopback_only(clique):
    pids = [clique.pid(n.name) for n in clique.load().nodes]

    listening = [
        conn.laddr.ip
        for pid in pids
        for conn in psutil.Process(pid).connections(kind="inet")
        if conn.status == psutil.CONN_LISTEN
    ]

    assert listening and set(listening) == {"127.0.0.1"}


def test_sealers_expose_no_http_endpoint(clique):
    sealer_args = [psutil.Process(clique.pid(n.name)).cmdline() for n in clique.load().sealers]

    assert all("--http" not in args and "--ws" not in args for args in sealer_args)
    assert all("--unlock" in args for args in sealer_args)


def test_transaction_signed_from_an_encrypted_keystore_is_mined_and_read_via_another_node(
    clique, test_client, tmp_path
):
    # A keystore made for this test with eth-account, written and read back as a file.
    keystore = tmp_path / "client.keystore.json"
    keystore.write_text(json.dumps(Account.encrypt(test_client.key, "test-only-password")))
    key = Account.decrypt(json.loads(keystore.read_text()), "test-only-password")
    sender = Account.from_key(key)
    rpc = web3_http(clique.load().rpc.http_port)
    receiver = Account.create().address
    tx = {
        "to": receiver,
        "value": 12345,
        "gas": 21000,
        "maxFeePerGas": rpc.eth.gas_price * 2 + 10**9,
        "maxPriorityFeePerGas": 10**9,
        "nonce": rpc.eth.get_transaction_count(sender.address),
        "chainId": rpc.eth.chain_id,
        "type": 2,
    }

    tx_hash = rpc.eth.send_raw_transaction(sender.sign_transaction(tx).raw_transaction)
    receipt = rpc.eth.wait_for_transaction_receipt(tx_hash, timeout=60)
    clique.wait_block("pboc", receipt["blockNumber"])

    via_sealer = clique.w3("pboc")
    assert receipt["status"] == 1
    assert via_sealer.eth.get_balance(receiver) == 12345
    assert via_sealer.eth.get_transaction(tx_hash)["from"] == sender.address
    assert clique.sealer_of(via_sealer, receipt["blockNumber"]) in {
        n.address for n in clique.load().sealers
    }


def test_chain_keeps_sealing_with_one_sealer_down_and_it_catches_up(clique):
    customs = clique.w3("customs")
    clique.stop_node("pboc")
    start = customs.eth.block_number

    clique.wait_block("customs", start + 4, timeout=60)
    assert clique.pid("pboc") is None
    clique.start_node("pboc")
    target = customs.eth.block_number
    clique.wait_block("pboc", target, timeout=60)

    pboc = clique.w3("pboc")
    assert pboc.eth.get_block(target)["hash"] == customs.eth.get_block(target)["hash"]
    sealed_after_restart = clique.wait_sealed_by([clique.load().node("pboc").address], timeout=60)
    assert sealed_after_restart


def test_fourth_member_is_voted_in_seals_then_is_voted_out_and_chain_goes_on(clique):
    node = clique.add_sealer("icbc", "Industrial and Commercial Bank of China")

    assert node.address in clique.signers()
    assert len(clique.signers()) == 4

    clique.remove_sealer("icbc")
    w3 = clique.w3("customs")
    after_removal = w3.eth.block_number
    clique.wait_block("customs", after_removal + 8, timeout=90)

    sealers = {clique.sealer_of(w3, n) for n in range(after_removal + 1, after_removal + 9)}
    assert node.address not in clique.signers()
    assert len(clique.signers()) == 3
    assert node.address not in sealers
    assert clique.pid("icbc") is not None  # still a running member node, no longer sealing


def test_up_on_a_running_network_changes_nothing(clique):
    pids = {n.name: clique.pid(n.name) for n in clique.load().nodes}

    clique.up()

    assert {n.name: clique.pid(n.name) for n in clique.load().nodes} == pids


def test_down_stops_only_its_own_processes_and_waits(clique):
    pids = [clique.pid(n.name) for n in clique.load().nodes]
    bystander = psutil.Popen(["sleep", "30"])

    stopped = clique.down()

    assert set(stopped) == {n.name for n in clique.load().nodes}
    assert not any(psutil.pid_exists(p) and psutil.Process(p).status() != "zombie" for p in pids)
    assert bystander.is_running()
    bystander.kill()
