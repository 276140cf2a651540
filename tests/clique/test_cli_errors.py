"""Bad input to `eport network` gets one clear line on stderr, exit code 1, no traceback."""

import json
import socket

import pytest

from eport.testing import free_port_base
from tests.cli import error_line, run_eport

from .conftest import make_network

eport = run_eport


def assert_one_line_error(result, *fragments):
    line = error_line(result)
    for fragment in fragments:
        assert fragment in line


@pytest.fixture
def stopped_network(tmp_path_factory):
    """A generated (geth-initialised) network that is not running (stopped again after)."""
    net = make_network(tmp_path_factory, "stopped")
    yield net
    net.down()


def test_up_with_a_port_already_taken_says_which(tmp_path):
    base, http = free_port_base()
    holder = socket.socket()
    holder.bind(("127.0.0.1", http))
    holder.listen()
    try:
        result = eport(
            "network", "--home", str(tmp_path / "net"), "up",
            "--base-port", str(base), "--http-port", str(http),
        )  # fmt: skip
    finally:
        holder.close()

    assert_one_line_error(result, f"port {http}", "already in use")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "net").exists()


def test_missing_geth_is_reported(tmp_path):
    result = eport(
        "network", "--home", str(tmp_path / "net"), "up", env={"EPORT_GETH": "/nonexistent/geth"}
    )

    assert_one_line_error(result, "geth not found", "/nonexistent/geth")
    assert not (tmp_path / "net" / "network.json").exists()


def test_wrong_geth_version_is_reported(tmp_path):
    fake = tmp_path / "geth"
    fake.write_text("#!/bin/sh\necho Geth\necho 'Version: 1.14.0-stable'\n")
    fake.chmod(0o755)

    result = eport("network", "--home", str(tmp_path / "net"), "up", env={"EPORT_GETH": str(fake)})

    assert_one_line_error(result, "geth 1.14.0", "needs geth 1.13")


def test_damaged_genesis_is_reported(stopped_network):
    genesis = stopped_network.genesis_file
    genesis.write_text(genesis.read_text()[:-40])

    result = eport("network", "--home", str(stopped_network.home), "up")

    assert_one_line_error(result, "genesis", "damaged")
    assert stopped_network.running() == []


def test_genesis_with_bad_signer_list_is_reported(stopped_network):
    genesis = json.loads(stopped_network.genesis_file.read_text())
    genesis["extradata"] = genesis["extradata"][:-2]
    stopped_network.genesis_file.write_text(json.dumps(genesis))

    result = eport("network", "--home", str(stopped_network.home), "up")

    assert_one_line_error(result, "genesis", "extradata")


def test_damaged_keystore_is_reported(stopped_network):
    store = stopped_network.node_dir("bocom") / "keystore"
    keyfile = next(store.iterdir())
    keyfile.write_text("{not json")

    result = eport("network", "--home", str(stopped_network.home), "up")

    assert_one_line_error(result, "keystore", "bocom", "damaged")
    assert stopped_network.running() == []


def test_wrong_sealer_password_is_reported_from_geth(stopped_network):
    (stopped_network.node_dir("customs") / "password").write_text("not-the-password")

    result = eport("network", "--home", str(stopped_network.home), "up")

    assert_one_line_error(result, "customs", "unlock")
    stopped_network.down()


def test_down_when_nothing_runs_says_so(stopped_network):
    result = eport("network", "--home", str(stopped_network.home), "down")

    assert result.returncode == 0
    assert result.stderr.strip().splitlines() == [
        f"nothing to stop: no node of the network at {stopped_network.home} is running"
    ]


def test_status_of_a_network_that_does_not_exist_is_one_line(tmp_path):
    result = eport("network", "--home", str(tmp_path / "none"), "status")

    assert_one_line_error(result, "not running")


def test_unknown_node_name_is_one_line(stopped_network):
    result = eport("network", "--home", str(stopped_network.home), "start-node", "nosuch")

    assert_one_line_error(result, "no node named 'nosuch'")


def test_fund_with_a_bad_address_is_one_line(stopped_network):
    result = eport("network", "--home", str(stopped_network.home), "fund", "0x1234")

    assert_one_line_error(result, "0x1234")


def test_cli_help_lists_the_network_commands():
    result = eport("network", "--help")

    assert result.returncode == 0
    for command in ("up", "status", "down", "reset", "add-sealer", "remove-sealer"):
        assert f"  {command}" in result.stdout
