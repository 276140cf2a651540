"""Deploy the suite with Brownie: `brownie run scripts/deploy.py main [ALLIANCE] [WALLET]
--network eport-local`.

A thin wrapper over `eport.deploy` (the same steps as `eport deploy`): the deployer signs from
its wallet (password from $EPORT_PASSWORD_FILE, else a hidden prompt); member steps are signed
by the members' wallets whose password files are in $EPORT_PASSWORDS (default
.eport/passwords). Re-running deploys nothing new; a partial deployment resumes.
"""

import getpass
import os
from pathlib import Path

from brownie import network

from eport.chain import Client, Deployments
from eport.demo import PASSWORDS
from eport.deploy import Deployer, load_alliance
from eport.wallet import Wallets, read_password_file


def deploy(rpc: str, alliance_file: str, wallet: str) -> dict:
    wallets = Wallets()
    secret = os.environ.get("EPORT_PASSWORD_FILE")
    password = read_password_file(secret) if secret else getpass.getpass(f"Password of {wallet}: ")
    deployer = wallets.unlock(wallet, password)
    signers = {deployer.address: deployer}
    for info in wallets.list():
        file = Path(os.environ.get("EPORT_PASSWORDS") or PASSWORDS) / info.name
        if file.exists():
            account = wallets.unlock(info.name, read_password_file(file))
            signers[account.address] = account
    client = Client(rpc)
    alliance = load_alliance(alliance_file, wallets)
    return Deployer(client, deployer, alliance, Deployments.default(), signers).run()


def main(alliance_file: str = "config/alliance.local.yaml", wallet: str = "deployer") -> None:
    host = network.web3.provider.endpoint_uri
    entry = deploy(host, alliance_file, wallet)
    for name, address in entry["contracts"].items():
        print(f"{name} {address}")
