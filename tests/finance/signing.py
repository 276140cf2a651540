"""EIP-712 signing of a TradeFinance.FinancingRequest in tests, as an exporter's wallet does it.

A request is the tuple (declarationId, bank, invoiceNumber, invoiceCommitment, receivable,
amount, dueDate, deadline), in the order of the struct's fields; the typed data is the operator
tool's own (`eport.signing`). Accounts with a local key (added with `accounts.add`) sign with
eth-account; the node's own unlocked accounts sign through `eth_signTypedData_v4`.
"""

import json

from brownie import web3

from eport import signing


def _fields(request) -> dict:
    fields = signing.request_fields()
    values = dict(zip([f["name"] for f in fields], request, strict=True))
    for field in fields:
        if field["type"] == "bytes32":
            values[field["name"]] = str(values[field["name"]])
    return values


def typed_data(finance, request) -> dict:
    return signing.typed_data(web3.eth.chain_id, finance.address, _fields(request))


def sign_request(finance, signer, request) -> str:
    """`signer`'s 65-byte signature of `request` for contract `finance`, as 0x-hex."""
    key = getattr(signer, "private_key", None)
    if key is not None:
        return signing.sign(key, web3.eth.chain_id, finance.address, _fields(request))
    data = typed_data(finance, request)
    # JSON numbers above 2**64 do not parse in the node: send the integers as decimal strings.
    data["message"] = {k: str(v) for k, v in data["message"].items()}
    response = web3.provider.make_request("eth_signTypedData_v4", [str(signer), json.dumps(data)])
    if "result" not in response:
        raise ValueError(f"eth_signTypedData_v4 failed: {response.get('error')}")
    return response["result"]
