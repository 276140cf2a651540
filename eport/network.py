"""The alliance's Clique proof-of-authority network: one geth 1.13 node per member, on 127.0.0.1.

Layout of a network folder (git-ignored, made at run time)::

    network.json            what was generated: chain id, nodes, ports, addresses
    genesis.json            the one Clique genesis every node is initialised with
    nodes/<name>/
        keystore/           the sealer's account (Web3 Secret Storage, geth's format)
        password            random password for it (mode 0600)
        nodekey             the node's p2p key (mode 0600)
        config.toml         static peers and the p2p listen address (127.0.0.1 only)
        geth/               chain data
        geth.ipc            the only way to reach a sealer (its key is unlocked)
        geth.log, geth.pid

Sealers keep their unlocked key behind IPC only. One non-sealing node serves clients over
HTTP on 127.0.0.1 with the `eth,net,web3` APIs only.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from eth_account import Account
from eth_keys import keys
from web3 import Web3
from web3.middleware import ExtraDataToPOAMiddleware

from .errors import EportError
from .toolchain import PROJECT_ROOT, find_geth
from .wallet import write_keystore

DEFAULT_HOME = PROJECT_ROOT / ".eport" / "network"
DEFAULT_CHAIN_ID = 201911  # the alliance was signed in November 2019
DEFAULT_PERIOD = 1  # seconds between blocks
DEFAULT_GAS_LIMIT = 60_000_000
DEFAULT_BASE_PORT = 30400
DEFAULT_HTTP_PORT = 8645
# The founding members that run a sealer by default, in order; more get generic names.
FOUNDING_MEMBERS = [
    ("customs", "Shanghai Customs"),
    ("bocom", "Bank of Communications"),
    ("pboc", "People's Bank of China"),
]
RPC_NODE = "rpc"
SEALER_FUNDS_WEI = 10**6 * 10**18  # gas money for the members' operators
IPC_TIMEOUT = 30


@dataclass
class Node:
    name: str
    title: str
    role: str  # "sealer", "member" (was voted out) or "rpc"
    p2p_port: int
    authrpc_port: int
    nodekey_pub: str
    address: str | None = None  # the sealer account
    http_port: int | None = None

    @property
    def enode(self) -> str:
        return f"enode://{self.nodekey_pub}@127.0.0.1:{self.p2p_port}"


@dataclass
class NetworkSpec:
    chain_id: int
    period: int
    gas_limit: int
    nodes: list[Node] = field(default_factory=list)

    def node(self, name: str) -> Node:
        for node in self.nodes:
            if node.name == name:
                return node
        known = ", ".join(n.name for n in self.nodes)
        raise EportError(f"no node named {name!r} in this network (nodes: {known})")

    @property
    def rpc(self) -> Node:
        return self.node(RPC_NODE)

    @property
    def sealers(self) -> list[Node]:
        return [n for n in self.nodes if n.role == "sealer"]


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def clique_extra_data(signers: Iterable[str]) -> str:
    """32 vanity bytes, the signers sorted by address, 65 bytes for the (absent) seal."""
    ordered = sorted(Web3.to_checksum_address(s).lower() for s in signers)
    return "0x" + "00" * 32 + "".join(a[2:] for a in ordered) + "00" * 65


def web3_ipc(path: Path, timeout: float = IPC_TIMEOUT) -> Web3:
    w3 = Web3(Web3.IPCProvider(str(path), timeout=timeout))
    w3.middleware_onion.inject(ExtraDataToPOAMiddleware, layer=0)
    return w3


def web3_http(port: int, timeout: float = 30) -> Web3:
    w3 = Web3(Web3.HTTPProvider(f"http://127.0.0.1:{port}", request_kwargs={"timeout": timeout}))
    w3.middleware_onion.inject(ExtraDataToPOAMiddleware, layer=0)
    return w3


class Network:
    """Generate, start, inspect, govern and stop the alliance network in one folder."""

    def __init__(self, home: Path | str | None = None, log: Callable[[str], None] | None = None):
        self.home = Path(home or os.environ.get("EPORT_NETWORK_HOME") or DEFAULT_HOME).resolve()
        self.log = log or (lambda _msg: None)

    # ---------------------------------------------------------------- files
    @property
    def spec_file(self) -> Path:
        return self.home / "network.json"

    @property
    def genesis_file(self) -> Path:
        return self.home / "genesis.json"

    def node_dir(self, name: str) -> Path:
        return self.home / "nodes" / name

    def ipc_path(self, name: str) -> Path:
        return self.node_dir(name) / "geth.ipc"

    def log_path(self, name: str) -> Path:
        return self.node_dir(name) / "geth.log"

    def pid_path(self, name: str) -> Path:
        return self.node_dir(name) / "geth.pid"

    @property
    def initialised(self) -> bool:
        return self.spec_file.exists()

    def load(self) -> NetworkSpec:
        if not self.initialised:
            raise EportError(f"no network at {self.home}: run `eport network up` first")
        try:
            raw = json.loads(self.spec_file.read_text())
            nodes = [Node(**n) for n in raw.pop("nodes")]
            return NetworkSpec(nodes=nodes, **raw)
        except (ValueError, TypeError, KeyError) as exc:
            raise EportError(
                f"{self.spec_file} is damaged ({exc}): run `eport network reset --all`"
            ) from None

    def save(self, spec: NetworkSpec) -> None:
        data = asdict(spec)
        tmp = self.spec_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=2) + "\n")
        tmp.replace(self.spec_file)

    # ------------------------------------------------------------ generation
    def init(
        self,
        sealers: int = len(FOUNDING_MEMBERS),
        chain_id: int = DEFAULT_CHAIN_ID,
        period: int = DEFAULT_PERIOD,
        gas_limit: int = DEFAULT_GAS_LIMIT,
        base_port: int = DEFAULT_BASE_PORT,
        http_port: int = DEFAULT_HTTP_PORT,
        fund: dict[str, int] | None = None,
    ) -> NetworkSpec:
        """Generate keys, accounts and one genesis, and `geth init` every node's data dir."""
        if self.initialised:
            raise EportError(f"a network already exists at {self.home}: use `reset --all` first")
        if sealers < 1:
            raise EportError("a Clique network needs at least one sealer")
        geth = find_geth()
        planned = [
            Node(n, n, "sealer", base_port + i, base_port + 1000 + i, "")
            for i, n in enumerate(f"node{i}" for i in range(sealers))
        ]
        planned.append(
            Node(RPC_NODE, "", "rpc", base_port + 99, base_port + 1099, "", None, http_port)
        )
        self._check_ports(planned)
        names = list(FOUNDING_MEMBERS) + [
            (f"member{i + 1}", f"Member {i + 1}") for i in range(len(FOUNDING_MEMBERS), sealers)
        ]
        spec = NetworkSpec(chain_id=chain_id, period=period, gas_limit=gas_limit)
        self.home.mkdir(parents=True, exist_ok=True)
        for index, (name, title) in enumerate(names[:sealers]):
            spec.nodes.append(self._generate_node(name, title, "sealer", base_port + index))
        spec.nodes.append(
            self._generate_node(RPC_NODE, "Client RPC node", "rpc", base_port + 99, http_port)
        )
        alloc = {n.address: SEALER_FUNDS_WEI for n in spec.sealers}
        for address, wei in (fund or {}).items():
            alloc[Web3.to_checksum_address(address)] = wei
        genesis = {
            "config": {
                "chainId": chain_id,
                **{
                    f"{fork}Block": 0
                    for fork in (
                        "homestead eip150 eip155 eip158 byzantium constantinople petersburg "
                        "istanbul muirGlacier berlin london arrowGlacier grayGlacier"
                    ).split()
                },
                # No shanghaiTime / terminalTotalDifficulty: Clique in geth 1.13 supports
                # forks up to London, so contracts are compiled for `paris`.
                "clique": {"period": period, "epoch": 30000},
            },
            "difficulty": "0x1",
            "gasLimit": hex(gas_limit),
            "extradata": clique_extra_data(n.address for n in spec.sealers),
            "alloc": {addr: {"balance": hex(wei)} for addr, wei in alloc.items()},
        }
        self.genesis_file.write_text(json.dumps(genesis, indent=2) + "\n")
        self.save(spec)
        for node in spec.nodes:
            self._write_config(spec, node)
            self._geth_init(geth, node.name)
        self.log(f"generated {len(spec.sealers)} sealers and an RPC node in {self.home}")
        return spec

    def _generate_node(
        self, name: str, title: str, role: str, p2p_port: int, http_port: int | None = None
    ) -> Node:
        folder = self.node_dir(name)
        folder.mkdir(parents=True, exist_ok=True)
        nodekey = keys.PrivateKey(secrets.token_bytes(32))
        _write_secret(folder / "nodekey", nodekey.to_hex()[2:])
        address = None
        if role == "sealer":
            password = secrets.token_urlsafe(24)
            _write_secret(folder / "password", password)
            account = Account.create()
            stamp = time.strftime("%Y-%m-%dT%H-%M-%S", time.gmtime())
            # The same writer as `eport wallet`: geth unlocking it proves the format.
            address = write_keystore(
                folder / "keystore" / f"UTC--{stamp}.000000000Z--{account.address[2:].lower()}",
                account.key,
                password,
            )
        return Node(
            name=name,
            title=title,
            role=role,
            p2p_port=p2p_port,
            authrpc_port=p2p_port + 1000,
            nodekey_pub=nodekey.public_key.to_hex()[2:],
            address=address,
            http_port=http_port,
        )

    def _write_config(self, spec: NetworkSpec, node: Node) -> None:
        """Static peers and a loopback-only p2p listener (the --port flag would bind 0.0.0.0)."""
        peers = [n.enode for n in spec.nodes if n.name != node.name]
        lines = [
            "[Node.P2P]",
            f'ListenAddr = "127.0.0.1:{node.p2p_port}"',
            "NoDiscovery = true",
            "StaticNodes = [" + ", ".join(json.dumps(p) for p in peers) + "]",
            "",
        ]
        (self.node_dir(node.name) / "config.toml").write_text("\n".join(lines))

    def _geth_init(self, geth: str, name: str) -> None:
        self._check_genesis()
        result = subprocess.run(
            [geth, "--datadir", str(self.node_dir(name)), "init", str(self.genesis_file)],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise EportError(
                f"geth init of node {name} failed: {_last_geth_error(result.stderr)} "
                f"(genesis {self.genesis_file})"
            )

    def _check_genesis(self) -> dict:
        try:
            genesis = json.loads(self.genesis_file.read_text())
            clique = genesis["config"]["clique"]
            int(clique["period"])
            extra = bytes.fromhex(genesis["extradata"][2:])
        except FileNotFoundError:
            raise EportError(f"genesis file {self.genesis_file} is missing") from None
        except (ValueError, KeyError, TypeError) as exc:
            raise EportError(f"genesis file {self.genesis_file} is damaged: {exc!r}") from None
        if len(extra) < 97 or (len(extra) - 97) % 20:
            raise EportError(
                f"genesis file {self.genesis_file} is damaged: extradata is not "
                "32 bytes + signers + 65 bytes"
            )
        return genesis

    # -------------------------------------------------------------- processes
    def pid(self, name: str) -> int | None:
        """The pid of this node's geth if it is running (and is the one we started)."""
        try:
            pid = int(self.pid_path(name).read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except FileNotFoundError:
            return None
        if str(self.node_dir(name)).encode() not in cmdline:
            return None  # the pid was reused by something else
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except FileNotFoundError:
            return None
        if stat.rsplit(")", 1)[1].split()[0] == "Z":
            return None
        return pid

    def running(self) -> list[str]:
        if not self.initialised:
            return []
        return [n.name for n in self.load().nodes if self.pid(n.name)]

    def _geth_args(self, spec: NetworkSpec, node: Node) -> list[str]:
        folder = self.node_dir(node.name)
        args = [
            "--datadir", str(folder),
            "--config", str(folder / "config.toml"),
            "--networkid", str(spec.chain_id),
            "--nodekey", str(folder / "nodekey"),
            "--nodiscover",
            "--nat", "none",
            "--ipcpath", str(self.ipc_path(node.name)),
            "--authrpc.addr", "127.0.0.1",
            "--authrpc.port", str(node.authrpc_port),
            "--syncmode", "full",
            "--cache", "256",
            "--miner.gaslimit", str(spec.gas_limit),
            "--txpool.globalslots", "20000",
            "--txpool.accountslots", "4096",
            "--txpool.globalqueue", "4096",
            "--txpool.accountqueue", "1024",
            "--verbosity", "3",
        ]  # fmt: skip
        if node.role in ("sealer", "member"):
            # The unlocked key is reachable over IPC only: no --http, no --ws on this node.
            args += [
                "--unlock", node.address,
                "--password", str(folder / "password"),
                "--mine",
                "--miner.etherbase", node.address,
            ]  # fmt: skip
        if node.http_port is not None:
            args += [
                "--http",
                "--http.addr", "127.0.0.1",
                "--http.port", str(node.http_port),
                "--http.api", "eth,net,web3",
                "--http.vhosts", "localhost,127.0.0.1",
            ]  # fmt: skip
        return args

    def _check_ports(self, nodes: Iterable[Node]) -> None:
        for node in nodes:
            ports = [("p2p", node.p2p_port), ("authrpc", node.authrpc_port)]
            if node.http_port is not None:
                ports.append(("http", node.http_port))
            for kind, port in ports:
                if not port_is_free(port):
                    raise EportError(
                        f"port {port} on 127.0.0.1 ({kind} of node {node.name}) is already in use: "
                        "stop what holds it or make a network with other ports (--base-port, "
                        "--http-port)"
                    )

    def _check_keystore(self, node: Node) -> None:
        store = self.node_dir(node.name) / "keystore"
        files = sorted(store.glob("UTC--*")) if store.is_dir() else []
        if not files:
            raise EportError(f"node {node.name} has no keystore in {store}")
        try:
            data = json.loads(files[0].read_text())
            if Web3.to_checksum_address("0x" + data["address"]) != node.address:
                raise ValueError(f"it holds {data['address']}, not {node.address}")
            data["crypto"]["ciphertext"]
        except (ValueError, KeyError, TypeError) as exc:
            raise EportError(f"keystore {files[0]} of node {node.name} is damaged: {exc}") from None

    def _start(self, geth: str, spec: NetworkSpec, node: Node) -> int:
        if node.role in ("sealer", "member"):
            self._check_keystore(node)
        self._check_ports([node])
        ipc = self.ipc_path(node.name)
        if ipc.exists():
            ipc.unlink()  # left by a node that was killed
        logfile = self.log_path(node.name).open("ab")
        proc = subprocess.Popen(
            [geth, *self._geth_args(spec, node)],
            stdout=logfile,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        logfile.close()
        self.pid_path(node.name).write_text(f"{proc.pid}\n")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                self.pid_path(node.name).unlink(missing_ok=True)
                reason = _last_geth_error(self.log_path(node.name).read_text(errors="replace"))
                raise EportError(
                    f"node {node.name} stopped at start: {reason} (log {self.log_path(node.name)})"
                )
            if ipc.exists() and self._serving(ipc, sealing=node.role != "rpc"):
                return proc.pid
            time.sleep(0.2)
        raise EportError(f"node {node.name} did not open its IPC endpoint within 60 s")

    @staticmethod
    def _serving(ipc: Path, sealing: bool) -> bool:
        """The node answers over IPC; a sealer also has its key unlocked and is sealing.

        geth opens IPC before it unlocks the account, so a wrong password shows up only
        after that: wait for `eth_mining`, which turns true once the key is unlocked.
        """
        try:
            w3 = web3_ipc(ipc, timeout=5)
            if w3.eth.block_number < 0:
                return False
            return not sealing or w3.provider.make_request("eth_mining", []).get("result") is True
        except Exception:  # noqa: BLE001 - the socket is there but not yet serving
            return False

    def up(self, wait: bool = True, **init_args) -> NetworkSpec:
        """Start every node (generating the network first if there is none) and wait for it."""
        if not self.initialised:
            self.init(**init_args)
        elif init_args:
            # The network exists: its ports and members are what was generated.
            pass
        spec = self.load()
        running = set(self.running())
        if running and running == {n.name for n in spec.nodes}:
            self.log(f"the network at {self.home} is already up ({len(running)} nodes); no change")
            return spec
        geth = find_geth()
        self._check_genesis()
        to_start = [n for n in spec.nodes if n.name not in running]
        # Check everything before starting anything, so a bad file or a taken port leaves
        # nothing half-started.
        self._check_ports(to_start)
        for node in to_start:
            if node.role != "rpc":
                self._check_keystore(node)
        started = []
        try:
            for node in to_start:
                self.log(f"starting {node.name} ({node.role}) on p2p port {node.p2p_port}")
                self._start(geth, spec, node)
                started.append(node.name)
        except EportError:
            for name in started:
                self.stop_node(name)
            raise
        self.connect_peers(spec)
        if wait:
            self.wait_ready(spec)
        return spec

    def connect_peers(self, spec: NetworkSpec) -> None:
        """Static peers are in config.toml; admin_addPeer makes running nodes dial right away."""
        for node in spec.nodes:
            if not self.pid(node.name):
                continue
            w3 = web3_ipc(self.ipc_path(node.name))
            for other in spec.nodes:
                if other.name != node.name:
                    w3.provider.make_request("admin_addPeer", [other.enode])

    def stop_node(self, name: str, timeout: float = 60) -> bool:
        """Stop a node we started (SIGTERM, SIGKILL after the timeout); False if not running."""
        pid = self.pid(name)
        if pid is None:
            self.pid_path(name).unlink(missing_ok=True)
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.pid(name):
            time.sleep(0.1)
        if self.pid(name):
            os.kill(pid, signal.SIGKILL)
            while self.pid(name):
                time.sleep(0.1)
        self.pid_path(name).unlink(missing_ok=True)
        return True

    def start_node(self, name: str, wait: bool = True) -> None:
        spec = self.load()
        node = spec.node(name)
        if self.pid(name):
            self.log(f"node {name} is already running; no change")
            return
        self._start(find_geth(), spec, node)
        self.connect_peers(spec)
        if wait:
            self._wait_peers(spec, [node])

    def down(self) -> list[str]:
        """Stop every node this tool started; returns the names stopped (empty if none ran)."""
        if not self.initialised:
            return []
        stopped = []
        for node in self.load().nodes:
            if self.stop_node(node.name):
                stopped.append(node.name)
        return stopped

    def reset(self, everything: bool = False) -> None:
        """Stop, then wipe the chain data (and with everything=True, keys and genesis too)."""
        if not self.initialised:
            if everything and self.home.exists():
                shutil.rmtree(self.home)
            return
        self.down()
        if everything:
            shutil.rmtree(self.home)
            return
        geth = find_geth()
        for node in self.load().nodes:
            folder = self.node_dir(node.name)
            shutil.rmtree(folder / "geth", ignore_errors=True)
            self.log_path(node.name).unlink(missing_ok=True)
            self._geth_init(geth, node.name)

    # ---------------------------------------------------------------- queries
    def w3(self, name: str) -> Web3:
        if not self.pid(name):
            raise EportError(f"node {name} is not running: run `eport network up`")
        return web3_ipc(self.ipc_path(name))

    def rpc_url(self) -> str:
        return f"http://127.0.0.1:{self.load().rpc.http_port}"

    def signers(self, via: str | None = None) -> list[str]:
        spec = self.load()
        names = [via] if via else [n.name for n in spec.nodes if self.pid(n.name)]
        for name in names:
            if name == RPC_NODE and len(names) > 1:
                continue  # the RPC node does not expose `clique` over IPC any differently
            response = self.w3(name).provider.make_request("clique_getSigners", [])
            if "result" in response:
                return [Web3.to_checksum_address(a) for a in response["result"]]
        raise EportError("no running node answered clique_getSigners")

    def sealer_of(self, w3: Web3, number: int) -> str:
        response = w3.provider.make_request("clique_getSigner", [hex(number)])
        if "result" not in response:
            raise EportError(f"clique_getSigner({number}) failed: {response.get('error')}")
        return Web3.to_checksum_address(response["result"])

    def status(self, recent: int = 12) -> dict:
        spec = self.load()
        by_address = {n.address: n.name for n in spec.nodes if n.address}
        nodes = []
        source = None
        for node in spec.nodes:
            pid = self.pid(node.name)
            entry = {
                "name": node.name,
                "title": node.title,
                "role": node.role,
                "running": bool(pid),
                "pid": pid,
                "p2p_port": node.p2p_port,
                "http": f"http://127.0.0.1:{node.http_port}" if node.http_port else None,
                "address": node.address,
            }
            if pid:
                w3 = self.w3(node.name)
                head = w3.eth.get_block("latest")
                entry.update(
                    head=head["number"],
                    hash=head["hash"].to_0x_hex(),
                    peers=w3.net.peer_count,
                )
                if source is None or node.role != "rpc":
                    source = source or w3
            nodes.append(entry)
        result = {
            "home": str(self.home),
            "chain_id": spec.chain_id,
            "period": spec.period,
            "nodes": nodes,
            "signers": [],
            "recent_sealers": [],
        }
        if source is not None:
            signers = self.signers()
            result["signers"] = [{"address": a, "node": by_address.get(a)} for a in signers]
            head = source.eth.block_number
            for number in range(max(1, head - recent + 1), head + 1):
                sealer = self.sealer_of(source, number)
                result["recent_sealers"].append(
                    {"block": number, "sealer": sealer, "node": by_address.get(sealer)}
                )
        return result

    # ---------------------------------------------------------------- waiting
    def _wait_peers(self, spec: NetworkSpec, nodes: list[Node], timeout: float = 60) -> None:
        want = len([n for n in spec.nodes if self.pid(n.name)]) - 1
        deadline = time.monotonic() + timeout
        for node in nodes:
            while True:
                peers = self.w3(node.name).net.peer_count
                if peers >= want:
                    break
                if time.monotonic() > deadline:
                    raise EportError(f"node {node.name} has {peers} peers, expected {want}")
                time.sleep(0.2)

    def wait_sealed_by(self, addresses: Iterable[str], timeout: float = 120) -> dict[str, int]:
        """Wait until each address has sealed a block from now on; returns address -> block."""
        pending = {Web3.to_checksum_address(a) for a in addresses}
        spec = self.load()
        w3 = self.w3(next(n.name for n in spec.nodes if self.pid(n.name)))
        seen: dict[str, int] = {}
        next_block = w3.eth.block_number + 1
        deadline = time.monotonic() + timeout
        while pending:
            head = w3.eth.block_number
            while next_block <= head:
                sealer = self.sealer_of(w3, next_block)
                if sealer in pending:
                    pending.discard(sealer)
                    seen[sealer] = next_block
                next_block += 1
            if not pending:
                break
            if time.monotonic() > deadline:
                raise EportError(
                    f"no block sealed by {', '.join(sorted(pending))} within {timeout:.0f} s"
                )
            time.sleep(0.2)
        return seen

    def wait_ready(self, spec: NetworkSpec | None = None, timeout: float = 120) -> None:
        spec = spec or self.load()
        self._wait_peers(spec, [n for n in spec.nodes if self.pid(n.name)], timeout)
        self.wait_sealed_by([n.address for n in spec.sealers], timeout)
        self.wait_synced(spec, timeout)
        self.log(f"every node is peered and all {len(spec.sealers)} signers have sealed")

    def wait_synced(self, spec: NetworkSpec, timeout: float = 120) -> None:
        """Until every running node has left sync mode and holds the sealers' head.

        A node still syncing does not relay transactions, so a client that sends to the RPC
        node too early waits for a receipt that never comes.
        """
        deadline = time.monotonic() + timeout
        names = [n.name for n in spec.nodes if self.pid(n.name)]
        while True:
            heads = {}
            syncing = []
            for name in names:
                w3 = self.w3(name)
                heads[name] = w3.eth.block_number
                if w3.eth.syncing:
                    syncing.append(name)
            if not syncing and max(heads.values()) - min(heads.values()) <= 1:
                return
            if time.monotonic() > deadline:
                raise EportError(f"nodes not in sync within {timeout:.0f} s: heads {heads}")
            time.sleep(0.5)

    def wait_block(self, name: str, number: int, timeout: float = 120) -> None:
        w3 = self.w3(name)
        deadline = time.monotonic() + timeout
        while w3.eth.block_number < number:
            if time.monotonic() > deadline:
                raise EportError(f"node {name} did not reach block {number} within {timeout} s")
            time.sleep(0.2)

    # ------------------------------------------------------------- governance
    def _propose(self, voters: Iterable[Node], address: str, authorize: bool) -> None:
        for voter in voters:
            response = self.w3(voter.name).provider.make_request(
                "clique_propose", [address, authorize]
            )
            if "error" in response:
                raise EportError(f"clique_propose on {voter.name} failed: {response['error']}")

    def _wait_signer_set(self, address: str, present: bool, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while (address in self.signers()) != present:
            if time.monotonic() > deadline:
                verb = "voted in" if present else "voted out"
                raise EportError(f"{address} was not {verb} within {timeout:.0f} s")
            time.sleep(0.3)

    def add_sealer(self, name: str, title: str | None = None, timeout: float = 120) -> Node:
        """Start a new member node and have the current signers vote it in; wait until it seals."""
        spec = self.load()
        if any(n.name == name for n in spec.nodes):
            raise EportError(f"a node named {name!r} already exists")
        if not name.isidentifier():
            raise EportError(f"node name {name!r} must be letters, digits and underscores")
        voters = [n for n in spec.sealers if self.pid(n.name)]
        if len(voters) <= len(spec.sealers) // 2:
            raise EportError(
                f"only {len(voters)} of {len(spec.sealers)} signers are running: "
                "a vote needs a majority"
            )
        used = {p for n in spec.nodes for p in (n.p2p_port, n.authrpc_port, n.http_port) if p}
        port = max(n.p2p_port for n in spec.nodes if n.role != "rpc") + 1
        while port in used or port + 1000 in used:
            port += 1
        node = self._generate_node(name, title or name, "sealer", port)
        spec.nodes.append(node)
        self.save(spec)
        for each in spec.nodes:
            self._write_config(spec, each)
        geth = find_geth()
        self._geth_init(geth, name)
        self.log(f"starting {name} and asking {len(voters)} signers to vote it in")
        self._start(geth, spec, node)
        self.connect_peers(spec)
        self._propose(voters, node.address, True)
        self._wait_signer_set(node.address, True, timeout)
        self.wait_sealed_by([node.address], timeout)
        return node

    def remove_sealer(self, name: str, timeout: float = 120) -> Node:
        """Have the other signers vote a sealer out; its node stays up as a non-sealing member."""
        spec = self.load()
        node = spec.node(name)
        if node.role != "sealer":
            raise EportError(f"node {name} is not a sealer")
        voters = [n for n in spec.sealers if n.name != name and self.pid(n.name)]
        if len(voters) <= len(spec.sealers) // 2:
            raise EportError(
                f"only {len(voters)} other signers are running: voting out {name} needs "
                f"more than {len(spec.sealers) // 2}"
            )
        self._propose(voters, node.address, False)
        self._wait_signer_set(node.address, False, timeout)
        # Stop the others from repeating the vote at every block they seal.
        for voter in voters:
            self.w3(voter.name).provider.make_request("clique_discard", [node.address])
        node.role = "member"
        self.save(spec)
        return node

    def fund(self, address: str, wei: int, timeout: float = 60) -> str:
        """Send ether for gas from a sealer's unlocked account (over IPC) to an address."""
        spec = self.load()
        try:
            to = Web3.to_checksum_address(address)
        except ValueError:
            raise EportError(f"{address!r} is not an address") from None
        sealer = next((n for n in spec.sealers if self.pid(n.name)), None)
        if sealer is None:
            raise EportError("no sealer is running: run `eport network up`")
        w3 = self.w3(sealer.name)
        tx_hash = w3.eth.send_transaction({"from": sealer.address, "to": to, "value": wei})
        w3.eth.wait_for_transaction_receipt(tx_hash, timeout=timeout)
        return tx_hash.to_0x_hex()


def _write_secret(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)


def _last_geth_error(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    for line in reversed(lines):
        if line.startswith("Fatal") or "error" in line.lower():
            return line
    return lines[-1] if lines else "no output"
