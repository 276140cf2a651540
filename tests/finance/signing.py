"""EIP-712 signing of a TradeFinance.FinancingRequest, as an exporter's wallet would do it.

A request is the tuple (declarationId, bank, invoice, receivable, dueDate, deadline). Accounts
with a local key (added with `accounts.add`) sign with eth-account; the node's own unlocked
accounts sign through `eth_signTypedData_v4`.
"""

import json

from brownie import web3
from eth_account import Account
from eth_account.messages import encode_typed_data

NAME, VERSION = "E-Port TradeFinance", "1"

REQUEST_FIELDS = [
    {"name": "declarationId", "type": "uint256"},
    {"name": "bank", "type": "uint16"},
    {"name": "invoice", "type": "bytes32"},
    {"name": "receivable", "type": "uint128"},
    {"name": "dueDate", "type": "uint64"},
    {"name": "deadline", "type": "uint64"},
]


def typed_data(finance, request) -> dict:
    declaration_id, bank, invoice, receivable, due_date, deadline = request
    return {
        "types": {
            "EIP712Domain": [
                {"name": "name", "type": "string"},
                {"name": "version", "type": "string"},
                {"name": "chainId", "type": "uint256"},
                {"name": "verifyingContract", "type": "address"},
            ],
            "FinancingRequest": REQUEST_FIELDS,
        },
        "primaryType": "FinancingRequest",
        "domain": {
            "name": NAME,
            "version": VERSION,
            "chainId": web3.eth.chain_id,
            "verifyingContract": finance.address,
        },
        "message": {
            "declarationId": int(declaration_id),
            "bank": int(bank),
            "invoice": str(invoice),
            "receivable": int(receivable),
            "dueDate": int(due_date),
            "deadline": int(deadline),
        },
    }


def sign_request(finance, signer, request) -> str:
    """`signer`'s 65-byte signature of `request` for contract `finance`, as 0x-hex."""
    data = typed_data(finance, request)
    key = getattr(signer, "private_key", None)
    if key is not None:
        signed = Account.sign_message(encode_typed_data(full_message=data), key)
        return "0x" + bytes(signed.signature).hex()
    # JSON numbers above 2**64 do not parse in the node: send the integers as decimal strings.
    data["message"] = {k: str(v) for k, v in data["message"].items()}
    response = web3.provider.make_request("eth_signTypedData_v4", [str(signer), json.dumps(data)])
    if "result" not in response:
        raise ValueError(f"eth_signTypedData_v4 failed: {response.get('error')}")
    return response["result"]
