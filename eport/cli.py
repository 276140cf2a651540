"""`eport`: the command line of E-Port Chain.

Every failure a user can cause (a port in use, geth missing, a damaged file, a node down) is
printed as one line on stderr with exit code 1; tracebacks are for bugs only.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from . import operator, toolchain
from .errors import EportError
from .network import (
    DEFAULT_BASE_PORT,
    DEFAULT_CHAIN_ID,
    DEFAULT_GAS_LIMIT,
    DEFAULT_HTTP_PORT,
    DEFAULT_PERIOD,
    Network,
)
from .wallet import Wallets, read_password_file

console = Console(stderr=True, highlight=False, soft_wrap=True)


def _say(message: str) -> None:
    console.print(message, markup=False)


@click.group()
@click.version_option(package_name="eport")
def cli() -> None:
    """E-Port Chain: the port alliance's Clique network, contracts and operator tools."""


# ------------------------------------------------------------------ network
@cli.group()
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="EPORT_NETWORK_HOME",
    help="Folder of the network (default: .eport/network in the project).",
)
@click.pass_context
def network(ctx: click.Context, home: Path | None) -> None:
    """Run the alliance's local Clique network: one geth node per member."""
    ctx.obj = Network(home, log=_say)


@network.command()
@click.option("--sealers", default=3, show_default=True, help="Member nodes that seal.")
@click.option("--chain-id", default=DEFAULT_CHAIN_ID, show_default=True)
@click.option("--period", default=DEFAULT_PERIOD, show_default=True, help="Seconds per block.")
@click.option("--gas-limit", default=DEFAULT_GAS_LIMIT, show_default=True)
@click.option("--base-port", default=DEFAULT_BASE_PORT, show_default=True, help="First p2p port.")
@click.option("--http-port", default=DEFAULT_HTTP_PORT, show_default=True, help="RPC node port.")
@click.pass_obj
def up(net: Network, sealers, chain_id, period, gas_limit, base_port, http_port) -> None:
    """Start the network (generating it on first use) and wait until every signer seals.

    The generation options apply only when no network exists yet.
    """
    if net.initialised and set(net.running()) == {n.name for n in net.load().nodes}:
        _say(f"the network at {net.home} is already up; nothing changed")
        return
    net.up(
        sealers=sealers,
        chain_id=chain_id,
        period=period,
        gas_limit=gas_limit,
        base_port=base_port,
        http_port=http_port,
    )
    _print_status(net.status())


def _print_status(status: dict) -> None:
    out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)
    table = Table(title=f"E-Port alliance network, chain id {status['chain_id']}")
    for column in ("node", "role", "state", "head", "hash", "peers", "endpoint"):
        table.add_column(column)
    for node in status["nodes"]:
        table.add_row(
            node["name"],
            node["role"],
            "running" if node["running"] else "stopped",
            str(node.get("head", "-")),
            (node.get("hash") or "-")[:18],
            str(node.get("peers", "-")),
            node["http"] or "IPC only",
        )
    out.print(table)
    if status["signers"]:
        out.print("signers (clique_getSigners):")
        for signer in status["signers"]:
            out.print(f"  {signer['address']}  {signer['node'] or '(not in this folder)'}")
        out.print("recent blocks and their sealers:")
        out.print(
            "  "
            + "  ".join(
                f"#{b['block']}:{b['node'] or b['sealer'][:10]}" for b in status["recent_sealers"]
            )
        )


@network.command()
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@click.pass_obj
def status(net: Network, as_json: bool) -> None:
    """Each node's head, peers, the signer set and who sealed the recent blocks."""
    if not net.running():
        raise EportError(f"the network at {net.home} is not running: run `eport network up`")
    result = net.status()
    if as_json:
        click.echo(json.dumps(result, indent=2))
    else:
        _print_status(result)


@network.command()
@click.pass_obj
def down(net: Network) -> None:
    """Stop the nodes this tool started and wait until they have exited."""
    stopped = net.down()
    if stopped:
        _say(f"stopped {', '.join(stopped)}")
    else:
        _say(f"nothing to stop: no node of the network at {net.home} is running")


@network.command()
@click.option("--all", "everything", is_flag=True, help="Also delete keys, accounts and genesis.")
@click.pass_obj
def reset(net: Network, everything: bool) -> None:
    """Stop the network and wipe its chain data (keys and genesis stay unless --all)."""
    net.reset(everything)
    _say(f"reset {net.home}" + (" (everything)" if everything else " (chain data)"))


@network.command("add-sealer")
@click.argument("name")
@click.option("--title", help="The member organisation's name.")
@click.pass_obj
def add_sealer(net: Network, name: str, title: str | None) -> None:
    """Start a new member node and have the signers vote it in; wait until it seals."""
    node = net.add_sealer(name, title)
    _say(f"{name} ({node.address}) is a signer and has sealed a block")


@network.command("remove-sealer")
@click.argument("name")
@click.pass_obj
def remove_sealer(net: Network, name: str) -> None:
    """Have the other signers vote a sealer out (its node keeps running, not sealing)."""
    node = net.remove_sealer(name)
    _say(f"{name} ({node.address}) was voted out of the signer set")


@network.command("stop-node")
@click.argument("name")
@click.pass_obj
def stop_node(net: Network, name: str) -> None:
    """Stop one node."""
    net.load().node(name)
    if net.stop_node(name):
        _say(f"stopped {name}")
    else:
        _say(f"node {name} was not running")


@network.command("start-node")
@click.argument("name")
@click.pass_obj
def start_node(net: Network, name: str) -> None:
    """Start one node again; it reconnects to its peers and catches up."""
    net.start_node(name)
    _say(f"started {name}")


@network.command()
@click.argument("address")
@click.option("--ether", default=100, show_default=True, help="Ether to send for gas.")
@click.pass_obj
def fund(net: Network, address: str, ether: int) -> None:
    """Send gas money to an address from a sealer's account."""
    tx = net.fund(address, ether * 10**18)
    _say(f"sent {ether} ether to {address}: {tx}")


@network.command()
@click.pass_obj
def rpc(net: Network) -> None:
    """Print the HTTP endpoint of the RPC node."""
    click.echo(net.rpc_url())


# ------------------------------------------------------------------- wallets
def password_from(file: Path | None, prompt: str, confirm: bool = False) -> str:
    """A password from a file (automation) or a hidden prompt; never from the command line."""
    if file is not None:
        return read_password_file(file)
    if not sys.stdin.isatty():
        raise EportError(f"{prompt.lower()}: give --password-file, or run in a terminal to type it")
    return click.prompt(prompt, hide_input=True, confirmation_prompt=confirm)


password_file_option = click.option(
    "--password-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read the password from the first line of this file instead of a hidden prompt.",
)


@cli.group()
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="EPORT_WALLETS",
    help="Wallet folder (default: .eport/wallets in the project; also $EPORT_WALLETS).",
)
@click.pass_context
def wallet(ctx: click.Context, folder: Path | None) -> None:
    """Encrypted wallets (geth-compatible keystores) that operators sign with."""
    ctx.obj = Wallets(folder)


@wallet.command("create")
@click.argument("name")
@password_file_option
@click.pass_obj
def wallet_create(wallets: Wallets, name: str, password_file: Path | None) -> None:
    """Create a new wallet with a fresh random key."""
    wallets.path(name)
    info = wallets.create(name, password_from(password_file, "New password", confirm=True))
    click.echo(f"{info.name} {info.address}")
    _say(f"keystore written to {info.path} (mode 0600); keep the password safe")


@wallet.command("list")
@click.pass_obj
def wallet_list(wallets: Wallets) -> None:
    """List the wallets: name and address."""
    found = wallets.list()
    if not found:
        _say(f"no wallets in {wallets.folder}")
    for info in found:
        click.echo(f"{info.name} {info.address}")


@wallet.command("address")
@click.argument("name")
@click.pass_obj
def wallet_address(wallets: Wallets, name: str) -> None:
    """Print a wallet's address (no password needed)."""
    click.echo(wallets.info(name).address)


@wallet.command("import-key")
@click.argument("name")
@click.option(
    "--key-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read the private key (hex) from this file instead of a hidden prompt.",
)
@password_file_option
@click.pass_obj
def wallet_import_key(
    wallets: Wallets, name: str, key_file: Path | None, password_file: Path | None
) -> None:
    """Import a raw private key into a new encrypted wallet."""
    wallets.path(name)
    key = password_from(key_file, "Private key (hex)")
    info = wallets.import_key(name, key, password_from(password_file, "New password", True))
    click.echo(f"{info.name} {info.address}")


@wallet.command("import-keystore")
@click.argument("name")
@click.argument("keystore", type=click.Path(dir_okay=False, path_type=Path))
@password_file_option
@click.pass_obj
def wallet_import_keystore(
    wallets: Wallets, name: str, keystore: Path, password_file: Path | None
) -> None:
    """Import a keystore file (e.g. from geth's keystore folder); its password is checked."""
    wallets.path(name)
    info = wallets.import_keystore(name, keystore, password_from(password_file, "Password"))
    click.echo(f"{info.name} {info.address}")


@wallet.command("passwd")
@click.argument("name")
@password_file_option
@click.option(
    "--new-password-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read the new password from this file instead of a hidden prompt.",
)
@click.pass_obj
def wallet_passwd(
    wallets: Wallets, name: str, password_file: Path | None, new_password_file: Path | None
) -> None:
    """Change a wallet's password (the key stays the same)."""
    wallets.info(name)
    old = password_from(password_file, "Current password")
    new = password_from(new_password_file, "New password", confirm=True)
    info = wallets.change_password(name, old, new)
    _say(f"password of {info.name} ({info.address}) changed")


# -------------------------------------------------------------------- setup
@cli.group()
def setup() -> None:
    """Install the tools the project needs (run by ./run setup)."""


@setup.command("solc")
def setup_solc() -> None:
    """Install the solc-js shim where py-solc-x and Brownie look for compilers."""
    _say(f"solc shim: {toolchain.install_solc_shim()}")


@setup.command("geth")
def setup_geth() -> None:
    """Find geth 1.13.x or build it into .tools/bin."""
    _say(f"geth: {toolchain.ensure_geth(log=_say)}")


operator.register(cli)


@cli.command()
@click.argument("declaration_id", type=int)
@click.option("--rpc", envvar="EPORT_RPC", help="Node URL (default the local RPC node).")
@click.option("--deployments", type=click.Path(dir_okay=False, path_type=Path),
              envvar="EPORT_DEPLOYMENTS")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON.")
def trade(declaration_id: int, rpc, deployments, as_json) -> None:
    """The timeline of a trade (by its declaration id) across customs, credit and finance."""
    from .chain import Client, Deployments
    from .timeline import print_timeline, trade_timeline

    client = Client(rpc)
    store = Deployments(deployments) if deployments else Deployments.default()
    data = trade_timeline(client, store.for_chain(client.chain_id), declaration_id)
    if as_json:
        click.echo(json.dumps(data, indent=2))
    else:
        print_timeline(data, click.echo)


@cli.command()
def demo() -> None:
    """The main job: network up, wallets, deploy, one whole trade, its timeline."""
    from .chain import Client, Deployments
    from .demo import main_job
    from .timeline import print_timeline, trade_timeline

    result = main_job(log=_say)
    client = Client(Network().rpc_url())
    data = trade_timeline(
        client, Deployments.default().for_chain(client.chain_id), result["ids"]["declaration"]
    )
    print_timeline(data, click.echo)


@cli.command()
@click.option("--alliance", "alliance_file", type=click.Path(dir_okay=False, path_type=Path),
              default="config/alliance.local.yaml", show_default=True)  # fmt: skip
@click.option("--wallet", "-w", required=True, help="The deployer's wallet.")
@click.option("--password-file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--signer", "signers", multiple=True, metavar="WALLET:PASSWORD_FILE",
              help="A member operator's wallet for member steps (repeatable).")  # fmt: skip
@click.option("--rpc", envvar="EPORT_RPC")
@click.option("--deployments", type=click.Path(dir_okay=False, path_type=Path),
              envvar="EPORT_DEPLOYMENTS")  # fmt: skip
@click.option("--fresh", is_flag=True, help="Start a new deployment, forgetting the recorded one.")
def deploy(alliance_file, wallet, password_file, signers, rpc, deployments, fresh) -> None:
    """Deploy the suite as the alliance file describes (resumes; re-running changes nothing)."""
    from .chain import Client, Deployments
    from .deploy import Deployer, load_alliance

    wallets = Wallets()
    deployer = wallets.unlock(wallet, password_from(password_file, f"Password of {wallet}"))
    unlocked = {deployer.address: deployer}
    for spec in signers:
        name, _, secret = spec.partition(":")
        account = wallets.unlock(name, password_from(Path(secret) if secret else None,
                                                     f"Password of {name}"))  # fmt: skip
        unlocked[account.address] = account
    client = Client(rpc)
    store = Deployments(deployments) if deployments else Deployments.default()
    entry = Deployer(client, deployer, load_alliance(alliance_file, wallets), store, unlocked,
                     log=_say, fresh=fresh).run()  # fmt: skip
    for name, address in entry["contracts"].items():
        click.echo(f"{name} {address}")


def main(argv: list[str] | None = None) -> int:
    try:
        cli.main(args=argv, prog_name="eport", standalone_mode=False)
    except EportError as exc:
        console.print(f"error: {exc}", markup=False)
        return 1
    except click.exceptions.Abort:
        console.print("aborted", markup=False)
        return 1
    except click.ClickException as exc:
        console.print(f"error: {exc.format_message()}", markup=False)
        return exc.exit_code
    except KeyboardInterrupt:
        console.print("interrupted", markup=False)
        return 130
    except ConnectionError as exc:
        console.print(f"error: cannot reach the node: {exc}", markup=False)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
