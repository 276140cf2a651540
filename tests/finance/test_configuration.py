"""Bank advance ratios and the central bank's reference rates."""

import pytest

from tests.finance.support import CNY, USD, USD_RATE, as_printed, today
from tests.helpers import BOCOM_ID, ICBC_ID, reverts_with


def test_a_bank_sets_its_advance_ratio_and_receives_repayments_at_its_operator(finance, icbc):
    tx = finance.setAdvanceRatio(9_000, {"from": icbc})

    ratio, account = finance.advanceRatioOf(ICBC_ID)
    assert ratio == 9_000 and account == icbc
    event = tx.events["AdvanceRatioSet"]
    assert (event["bank"], event["advanceRatioBp"], event["account"]) == (ICBC_ID, 9_000, icbc)
    assert finance.advanceRatioOf(BOCOM_ID)[0] == 8_000


@pytest.mark.parametrize("who", ["pboc", "customs", "exporter", "importer", "outsider"])
def test_only_a_commercial_bank_sets_an_advance_ratio(finance, unchanged, who, request):
    caller = request.getfixturevalue(who)

    with unchanged(), reverts_with("TradeFinanceNotCommercialBank", caller):
        finance.setAdvanceRatio(9_000, {"from": caller})


@pytest.mark.parametrize("ratio", [0, 10_001, 65_535])
def test_an_advance_ratio_outside_one_basis_point_to_all_is_refused(
    finance, unchanged, bocom, ratio
):
    with unchanged(), reverts_with("TradeFinanceBadAdvanceRatio", ratio):
        finance.setAdvanceRatio(ratio, {"from": bocom})


def test_the_central_bank_publishes_a_reference_rate_for_today(finance, pboc):
    day = today()

    tx = finance.setReferenceRate(USD, day, USD_RATE, {"from": pboc})

    assert finance.referenceRate(USD, day) == USD_RATE
    assert tx.events["ReferenceRateSet"]["rate"] == USD_RATE
    assert tx.events["ReferenceRateSet"]["day"] == day
    assert tx.events["ReferenceRateSet"]["previous"] == 0


def test_a_corrected_rate_replaces_the_day_and_reports_the_previous_one(finance, pboc):
    day = today()
    finance.setReferenceRate(USD, day, USD_RATE, {"from": pboc})

    tx = finance.setReferenceRate(USD, day, USD_RATE + 1, {"from": pboc})

    assert finance.referenceRate(USD, day) == USD_RATE + 1
    assert tx.events["ReferenceRateSet"]["previous"] == USD_RATE


def test_a_rate_for_a_past_day_may_be_published(finance, pboc):
    finance.setReferenceRate(USD, today() - 3, USD_RATE, {"from": pboc})

    assert finance.referenceRate(USD, today() - 3) == USD_RATE


@pytest.mark.parametrize("who", ["bocom", "customs", "gov", "exporter", "outsider"])
def test_only_the_central_bank_publishes_rates(finance, unchanged, who, request):
    caller = request.getfixturevalue(who)

    with unchanged(), reverts_with("TradeFinanceNotCentralBank", caller):
        finance.setReferenceRate(USD, today(), USD_RATE, {"from": caller})


@pytest.mark.parametrize("currency", [CNY, b"\x00\x00\x00"])
def test_no_rate_is_published_for_cny_or_no_currency(finance, unchanged, pboc, currency):
    with unchanged(), reverts_with("TradeFinanceBadCurrency", as_printed(currency)):
        finance.setReferenceRate(currency, today(), USD_RATE, {"from": pboc})


def test_a_zero_rate_is_refused(finance, unchanged, pboc):
    with unchanged(), reverts_with("TradeFinanceBadRate", 0):
        finance.setReferenceRate(USD, today(), 0, {"from": pboc})


def test_a_rate_for_a_future_day_is_refused(finance, unchanged, pboc):
    day = today()

    with unchanged(), reverts_with("TradeFinanceFutureDay", day + 1, day):
        finance.setReferenceRate(USD, day + 1, USD_RATE, {"from": pboc})


def test_nothing_is_configured_while_the_alliance_is_paused(finance, unchanged, pause, pboc, bocom):
    pause()

    with unchanged():
        with reverts_with("TradeFinancePaused"):
            finance.setAdvanceRatio(9_000, {"from": bocom})
        with reverts_with("TradeFinancePaused"):
            finance.setReferenceRate(USD, today(), USD_RATE, {"from": pboc})
