"""Register the alliance network ids with Brownie (idempotent; run by `./run setup`).

After this, `brownie run scripts/... --network eport-local` reaches the local Clique network's
RPC node without a manual `brownie networks add`.
"""

import yaml
from brownie._config import _get_data_folder

from eport.network import DEFAULT_CHAIN_ID, DEFAULT_HTTP_PORT
from eport.testing import CLIQUE_CHAIN_ID, CLIQUE_NETWORK_ID

ENVIRONMENT = "E-Port Chain"
NETWORKS = [
    {
        "id": "eport-local",
        "name": "E-Port alliance, local Clique network",
        "chainid": DEFAULT_CHAIN_ID,
        "host": f"http://127.0.0.1:{DEFAULT_HTTP_PORT}",
        "timeout": 120,
    },
    {
        # The test session starts this network itself on free ports and sets the host then.
        "id": CLIQUE_NETWORK_ID,
        "name": "E-Port test Clique network (started by pytest)",
        "chainid": CLIQUE_CHAIN_ID,
        "host": "http://127.0.0.1:8999",
        "timeout": 120,
    },
]


def main() -> None:
    path = _get_data_folder().joinpath("network-config.yaml")
    config = yaml.safe_load(path.read_text())
    live = config.setdefault("live", [])
    env = next((e for e in live if e["name"] == ENVIRONMENT), None)
    if env is None:
        env = {"name": ENVIRONMENT, "networks": []}
        live.append(env)
    changed = False
    for wanted in NETWORKS:
        current = next((n for n in env["networks"] if n["id"] == wanted["id"]), None)
        if current != wanted:
            env["networks"] = [n for n in env["networks"] if n["id"] != wanted["id"]] + [wanted]
            changed = True
    if changed:
        path.write_text(yaml.dump(config))
        print(f"registered Brownie networks {[n['id'] for n in NETWORKS]} in {path}")


if __name__ == "__main__":
    main()
