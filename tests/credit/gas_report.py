"""Gas of the examination path of LetterOfCredit (a report, not a test suite: no assertions on
gas). Not collected by default (the name does not start with `test_`); run it explicitly:

    python -m pytest tests/credit/gas_report.py -q -s --network dev-h2

Each credit is the default sight credit (100,000.00 CNY "about", no partial drawings), issued
by BOCOM and shipped; "first" is the contract's first presentation, "warm" a later one.
"""

from tests.credit import ucp_model as ucp
from tests.credit.support import AMOUNT, DAY, DEFERRED, HOLDING_PENDING_WAIVER, NOTICE


def test_gas_report(
    lc, calendar, open_credit, ship, present, bocom, icbc, importer, exporter, gov, customs, pboc,
    at, t0,
):  # fmt: skip
    rows = []

    def row(name, tx):
        rows.append((name, tx.gas_used))

    first = open_credit()
    ship(first)
    row("present (beneficiary, first)", present(first, when=t0 + 3 * DAY))
    row("honour (sight)", lc.honour(first, 1, {"from": bocom}))

    warm = open_credit()
    ship(warm)
    row("present (beneficiary, warm)", present(warm))
    row(
        "refuse (one code)",
        lc.refuse(warm, 1, [7], NOTICE, HOLDING_PENDING_WAIVER, {"from": bocom}),
    )
    row("waive", lc.waive(warm, 1, {"from": importer}))
    row("honour (waived)", lc.honour(warm, 1, {"from": bocom}))

    nominated = open_credit()
    ship(nominated)
    row("present (nominated bank)", present(nominated, by=icbc))
    row("honour (nominated bank paid)", lc.honour(nominated, 1, {"from": bocom}))

    deferred = open_credit(form=DEFERRED, tenorDays=30)
    ship(deferred)
    present(deferred)
    row("honour (deferred)", lc.honour(deferred, 1, {"from": bocom}))

    silent = open_credit()
    ship(silent)
    present(silent, AMOUNT)
    at(t0 + 20 * DAY)
    row("claimPrecluded (sight)", lc.claimPrecluded(silent, 1, {"from": exporter}))

    # The alliance's calendar: a week of holidays, proposed and voted by 3 of 5 members.
    week = [ucp.day_of(t0) + 28 + d for d in range(5)]
    tx = calendar.proposeDays(week, True, {"from": gov})
    row("calendar proposeDays (5 holidays)", tx)
    pid = tx.events["DaysProposed"]["proposalId"]
    row("calendar voteDays", calendar.voteDays(pid, {"from": customs}))
    row("calendar voteDays (deciding: 5 days closed)", calendar.voteDays(pid, {"from": pboc}))

    width = max(len(name) for name, _ in rows)
    print()
    for name, gas in rows:
        print(f"{name:<{width}}  {gas:>9,}")
