"""Gas per state-changing TradeFinance function (a report, not a test suite: no assertions on
gas). Not collected by default (the name does not start with `test_`); run it explicitly:

    python -m pytest tests/finance/gas_report.py -q -s --network dev-d

"Warm" means the exporter and the bank have financed before (their books exist); each
financing is of a fresh declaration (its book is new) unless the name says "second tranche".
"""

from brownie import chain

from tests.finance.support import (
    DAY,
    DEFERRED,
    USD,
    USD_RATE,
    VALUE,
    invoice,
    invoice_number,
    latest_time,
    today,
)
from tests.helpers import BOCOM_ID, ICBC_ID

_counter = iter(range(10**6))


def _inv():
    """A fresh invoice: (number, commitment to its contents)."""
    n = next(_counter)
    return invoice_number(f"INV-GAS-{n}"), invoice(f"gas {n}")


def _row(rows, name, tx):
    rows.append((name, tx.gas_used))


def test_gas_report(
    finance, lc, export, drawing, pause, unpause, pboc, bocom, icbc, exporter, importer
):
    rows = []
    due = latest_time() + 90 * DAY
    signed = hasattr(finance, "financeWithSignature")
    if signed:
        from tests.finance.signing import sign_request

    def two_step(declaration_id, name, amount=VALUE // 2, bank=bocom, bank_id=BOCOM_ID):
        tx = finance.requestFinancing(
            declaration_id, bank_id, *_inv(), VALUE, due, {"from": exporter}
        )
        _row(rows, f"requestFinancing {name}", tx)
        tx2 = finance.approveFinancing(tx.return_value, amount, {"from": bank})
        _row(rows, f"approveFinancing {name}", tx2)
        rows.append((f"  = two-step {name}", tx.gas_used + tx2.gas_used))
        return tx.return_value

    first = two_step(export(), "CNY cold (first ever)")
    two_step(export(), "CNY warm")
    d = export()
    two_step(d, "CNY warm, first tranche", amount=VALUE // 4)
    two_step(d, "CNY warm, second tranche", amount=VALUE // 4)
    finance.setReferenceRate(USD, today(), USD_RATE, {"from": pboc})
    two_step(export(currency=USD), "USD warm", amount=VALUE * 8 // 10)

    if signed:

        def one_tx(declaration_id, name, amount=VALUE // 2, bank=icbc, bank_id=ICBC_ID):
            request = (declaration_id, bank_id, *_inv(), VALUE, amount, due, latest_time() + DAY)
            signature = sign_request(finance, exporter, request)
            tx = finance.financeWithSignature(request, signature, {"from": bank})
            _row(rows, f"financeWithSignature {name}", tx)

        one_tx(export(), "CNY (bank's first)")
        one_tx(export(), "CNY warm")
        one_tx(export(), "CNY warm again")
        one_tx(d, "CNY warm, second tranche", amount=VALUE // 4)
        one_tx(export(currency=USD), "USD warm", amount=VALUE * 8 // 10)
        request = (export(), ICBC_ID, *_inv(), VALUE, VALUE // 2, due, latest_time() + DAY)
        _row(rows, "cancelSignedRequest", finance.cancelSignedRequest(request, {"from": exporter}))

    f2 = two_step(export(), "CNY warm (for repay)")
    _row(rows, "repay partial", finance.repay(f2, VALUE // 8, {"from": importer}))
    _row(rows, "repay rest", finance.repay(f2, VALUE, {"from": importer}))
    chain.sleep(91 * DAY)
    chain.mine()
    _row(rows, "markOverdue (never paused)", finance.markOverdue(first, {"from": importer}))
    due = latest_time() + 90 * DAY
    paused_loan = two_step(export(), "CNY warm (to fall due after a pause)")
    pause()
    chain.sleep(DAY)
    unpause()
    chain.sleep(92 * DAY)
    chain.mine()
    _row(rows, "markOverdue (paused once)", finance.markOverdue(paused_loan, {"from": importer}))
    _row(rows, "repay overdue partial", finance.repay(first, 1_000, {"from": importer}))
    _row(rows, "writeOff", finance.writeOff(first, {"from": bocom}))

    due = latest_time() + 90 * DAY
    tx = finance.requestFinancing(export(), BOCOM_ID, *_inv(), VALUE, due, {"from": exporter})
    _row(rows, "requestFinancing (to cancel)", tx)
    _row(rows, "cancelRequest", finance.cancelRequest(tx.return_value, {"from": exporter}))
    tx = finance.requestFinancing(export(), BOCOM_ID, *_inv(), VALUE, due, {"from": exporter})
    _row(rows, "declineRequest", finance.declineRequest(tx.return_value, {"from": bocom}))

    declaration_id = export(value=2 * VALUE)
    credit_id, drawing_id = drawing(declaration_id, amount=VALUE, form=DEFERRED, tenor=30)
    tx = finance.requestFinancingAgainstCredit(
        declaration_id, ICBC_ID, *_inv(), credit_id, drawing_id, {"from": exporter}
    )
    _row(rows, "requestFinancingAgainstCredit", tx)
    lc.transferClaim(credit_id, drawing_id, finance, {"from": exporter})
    financing_id = tx.return_value
    _row(
        rows,
        "approveFinancing (credit)",
        finance.approveFinancing(financing_id, VALUE // 2, {"from": icbc}),
    )
    declaration_id = export(value=2 * VALUE)
    credit2, drawing2 = drawing(declaration_id, amount=VALUE, form=DEFERRED, tenor=30)
    tx = finance.requestDiscount(
        declaration_id, ICBC_ID, *_inv(), credit2, drawing2, VALUE * 9 // 10, {"from": exporter}
    )
    _row(rows, "requestDiscount", tx)
    lc.transferClaim(credit2, drawing2, finance, {"from": exporter})
    _row(rows, "discount", finance.discount(credit2, drawing2, VALUE * 95 // 100, {"from": icbc}))
    chain.sleep(31 * DAY)
    chain.mine()
    _row(rows, "collectFromCredit", finance.collectFromCredit(financing_id, {"from": importer}))
    _row(rows, "setAdvanceRatio", finance.setAdvanceRatio(7_000, {"from": bocom}))
    _row(
        rows,
        "setReferenceRate",
        finance.setReferenceRate(USD, today(), USD_RATE + 1, {"from": pboc}),
    )

    print("\n\nTradeFinance gas")
    for name, gas in rows:
        print(f"  {name:<48} {gas:>8,}")
