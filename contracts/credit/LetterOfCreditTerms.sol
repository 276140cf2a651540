// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {IAllianceRegistry} from "../../interfaces/IAllianceRegistry.sol";
import {IBankingCalendar} from "../../interfaces/IBankingCalendar.sol";
import {ICustomsClearanceView} from "../../interfaces/ICustomsClearance.sol";
import {LetterOfCreditBase} from "./LetterOfCreditBase.sol";

/// @title The terms of documentary credits: application and amendments (UCP 600 Art. 10).
/// @notice Never called directly: {LetterOfCredit} forwards `applyForCredit` and the amendment
/// functions here by DELEGATECALL, so this code runs in the credit contract's storage, with its
/// caller, and its events and errors are the credit contract's ({ILetterOfCredit}). Called
/// directly, every function reverts {LetterOfCreditNotDelegated}.
contract LetterOfCreditTerms is LetterOfCreditBase {
    using SafeERC20 for IERC20;

    address private immutable _self;

    constructor(
        IAllianceRegistry registry_,
        IERC20 token_,
        ICustomsClearanceView customs_,
        IBankingCalendar calendar_
    ) LetterOfCreditBase(registry_, token_, customs_, calendar_) {
        _self = address(this);
    }

    /// @notice See {ILetterOfCredit}; runs in the credit contract's storage.
    function applyForCredit(Application calldata t) external returns (uint256 id) {
        _checkDelegated();
        (,, uint8 roles) = _access(msg.sender);
        if (roles & _IMPORTER == 0) revert LetterOfCreditNotImporter(msg.sender);
        _checkTerms(t.amount, t.toleranceBp, t.latestShipment, t.expiry, t.documents);
        if (t.currency != SETTLEMENT_CURRENCY) revert LetterOfCreditUnsupportedCurrency(t.currency);
        if ((t.form == Honour.Sight) != (t.tenorDays == 0)) {
            revert LetterOfCreditBadTenor(t.form, t.tenorDays);
        }
        if (t.issuingBank == 0) revert LetterOfCreditBadBank(0);
        // A bank cannot advise or confirm its own credit.
        if (t.advisingBank == t.issuingBank) revert LetterOfCreditBadBank(t.advisingBank);
        if (t.confirmingBank == t.issuingBank) revert LetterOfCreditBadBank(t.confirmingBank);
        if (t.beneficiary == msg.sender) revert LetterOfCreditBadBeneficiary(t.beneficiary);
        (,, uint8 beneficiaryRoles,) = _registry.accessOf(t.beneficiary);
        if (beneficiaryRoles & _EXPORTER == 0) revert LetterOfCreditNotExporter(t.beneficiary);
        uint256 carrierCount = t.carriers.length;
        if (carrierCount == 0 || carrierCount > MAX_CARRIERS) {
            revert LetterOfCreditBadCarrierCount(carrierCount);
        }

        id = ++_creditCount;
        // Separation of duties: the credit names who records its shipments, and neither party
        // to the credit may be one (a beneficiary recording its own shipment is paid for it).
        for (uint256 i; i < carrierCount; ++i) {
            address carrier = t.carriers[i];
            if (carrier == address(0) || carrier == msg.sender || carrier == t.beneficiary) {
                revert LetterOfCreditBadCarrier(carrier);
            }
            _carriers[id][carrier] = true;
        }
        Credit storage c = _credits[id];
        c.applicant = msg.sender;
        c.issuingBank = t.issuingBank;
        c.advisingBank = t.advisingBank;
        c.confirmingBank = t.confirmingBank;
        c.status = Status.Applied;
        c.form = t.form;
        c.tenorDays = t.tenorDays;
        c.partialAllowed = t.partialAllowed;
        c.beneficiary = t.beneficiary;
        c.amount = uint96(t.amount); // fits: _checkTerms bounds the maximum drawable amount
        c.expiry = uint40(t.expiry); // fits: _checkTerms bounds it
        c.latestShipment = uint40(t.latestShipment);
        if (t.exactAmount) c.exactAmount = true;
        c.toleranceBp = t.toleranceBp;
        emit CreditApplied(id, msg.sender, t.beneficiary, t);
    }
    /// @notice See {ILetterOfCredit}; runs in the credit contract's storage.
    function proposeAmendment(
        uint256 id,
        uint128 amount,
        uint16 toleranceBp,
        uint64 latestShipment,
        uint64 expiry,
        bytes32 documents
    ) external returns (uint16 amendmentId) {
        _checkDelegated();
        Credit storage c = _checkProposal(id);
        uint96 newMax = _checkTerms(amount, toleranceBp, latestShipment, expiry, documents);
        if (newMax < c.drawn) revert LetterOfCreditBelowDrawn(id, newMax, c.drawn);
        uint96 oldMax = _max(c.amount, c.toleranceBp);
        uint96 topUp = newMax > oldMax ? newMax - oldMax : 0;

        amendmentId = ++c.amendments;
        // Art. 10a: the old terms stand until the beneficiary accepts; Art. 10b: the issuing
        // bank is bound by the amendment from now on (it cannot withdraw it).
        _amendments[id] = Amendment({
            amount: uint96(amount), // fits: bounded by newMax
            latestShipment: latestShipment,
            expiry: expiry,
            proposer: msg.sender,
            toleranceBp: toleranceBp,
            kind: AmendmentKind.Amend,
            agreedByConfirmingBank: false
        });
        emit AmendmentProposed(
            id,
            amendmentId,
            AmendmentKind.Amend,
            amount,
            toleranceBp,
            latestShipment,
            expiry,
            documents,
            topUp
        );

        // An increase is funded now and held apart, so acceptance can never lack funds.
        if (topUp != 0) _token.safeTransferFrom(msg.sender, address(this), topUp);
    }
    /// @notice See {ILetterOfCredit}; runs in the credit contract's storage.
    function proposeCancellation(uint256 id) external returns (uint16 amendmentId) {
        _checkDelegated();
        Credit storage c = _checkProposal(id);

        amendmentId = ++c.amendments;
        // Art. 10a: a credit cannot be cancelled without the beneficiary's (and the confirming
        // bank's) agreement; the cancellation is proposed and accepted like an amendment.
        Amendment storage a = _amendments[id];
        a.proposer = msg.sender;
        a.kind = AmendmentKind.Cancel;
        emit AmendmentProposed(id, amendmentId, AmendmentKind.Cancel, 0, 0, 0, 0, 0, 0);
    }
    /// @notice See {ILetterOfCredit}; runs in the credit contract's storage.
    function agreeAmendment(uint256 id, uint16 amendmentId) external {
        _checkDelegated();
        Credit storage c = _credit(id);
        (IAllianceRegistry.MemberKind kind, uint16 memberId,) = _access(msg.sender);
        if (!c.confirmed || !_operates(kind, memberId, c.confirmingBank)) {
            revert LetterOfCreditNotConfirmingBank(id, msg.sender);
        }
        _checkIssued(id, c);
        Amendment storage a = _pendingAmendment(id, c, amendmentId);
        _checkAmendmentOpen(id, c, a.kind, a.latestShipment, a.expiry);
        if (a.agreedByConfirmingBank) {
            revert LetterOfCreditAmendmentAlreadyAgreed(id, amendmentId);
        }

        a.agreedByConfirmingBank = true;
        emit AmendmentAgreed(id, amendmentId, memberId);
    }
    /// @notice See {ILetterOfCredit}; runs in the credit contract's storage.
    function acceptAmendment(uint256 id, uint16 amendmentId) external {
        _checkDelegated();
        Credit storage c = _credit(id);
        _checkBeneficiary(id, c);
        _checkIssued(id, c);
        Amendment memory a = _pendingAmendment(id, c, amendmentId);
        _checkAmendmentOpen(id, c, a.kind, a.latestShipment, a.expiry);
        // Art. 10a: a cancellation needs the confirming bank's agreement; an amendment does
        // not (Art. 10b), but without it the confirmation ends below.
        bool endsConfirmation = c.confirmed && !a.agreedByConfirmingBank;
        if (endsConfirmation && a.kind == AmendmentKind.Cancel) {
            revert LetterOfCreditAmendmentNotAgreed(id, amendmentId);
        }
        // The terms a presentation is examined against must not change under it.
        if (_isOpen(c.exam)) revert LetterOfCreditUnderExamination(id, c.presentations);

        uint96 oldMax = _max(c.amount, c.toleranceBp);
        uint96 newMax;
        if (a.kind == AmendmentKind.Amend) {
            newMax = _max(a.amount, a.toleranceBp);
            // Drawings honoured since the proposal may have used what the amendment removes.
            if (newMax < c.drawn) revert LetterOfCreditBelowDrawn(id, newMax, c.drawn);
        }

        uint96 release;
        delete _amendments[id];
        emit AmendmentAccepted(id, amendmentId);
        if (a.kind == AmendmentKind.Cancel) {
            // Everything not yet drawn goes back; honoured deferred drawings stay funded.
            release = oldMax - c.drawn;
            _moveStatus(id, c, Status.Cancelled);
            emit CreditCancelled(id);
        } else {
            c.amount = a.amount;
            c.toleranceBp = a.toleranceBp;
            c.latestShipment = uint40(a.latestShipment); // bounded by _checkTerms at proposal
            c.expiry = uint40(a.expiry);
            // The top-up pulled at proposal joins the escrow; a decrease is released now.
            if (newMax > oldMax) c.escrow += newMax - oldMax;
            else release = oldMax - newMax;
            if (endsConfirmation) {
                c.confirmed = false;
                emit ConfirmationEnded(id, amendmentId, c.confirmingBank);
            }
        }
        address issuer = c.issuer;
        if (release != 0) {
            c.escrow -= release;
            emit EscrowReleased(id, issuer, release);
        }
        _checkEscrow(id, c);

        if (release != 0) _token.safeTransfer(issuer, release);
    }
    /// @notice See {ILetterOfCredit}; runs in the credit contract's storage.
    function rejectAmendment(uint256 id, uint16 amendmentId) external {
        _checkDelegated();
        Credit storage c = _credit(id);
        (IAllianceRegistry.MemberKind kind, uint16 memberId, uint8 roles) = _access(msg.sender);
        if (msg.sender == c.beneficiary) {
            if (roles & _EXPORTER == 0) revert LetterOfCreditNotExporter(msg.sender);
        } else if (!c.confirmed || !_operates(kind, memberId, c.confirmingBank)) {
            revert LetterOfCreditNotBeneficiary(id, msg.sender);
        }
        _checkIssued(id, c);
        Amendment memory a = _pendingAmendment(id, c, amendmentId);
        // Art. 10b: a confirming bank may decline to extend its confirmation to an amendment
        // (by not agreeing to it), not stop it; only a cancellation needs its consent (10a).
        if (msg.sender != c.beneficiary && a.kind == AmendmentKind.Amend) {
            revert LetterOfCreditNotBeneficiary(id, msg.sender);
        }

        // Art. 10f: partial acceptance is rejection; a rejected amendment leaves the old terms.
        uint96 refund = _topUp(c, a);
        delete _amendments[id];
        emit AmendmentRejected(id, amendmentId, msg.sender, refund);

        if (refund != 0) _token.safeTransfer(a.proposer, refund);
    }

    /// @notice The contracts this code relies on (the credit contract checks they are its own).
    function dependencies()
        external
        view
        returns (
            IAllianceRegistry registry,
            IERC20 token,
            ICustomsClearanceView customs,
            IBankingCalendar calendar
        )
    {
        return (_registry, _token, _customs, _calendar);
    }

    function _checkDelegated() private view {
        if (address(this) == _self) revert LetterOfCreditNotDelegated();
    }
}
