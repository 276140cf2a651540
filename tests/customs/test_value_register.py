"""The value register: consume and restore a declaration's declared value, by alliance system
contracts only (a letter of credit when documents are presented, a financing), so one
shipment's value is used once across every credit and financing (issue 10)."""

import pytest

from tests.customs.conftest import IMPORT_DUTY
from tests.customs.declarations import (
    ASSESSED,
    CHANNELLED,
    DUTY_SECURED,
    EXPORT,
    EXPORT_ITEMS,
    GREEN,
    IMPORT,
    IMPORT_ITEMS,
    INSPECTED,
    LODGED,
    RED,
    REJECTED,
    RELEASED,
    WITHDRAWN,
    YELLOW,
    commitment,
    content,
    record,
    reverts_exactly,
)
from tests.helpers import ZERO32, bill_key, new_bill_of_lading, reverts_with

VALUE = sum(item[3] for item in EXPORT_ITEMS)  # what an export `declare` declares
NOT_SYSTEM = ["customs", "bocom", "exporter", "declarant", "carrier", "deployer", "outsider"]


@pytest.fixture
def released(declare):
    """released() -> (id, transport document key) of a released export of VALUE."""

    def _released(flow=EXPORT):
        bill = new_bill_of_lading()
        declaration_id = declare(flow, to=RELEASED, channel=GREEN, bill_of_lading=bill)
        return declaration_id, bill_key(bill)

    return _released


def _consumed(clearance, declaration_id) -> int:
    summary = clearance.summaryOf(declaration_id)["consumed"]
    assert record(clearance, declaration_id)["consumed"] == summary
    return summary


# ----------------------------------------------------------------------------- honest paths


def test_a_system_contract_consumes_part_of_a_declarations_value(clearance, released, consumer):
    declaration_id, key = released()

    tx = clearance.consume(declaration_id, key, 4_000_000, {"from": consumer})

    assert tx.return_value == 4_000_000
    assert _consumed(clearance, declaration_id) == 4_000_000
    event = tx.events["DeclarationValueConsumed"]
    assert (event["id"], event["consumer"], event["units"], event["consumed"]) == (
        declaration_id,
        consumer,
        4_000_000,
        4_000_000,
    )


def test_consuming_up_to_the_exact_value_works(clearance, released, consumer, second_consumer):
    declaration_id, key = released()
    clearance.consume(declaration_id, key, VALUE - 1, {"from": consumer})

    tx = clearance.consume(declaration_id, key, 1, {"from": second_consumer})

    assert tx.return_value == VALUE
    assert _consumed(clearance, declaration_id) == VALUE


def test_the_whole_value_is_consumed_at_once(clearance, released, consumer):
    declaration_id, key = released()

    clearance.consume(declaration_id, key, VALUE, {"from": consumer})

    assert _consumed(clearance, declaration_id) == VALUE


def test_a_consumer_that_does_not_name_the_document_is_not_checked_against_it(
    clearance, released, consumer
):
    declaration_id, _ = released()

    clearance.consume(declaration_id, ZERO32, 1_000, {"from": consumer})

    assert _consumed(clearance, declaration_id) == 1_000


def test_the_import_and_the_export_of_one_bill_are_consumed_apart(clearance, declare, consumer):
    bill = new_bill_of_lading()
    key = bill_key(bill)
    export_id = declare(EXPORT, to=RELEASED, channel=GREEN, bill_of_lading=bill)
    import_id = declare(IMPORT, to=RELEASED, channel=GREEN, bill_of_lading=bill)
    import_value = clearance.summaryOf(import_id)["declaredValue"]

    clearance.consume(export_id, key, VALUE, {"from": consumer})
    clearance.consume(import_id, key, import_value, {"from": consumer})

    assert _consumed(clearance, export_id) == VALUE
    assert _consumed(clearance, import_id) == import_value


def test_a_system_contract_restores_what_it_no_longer_uses(clearance, released, consumer):
    declaration_id, key = released()
    clearance.consume(declaration_id, key, VALUE, {"from": consumer})

    tx = clearance.restore(declaration_id, 3_000_000, {"from": consumer})

    assert tx.return_value == VALUE - 3_000_000
    assert _consumed(clearance, declaration_id) == VALUE - 3_000_000
    event = tx.events["DeclarationValueRestored"]
    assert (event["id"], event["consumer"], event["units"], event["consumed"]) == (
        declaration_id,
        consumer,
        3_000_000,
        VALUE - 3_000_000,
    )
    # What was given back can be used again, and no more.
    clearance.consume(declaration_id, key, 3_000_000, {"from": consumer})
    assert _consumed(clearance, declaration_id) == VALUE


def test_everything_consumed_can_be_restored(clearance, released, consumer):
    declaration_id, key = released()
    clearance.consume(declaration_id, key, 123, {"from": consumer})

    clearance.restore(declaration_id, 123, {"from": consumer})

    assert _consumed(clearance, declaration_id) == 0


# ------------------------------------------------------------------ the fraudster's attempts


@pytest.mark.parametrize("status", [LODGED, CHANNELLED, INSPECTED, ASSESSED, DUTY_SECURED])
def test_a_declaration_is_consumed_only_once_released(
    clearance, declare, unchanged, consumer, status
):
    bill = new_bill_of_lading()
    duty = IMPORT_DUTY if status == ASSESSED else 0
    declaration_id = declare(EXPORT, to=status, channel=RED, duty=duty, bill_of_lading=bill)

    with unchanged(), reverts_with("CustomsWrongStatus", declaration_id, status):
        clearance.consume(declaration_id, bill_key(bill), 1, {"from": consumer})


def test_a_value_used_before_release_cannot_be_amended_away(
    clearance, declare, unchanged, declarant, consumer
):
    """Use a lodged declaration's value, then amend the declared value below what was used:
    the use would exceed the value (and every later consume fail on an arithmetic panic)."""
    bill = new_bill_of_lading()
    declaration_id = declare(EXPORT, bill_of_lading=bill)

    with unchanged(), reverts_with("CustomsWrongStatus", declaration_id, LODGED):
        clearance.consume(declaration_id, ZERO32, VALUE, {"from": consumer})
    amended = content(flow=EXPORT, items=IMPORT_ITEMS, bill_of_lading=bill)
    clearance.amend(declaration_id, amended, {"from": declarant})

    summary = clearance.summaryOf(declaration_id)
    assert summary["consumed"] == 0 < summary["declaredValue"]


@pytest.mark.parametrize("ended", ["withdrawn", "rejected"])
def test_one_bill_is_not_used_twice_through_a_declaration_that_gave_it_up(
    clearance, declare, unchanged, customs, declarant, consumer, second_consumer, ended
):
    """Use the value of a declaration, withdraw it (or have it rejected) so that the B/L is
    free, declare the B/L again and use the new declaration's value too."""
    bill = new_bill_of_lading()
    first = declare(EXPORT, to=INSPECTED, channel=YELLOW, bill_of_lading=bill)
    with unchanged(), reverts_with("CustomsWrongStatus", first, INSPECTED):
        clearance.consume(first, ZERO32, VALUE, {"from": consumer})
    if ended == "withdrawn":
        clearance.withdraw(first, {"from": declarant})
    else:
        clearance.reject(first, 2, commitment("misdeclared"), {"from": customs})
    second = declare(EXPORT, to=RELEASED, channel=GREEN, bill_of_lading=bill)
    clearance.consume(second, bill_key(bill), VALUE, {"from": second_consumer})

    status = WITHDRAWN if ended == "withdrawn" else REJECTED
    with unchanged(), reverts_with("CustomsWrongStatus", first, status):
        clearance.consume(first, ZERO32, VALUE, {"from": consumer})
    assert _consumed(clearance, first) == 0
    assert _consumed(clearance, second) == VALUE


@pytest.mark.parametrize("caller", NOT_SYSTEM)
def test_only_a_system_contract_consumes(clearance, released, unchanged, caller, request):
    declaration_id, key = released()
    account = request.getfixturevalue(caller)

    with unchanged(), reverts_with("CustomsNotSystemContract", account):
        clearance.consume(declaration_id, key, 1, {"from": account})


def test_a_contract_the_alliance_deregistered_consumes_no_more(
    clearance, registry, released, unchanged, deployer, consumer
):
    declaration_id, key = released()
    registry.bootstrapSystemContract(consumer, False, {"from": deployer})

    with unchanged(), reverts_with("CustomsNotSystemContract", consumer):
        clearance.consume(declaration_id, key, 1, {"from": consumer})


@pytest.mark.parametrize("caller", NOT_SYSTEM)
def test_only_a_system_contract_restores(clearance, released, unchanged, consumer, caller, request):
    """Restoring is un-financing: an outsider would free the value for a second use."""
    declaration_id, key = released()
    clearance.consume(declaration_id, key, VALUE, {"from": consumer})
    account = request.getfixturevalue(caller)

    with unchanged(), reverts_with("CustomsNotSystemContract", account):
        clearance.restore(declaration_id, VALUE, {"from": account})


@pytest.mark.parametrize("already", [0, 1, VALUE // 2, VALUE])
def test_no_more_than_is_left_is_consumed(
    clearance, released, unchanged, consumer, second_consumer, already
):
    declaration_id, key = released()
    if already:
        clearance.consume(declaration_id, key, already, {"from": consumer})
    left = VALUE - already

    with unchanged(), reverts_with("CustomsValueExhausted", declaration_id, left + 1, left):
        clearance.consume(declaration_id, key, left + 1, {"from": second_consumer})


@pytest.mark.parametrize("units", [2**96, 2**256 - 1])
def test_a_huge_consumption_is_refused_without_wrapping(
    clearance, released, unchanged, consumer, units
):
    declaration_id, key = released()
    clearance.consume(declaration_id, key, 1, {"from": consumer})

    with unchanged(), reverts_with("CustomsValueExhausted", declaration_id, units, VALUE - 1):
        clearance.consume(declaration_id, key, units, {"from": consumer})


def test_nothing_is_consumed_for_nothing(clearance, released, unchanged, consumer):
    declaration_id, key = released()

    with unchanged(), reverts_with("CustomsValueExhausted", declaration_id, 0, VALUE):
        clearance.consume(declaration_id, key, 0, {"from": consumer})


def test_a_presentation_cannot_use_a_declaration_under_another_bill(
    clearance, released, unchanged, consumer
):
    """Documents of shipment B presented against the declaration of shipment A."""
    declaration_id, _ = released()
    _, other_key = released()

    with (
        unchanged(),
        reverts_exactly("CustomsTransportDocumentMismatch", declaration_id, other_key),
    ):
        clearance.consume(declaration_id, other_key, 1, {"from": consumer})


def test_a_bill_no_declaration_carries_is_refused(clearance, released, unchanged, consumer):
    declaration_id, _ = released()
    unknown = bill_key(new_bill_of_lading())

    with unchanged(), reverts_exactly("CustomsTransportDocumentMismatch", declaration_id, unknown):
        clearance.consume(declaration_id, unknown, 1, {"from": consumer})


def test_the_bill_of_the_other_flow_does_not_match(clearance, declare, unchanged, consumer):
    """The import declaration of a B/L is not the export one: its key is looked up in the
    import register, where another declaration is entered."""
    bill = new_bill_of_lading()
    key = bill_key(bill)
    declare(EXPORT, to=RELEASED, channel=GREEN, bill_of_lading=bill)
    import_id = declare(IMPORT, to=RELEASED, channel=GREEN, bill_of_lading=new_bill_of_lading())

    with unchanged(), reverts_exactly("CustomsTransportDocumentMismatch", import_id, key):
        clearance.consume(import_id, key, 1, {"from": consumer})


@pytest.mark.parametrize("consumed, units", [(0, 1), (100, 101), (100, 2**256 - 1), (100, 0)])
def test_no_more_than_was_consumed_is_restored(
    clearance, released, unchanged, consumer, consumed, units
):
    declaration_id, key = released()
    if consumed:
        clearance.consume(declaration_id, key, consumed, {"from": consumer})

    with (
        unchanged(),
        reverts_with("CustomsRestoreExceedsConsumed", declaration_id, units, consumed),
    ):
        clearance.restore(declaration_id, units, {"from": consumer})


def test_no_value_of_an_unknown_declaration_is_consumed_or_restored(clearance, unchanged, consumer):
    with unchanged(), reverts_with("CustomsUnknownDeclaration", 1):
        clearance.consume(1, ZERO32, 1, {"from": consumer})
    with unchanged(), reverts_with("CustomsUnknownDeclaration", 1):
        clearance.restore(1, 1, {"from": consumer})
