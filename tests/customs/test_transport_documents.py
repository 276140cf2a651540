"""One transport document, one live declaration per flow: the register keyed on the carrier and
the normalised B/L number (issue 10). Each hole is written as the fraudster's attempt, which is
refused with its named error and changes nothing, beside the honest paths that still work."""

import pytest

from tests.customs.conftest import IMPORT_DUTY
from tests.customs.declarations import (
    ASSESSED,
    CHANNELLED,
    DUTY_SECURED,
    EXPORT,
    GREEN,
    IMPORT,
    INSPECTED,
    LODGED,
    RED,
    RELEASED,
    WITHDRAWN,
    YELLOW,
    commitment,
    content,
    record,
    reverts_exactly,
    uses,
)
from tests.helpers import (
    CARRIER,
    DECLARANT,
    EXPORTER,
    ZERO_ADDRESS,
    bill_key,
    document_number,
    new_bill_of_lading,
    reverts_with,
)

LIVE = [LODGED, CHANNELLED, INSPECTED, ASSESSED, DUTY_SECURED, RELEASED]


def _written(bill: str, style: str) -> str:
    """One B/L number as different hands write it ("COSU6200000001" -> "cosu-6200 000001")."""
    if style == "as issued":
        return bill
    if style == "lower case":
        return bill.lower()
    if style == "as printed":
        return f"{bill[:4].lower()}-{bill[4:8]} {bill[8:]}"
    assert style == "dotted"
    return f"{bill[:4]}.{bill[4:8]}/{bill[8:]}"


STYLES = ["as issued", "lower case", "as printed", "dotted"]


@pytest.fixture
def lodge_export(clearance, declarant, exporter):
    """lodge_export(bill, by=declarant, trader=exporter, carrier=None) -> the declaration id."""

    def _lodge(bill, by=declarant, trader=exporter, carrier=None):
        declared = content(flow=EXPORT, bill_of_lading=bill, carrier=carrier)
        tx = clearance.lodge(EXPORT, trader, declared, {"from": by})
        return tx.events["DeclarationLodged"]["id"]

    return _lodge


@pytest.fixture
def second_carrier(registry, customs, newcomers):
    account = newcomers[2]
    registry.registerParticipant(account, CARRIER, {"from": customs})
    return account


def _to(declare, flow, status, bill):
    """A declaration of `bill` taken to a live `status` (assessed duty where it needs one)."""
    duty = IMPORT_DUTY if status == ASSESSED or flow == IMPORT else 0
    return declare(flow, to=status, channel=RED, duty=duty, bill_of_lading=bill)


# ------------------------------------------------------------------ the fraudster's attempts


@pytest.mark.parametrize("style", STYLES)
def test_a_second_export_declaration_of_one_bill_is_refused_however_it_is_written(
    clearance, unchanged, declarant, exporter, lodge_export, style
):
    bill = new_bill_of_lading()
    first = lodge_export(bill)
    key = bill_key(bill)
    again = content(flow=EXPORT, bill_of_lading=_written(bill, style))

    with unchanged(key), reverts_exactly("CustomsTransportDocumentInUse", key, first):
        clearance.lodge(EXPORT, exporter, again, {"from": declarant})

    assert uses(clearance, key) == (first, 0)


@pytest.mark.parametrize("flow", [EXPORT, IMPORT])
@pytest.mark.parametrize("status", LIVE)
def test_a_bill_is_refused_while_a_declaration_of_it_is_live(
    clearance, declare, unchanged, declarant, exporter, importer, flow, status
):
    bill = new_bill_of_lading()
    first = _to(declare, flow, status, bill)
    key = bill_key(bill)
    trader = exporter if flow == EXPORT else importer

    with unchanged(key), reverts_exactly("CustomsTransportDocumentInUse", key, first):
        clearance.lodge(flow, trader, content(flow=flow, bill_of_lading=bill), {"from": declarant})


def test_a_second_declarant_cannot_declare_the_bill_again_for_another_exporter(
    clearance, registry, unchanged, customs, lodge_export, newcomers
):
    bill = new_bill_of_lading()
    first = lodge_export(bill)
    key = bill_key(bill)
    accomplice, front = newcomers[1], newcomers[3]
    registry.registerParticipant(accomplice, DECLARANT, {"from": customs})
    registry.registerParticipant(front, EXPORTER, {"from": customs})
    again = content(flow=EXPORT, bill_of_lading=_written(bill, "as printed"))

    with unchanged(key), reverts_exactly("CustomsTransportDocumentInUse", key, first):
        clearance.lodge(EXPORT, front, again, {"from": accomplice})


def test_an_amendment_cannot_swap_in_another_bill(clearance, unchanged, declarant, lodge_export):
    bill = new_bill_of_lading()
    declaration_id = lodge_export(bill)
    other = new_bill_of_lading()

    with (
        unchanged(bill_key(bill), bill_key(other)),
        reverts_with("CustomsTransportDocumentChanged", declaration_id),
    ):
        clearance.amend(
            declaration_id, content(flow=EXPORT, bill_of_lading=other), {"from": declarant}
        )


@pytest.mark.parametrize("first_withdrawn", [False, True])
def test_an_amendment_cannot_take_the_bill_of_another_declaration(
    clearance, unchanged, declarant, lodge_export, first_withdrawn
):
    """The fraudster lodges a second declaration under a fresh B/L, then amends it to the B/L
    of the first (live, or withdrawn so that the B/L looks free)."""
    bill = new_bill_of_lading()
    first = lodge_export(bill)
    second = lodge_export(new_bill_of_lading())
    if first_withdrawn:
        clearance.withdraw(first, {"from": declarant})
    swap = content(flow=EXPORT, bill_of_lading=_written(bill, "as printed"))

    with unchanged(bill_key(bill)), reverts_with("CustomsTransportDocumentChanged", second):
        clearance.amend(second, swap, {"from": declarant})

    assert uses(clearance, bill_key(bill)) == (first, 0)


def test_an_amendment_cannot_swap_the_carrier(
    clearance, unchanged, declarant, lodge_export, second_carrier
):
    bill = new_bill_of_lading()
    declaration_id = lodge_export(bill)
    swap = content(flow=EXPORT, bill_of_lading=bill, carrier=second_carrier)

    with (
        unchanged(bill_key(bill), bill_key(bill, second_carrier)),
        reverts_with("CustomsTransportDocumentChanged", declaration_id),
    ):
        clearance.amend(declaration_id, swap, {"from": declarant})


@pytest.mark.parametrize(
    "named", ["exporter", "importer", "declarant", "bocom", "customs", "outsider", "zero"]
)
def test_only_a_registered_carrier_can_be_named_as_the_carrier(
    clearance, unchanged, declarant, exporter, named, request
):
    """Naming anyone as the "carrier" would make a new key for the same B/L number."""
    account = ZERO_ADDRESS if named == "zero" else request.getfixturevalue(named)
    bill = new_bill_of_lading()
    declared = content(flow=EXPORT, bill_of_lading=bill, carrier=account)

    with (
        unchanged(bill_key(bill, account)),
        reverts_with("CustomsMissingRole", account, CARRIER),
    ):
        clearance.lodge(EXPORT, exporter, declared, {"from": declarant})


def test_a_suspended_carrier_cannot_be_named(
    clearance, registry, unchanged, customs, declarant, exporter, carrier
):
    registry.suspendParticipant(carrier, {"from": customs})
    bill = new_bill_of_lading()

    with unchanged(bill_key(bill)), reverts_with("CustomsMissingRole", carrier, CARRIER):
        clearance.lodge(
            EXPORT, exporter, content(flow=EXPORT, bill_of_lading=bill), {"from": declarant}
        )


def test_an_amendment_cannot_name_a_non_carrier(
    clearance, unchanged, declarant, exporter, lodge_export
):
    bill = new_bill_of_lading()
    declaration_id = lodge_export(bill)
    swap = content(flow=EXPORT, bill_of_lading=bill, carrier=exporter)

    with unchanged(bill_key(bill)), reverts_with("CustomsMissingRole", exporter, CARRIER):
        clearance.amend(declaration_id, swap, {"from": declarant})


# -------------------------------------------------------------------------- honest paths


def test_a_lodged_declaration_is_entered_in_the_register(clearance, carrier, lodge_export):
    bill = new_bill_of_lading()
    written = _written(bill, "as printed")

    declaration_id = lodge_export(written)

    key = clearance.transportDocumentKey(carrier, document_number(written))
    assert key == bill_key(bill)
    assert uses(clearance, key) == (declaration_id, 0)


def test_an_unknown_document_has_no_declaration(clearance):
    assert uses(clearance, bill_key(new_bill_of_lading())) == (0, 0)


@pytest.mark.parametrize("style", STYLES)
def test_a_withdrawn_declaration_frees_its_bill(
    clearance, unchanged, declarant, exporter, lodge_export, style
):
    bill = new_bill_of_lading()
    first = lodge_export(bill)
    clearance.withdraw(first, {"from": declarant})

    second = lodge_export(_written(bill, style))

    key = bill_key(bill)
    assert uses(clearance, key) == (second, 0)
    assert clearance.summaryOf(first)["status"] == WITHDRAWN
    # The new declaration is the live one now: a third is refused, naming it.
    with unchanged(key), reverts_exactly("CustomsTransportDocumentInUse", key, second):
        clearance.lodge(
            EXPORT, exporter, content(flow=EXPORT, bill_of_lading=bill), {"from": declarant}
        )


@pytest.mark.parametrize("status", [LODGED, CHANNELLED, ASSESSED, DUTY_SECURED])
def test_a_rejected_declaration_frees_its_bill(
    clearance, declare, customs, declarant, importer, status
):
    bill = new_bill_of_lading()
    first = declare(IMPORT, to=status, channel=GREEN, secured_by="guarantee", bill_of_lading=bill)
    clearance.reject(first, 3, commitment("refused"), {"from": customs})

    tx = clearance.lodge(
        IMPORT, importer, content(flow=IMPORT, bill_of_lading=bill), {"from": declarant}
    )

    assert uses(clearance, bill_key(bill)) == (0, tx.return_value)


def test_a_declaration_rejected_after_a_failed_check_frees_its_bill(
    clearance, declare, customs, lodge_export
):
    bill = new_bill_of_lading()
    first = declare(EXPORT, to=CHANNELLED, channel=YELLOW, bill_of_lading=bill)
    clearance.recordDocumentCheck(first, False, commitment("B/L forged"), {"from": customs})
    clearance.reject(first, 5, commitment("forged"), {"from": customs})

    second = lodge_export(bill)

    assert uses(clearance, bill_key(bill)) == (second, 0)


def test_import_and_export_of_one_bill_are_both_allowed(
    clearance, unchanged, declarant, exporter, importer, lodge_export
):
    bill = new_bill_of_lading()
    key = bill_key(bill)
    export_id = lodge_export(bill)

    tx = clearance.lodge(
        IMPORT,
        importer,
        content(flow=IMPORT, bill_of_lading=_written(bill, "as printed")),
        {"from": declarant},
    )

    import_id = tx.return_value
    assert uses(clearance, key) == (export_id, import_id)
    # Each flow still has one live declaration only.
    again = content(flow=IMPORT, bill_of_lading=bill)
    with unchanged(key), reverts_exactly("CustomsTransportDocumentInUse", key, import_id):
        clearance.lodge(IMPORT, importer, again, {"from": declarant})
    again = content(flow=EXPORT, bill_of_lading=bill)
    with unchanged(key), reverts_exactly("CustomsTransportDocumentInUse", key, export_id):
        clearance.lodge(EXPORT, exporter, again, {"from": declarant})


def test_the_same_number_from_another_carrier_is_another_document(
    clearance, lodge_export, carrier, second_carrier
):
    bill = new_bill_of_lading()

    mine = lodge_export(bill)
    theirs = lodge_export(bill, carrier=second_carrier)

    assert bill_key(bill, carrier) != bill_key(bill, second_carrier)
    assert uses(clearance, bill_key(bill, carrier)) == (mine, 0)
    assert uses(clearance, bill_key(bill, second_carrier)) == (theirs, 0)


def test_a_participant_with_the_carrier_role_among_others_can_be_named(
    clearance, registry, customs, lodge_export, newcomers
):
    shipping_line = newcomers[3]
    registry.registerParticipant(shipping_line, EXPORTER | CARRIER, {"from": customs})
    bill = new_bill_of_lading()

    declaration_id = lodge_export(bill, carrier=shipping_line)

    assert uses(clearance, bill_key(bill, shipping_line)) == (declaration_id, 0)


def test_an_amendment_may_write_its_own_bill_differently(clearance, declarant, lodge_export):
    bill = new_bill_of_lading()
    declaration_id = lodge_export(bill)

    tx = clearance.amend(
        declaration_id,
        content(flow=EXPORT, bill_of_lading=_written(bill, "as printed"), freight=1_000),
        {"from": declarant},
    )

    assert tx.events["DeclarationAmended"]["id"] == declaration_id
    assert record(clearance, declaration_id)["status"] == LODGED
    assert uses(clearance, bill_key(bill)) == (declaration_id, 0)
