"""Gas of the token's hot paths and the registry's participant changes (a report, not a test
suite: no assertions on gas). Not collected by default (the name does not start with `test_`);
run it explicitly:

    python -m pytest tests/token/gas_report.py -q -s --network dev-h1

Each transfer moves part of a balance to an account that already holds some (both balance
slots exist), the common case inside a trade (escrow, payouts, repayments).
"""

from tests.helpers import EXPORTER, IMPORTER, digest

DEPOSIT = digest("gas deposit")


def by(account):
    return {"from": account}


def test_gas_report(token, registry, customs, pboc, bocom, exporter, importer, carrier, newcomers):
    token.mint(importer, 1_000_000, DEPOSIT, {"from": bocom})
    token.mint(exporter, 1_000, DEPOSIT, {"from": bocom})
    fresh, trader = newcomers[0], newcomers[1]
    register = registry.registerParticipant
    steps = [
        ("mint (recipient holds already)", lambda: token.mint(exporter, 500, DEPOSIT, by(bocom))),
        ("transfer", lambda: token.transfer(exporter, 100, by(importer))),
        ("approve", lambda: token.approve(carrier, 10_000, by(importer))),
        ("transferFrom", lambda: token.transferFrom(importer, exporter, 100, by(carrier))),
        ("freeze", lambda: token.freeze(fresh, DEPOSIT, by(pboc))),
        ("unfreeze", lambda: token.unfreeze(fresh, by(pboc))),
        ("registerParticipant (new)", lambda: register(trader, EXPORTER, by(customs))),
        ("registerParticipant (roles change)", lambda: register(trader, IMPORTER, by(customs))),
        ("suspendParticipant", lambda: registry.suspendParticipant(carrier, by(pboc))),
        ("reinstateParticipant", lambda: registry.reinstateParticipant(carrier, by(pboc))),
    ]

    print()
    for name, step in steps:
        print(f"{name:40} {step().gas_used:>8,}")
