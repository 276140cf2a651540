// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {IAllianceRegistry} from "../../interfaces/IAllianceRegistry.sol";
import {IBankingCalendar} from "../../interfaces/IBankingCalendar.sol";
import {ICustomsClearanceView} from "../../interfaces/ICustomsClearance.sol";
import {ILetterOfCredit} from "../../interfaces/ILetterOfCredit.sol";
import {ShanghaiDays} from "./ShanghaiDays.sol";

/// @title Documentary credits under UCP 600, escrowed and settled in the CNY deposit token.
/// @notice See {ILetterOfCredit}. Two state machines per credit: its `Status`
/// (Applied -> Issued -> Cancelled | Expired, or Applied -> Withdrawn) and the `Exam` of its
/// latest presentation (Presented -> Refused -> Waived -> Honoured, Presented -> Honoured).
/// Each moves in one place (`_moveStatus`, `_moveExam`) that checks the transition, and every
/// function that moves money ends with the escrow check `_checkEscrow`: while a credit is
/// issued, its escrow covers everything still drawable.
/// @dev Money moves only between the issuing bank's operators, this contract, and the payee of
/// an honoured presentation (the beneficiary, the nominated bank that presented, or whoever
/// bought a deferred claim). The token is the alliance's own ERC20 (no transfer hooks), fixed at
/// construction, and every function follows checks-effects-interactions, so no reentrancy
/// guard is spent.
///
/// Choices:
/// - Calendar and banking days are Shanghai days (UTC+8, {ShanghaiDays}); the banking calendar
///   is a separate contract the alliance changes by vote ({IBankingCalendar}); only future days
///   of it can change, and never more than 16 closed days in a row.
/// - Art. 14b, 33: the examination deadline is computed once, when the documents are
///   presented, and kept as `examWindow`: refusal, preclusion and the waiver's deadline read it,
///   never the live calendar. A presentation on a closed day, or at or after the calendar's
///   CLOSE_OF_BUSINESS (17:00 Shanghai) on a banking day, counts as made on the next banking
///   day; one before opening counts as made that day. The chain accepts a presentation at any
///   hour up to its last moment (the 21-day and expiry rules are not moved by banking hours).
/// - Art. 29a: an expiry or a 21st day after shipment that falls on a day the banks are closed
///   moves to the end of the first following banking day, for presentation (and so for the
///   release of an expired credit's escrow). The calendar is asked only once the unextended
///   moment has passed, so a timely presentation pays for no calendar call. Other acts (advice,
///   confirmation, proposing an amendment) end at the stated expiry.
/// - Art. 36: every clock stops while the alliance has paused the system (no one can act
///   then): a deadline `d` of a clock started at `s` has passed at `t` only when
///   `t > d + pausedBetween(s, t)`, asked of the registry only once `t > d`. The examination
///   clock starts at presentation, the 21-day clock at shipment on board, the expiry clock
///   38 days before expiry (see {ILetterOfCredit}).
/// - Art. 16b: seeking a waiver does not extend the examination period: after a waiver the
///   bank honours or declines it by the examination deadline; after it, it may still honour
///   but no longer decline, and the presenter may claim honour.
/// - Art. 10b: a confirming bank cannot block an amendment; if the beneficiary accepts one the
///   confirming bank did not agree to, the confirmation ends (the contract keeps one set of
///   terms; the bank may confirm the amended credit again).
/// - No bank examines its own presentation: a confirming bank that presented as nominated
///   bank leaves the examination to the issuing bank.
/// - Only the latest presentation is kept in storage (its details are in the events); a
///   deferred drawing is stored once honoured, as the obligation a financing bank can buy.
/// - The maturity of a deferred drawing counts from the presentation, not from the honour.
/// - A presentation under examination or waived holds the escrow past expiry; a refused one
///   does not: once the expired credit is released, a waiver is no longer possible.
contract LetterOfCredit is ILetterOfCredit {
    using SafeERC20 for IERC20;

    /// @dev A deferred-payment or acceptance drawing: the bank's obligation at maturity.
    struct Drawing {
        uint96 amount;
        uint64 maturity;
        bool settled;
        // -- slot
        address payee; // zero: the beneficiary
    }

    uint8 private constant _EXPORTER = 1;
    uint8 private constant _IMPORTER = 2;
    uint8 private constant _CARRIER = 4;

    uint256 private constant _BP = 10_000;
    /// @notice Tolerance cap: "about"/"approximately" means 10% (UCP 600 Art. 30a).
    uint16 public constant MAX_TOLERANCE_BP = 1000;
    /// @notice Calendar days after shipment to present (UCP 600 Art. 14c).
    uint256 public constant PRESENTATION_DAYS = 21;
    /// @notice Banking days after the day of presentation to examine (UCP 600 Art. 14b).
    uint256 public constant EXAMINATION_BANKING_DAYS = 5;
    /// @dev Art. 30c: with partial drawings forbidden and no tolerance stated, a single
    /// drawing may be this much short of the amount (5 %), unless the credit excludes it.
    uint16 private constant _SHORTFALL_BP = 500;
    /// @dev The expiry clock stops for pauses from this long before expiry (Art. 36): the
    /// longest a document stays presentable after its shipment (to the end of its 21st day,
    /// moved past at most 16 closed days, Art. 29a), so no document's own clock runs longer.
    uint256 private constant _EXPIRY_PAUSE_SPAN =
        (PRESENTATION_DAYS + 1 + ShanghaiDays.MAX_CLOSED_DAYS) * 1 days;
    /// @notice The only currency the escrow token settles.
    bytes3 public constant SETTLEMENT_CURRENCY = "CNY";

    IAllianceRegistry private immutable _registry;
    IERC20 private immutable _token;
    ICustomsClearanceView private immutable _customs;
    IBankingCalendar private immutable _calendar;

    uint256 private _creditCount;
    mapping(uint256 id => Credit) private _credits;
    mapping(uint256 id => Amendment) private _amendments;
    mapping(uint256 id => mapping(bytes32 transportDoc => uint64)) private _shippedOnBoard;
    mapping(uint256 id => mapping(uint32 drawingId => Drawing)) private _drawings;

    constructor(
        IAllianceRegistry registry_,
        IERC20 token_,
        ICustomsClearanceView customs_,
        IBankingCalendar calendar_
    ) {
        _registry = registry_;
        _token = token_;
        _customs = customs_;
        _calendar = calendar_;
    }

    // ================================================================ application, issuance

    /// @inheritdoc ILetterOfCredit
    function applyForCredit(Application calldata t) external returns (uint256 id) {
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

        id = ++_creditCount;
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

    /// @inheritdoc ILetterOfCredit
    function withdrawApplication(uint256 id) external {
        Credit storage c = _credit(id);
        _access(msg.sender);
        if (msg.sender != c.applicant) revert LetterOfCreditNotApplicant(id, msg.sender);
        _moveStatus(id, c, Status.Withdrawn);
        emit ApplicationWithdrawn(id);
    }

    /// @inheritdoc ILetterOfCredit
    function issue(uint256 id) external {
        Credit storage c = _checkIssuingBank(id);
        if (c.status != Status.Applied) revert LetterOfCreditWrongStatus(id, c.status);
        if (block.timestamp > c.expiry) revert LetterOfCreditExpired(id, c.expiry);

        // Art. 7b: the issuing bank is irrevocably bound from issuance, so the whole maximum
        // drawable amount (tolerance included, Art. 30a) goes into escrow now.
        uint96 max = _max(c.amount, c.toleranceBp);
        c.issuer = msg.sender;
        c.escrow = max;
        _moveStatus(id, c, Status.Issued);
        emit CreditIssued(id, c.issuingBank, msg.sender, max);
        _checkEscrow(id, c);

        _token.safeTransferFrom(msg.sender, address(this), max);
    }

    /// @inheritdoc ILetterOfCredit
    function advise(uint256 id) external {
        Credit storage c = _credit(id);
        (IAllianceRegistry.MemberKind kind, uint16 memberId,) = _access(msg.sender);
        if (!_operates(kind, memberId, c.advisingBank)) {
            revert LetterOfCreditNotAdvisingBank(id, msg.sender);
        }
        _checkOperative(id, c);
        if (c.advised) revert LetterOfCreditAlreadyAdvised(id);

        c.advised = true;
        emit CreditAdvised(id, memberId, msg.sender);
    }

    /// @inheritdoc ILetterOfCredit
    function confirm(uint256 id) external {
        Credit storage c = _credit(id);
        (IAllianceRegistry.MemberKind kind, uint16 memberId,) = _access(msg.sender);
        if (!_operates(kind, memberId, c.confirmingBank)) {
            revert LetterOfCreditNotConfirmingBank(id, msg.sender);
        }
        _checkOperative(id, c);
        if (c.confirmed) revert LetterOfCreditAlreadyConfirmed(id);

        // Art. 8b: the confirming bank is irrevocably bound from now on.
        c.confirmed = true;
        emit CreditConfirmed(id, memberId, msg.sender);
    }

    /// @inheritdoc ILetterOfCredit
    function updateIssuerAccount(uint256 id) external {
        Credit storage c = _checkIssuingBank(id);
        _checkIssued(id, c);

        address previous = c.issuer;
        c.issuer = msg.sender;
        emit IssuerAccountUpdated(id, previous, msg.sender);
    }

    // ============================================================== amendments (Art. 10)

    /// @inheritdoc ILetterOfCredit
    function proposeAmendment(
        uint256 id,
        uint128 amount,
        uint16 toleranceBp,
        uint64 latestShipment,
        uint64 expiry,
        bytes32 documents
    ) external returns (uint16 amendmentId) {
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

    /// @inheritdoc ILetterOfCredit
    function proposeCancellation(uint256 id) external returns (uint16 amendmentId) {
        Credit storage c = _checkProposal(id);

        amendmentId = ++c.amendments;
        // Art. 10a: a credit cannot be cancelled without the beneficiary's (and the confirming
        // bank's) agreement; the cancellation is proposed and accepted like an amendment.
        Amendment storage a = _amendments[id];
        a.proposer = msg.sender;
        a.kind = AmendmentKind.Cancel;
        emit AmendmentProposed(id, amendmentId, AmendmentKind.Cancel, 0, 0, 0, 0, 0, 0);
    }

    /// @inheritdoc ILetterOfCredit
    function agreeAmendment(uint256 id, uint16 amendmentId) external {
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

    /// @inheritdoc ILetterOfCredit
    function acceptAmendment(uint256 id, uint16 amendmentId) external {
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

    /// @inheritdoc ILetterOfCredit
    function rejectAmendment(uint256 id, uint16 amendmentId) external {
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

    // ========================================================== shipment and presentation

    /// @inheritdoc ILetterOfCredit
    function recordTransportDocument(uint256 id, bytes32 transportDoc, uint64 shippedOnBoard)
        external
    {
        Credit storage c = _credit(id);
        (,, uint8 roles) = _access(msg.sender);
        if (roles & _CARRIER == 0) revert LetterOfCreditNotCarrier(msg.sender);
        if (c.status != Status.Issued) revert LetterOfCreditWrongStatus(id, c.status);
        if (transportDoc == 0) revert LetterOfCreditMissingCommitment();
        if (_shippedOnBoard[id][transportDoc] != 0) {
            revert LetterOfCreditTransportDocumentExists(id, transportDoc);
        }
        if (shippedOnBoard == 0) revert LetterOfCreditBadDates(0, c.latestShipment);
        if (shippedOnBoard > block.timestamp) {
            revert LetterOfCreditShipmentInFuture(shippedOnBoard, uint64(block.timestamp));
        }
        // Art. 14c, 29c: the latest date for shipment is never extended.
        if (shippedOnBoard > c.latestShipment) {
            revert LetterOfCreditLateShipment(id, shippedOnBoard, c.latestShipment);
        }
        // Art. 31a: no second shipment when partial shipments are not allowed.
        if (c.shipped && !c.partialAllowed) revert LetterOfCreditPartialShipmentNotAllowed(id);

        _shippedOnBoard[id][transportDoc] = shippedOnBoard;
        if (!c.shipped) c.shipped = true;
        emit TransportDocumentRecorded(id, transportDoc, msg.sender, shippedOnBoard);
    }

    /// @inheritdoc ILetterOfCredit
    function present(
        uint256 id,
        uint128 amount,
        bytes32 transportDoc,
        uint256 declarationId,
        bytes32[] calldata documents
    ) external returns (uint32 presentationId) {
        Credit storage c = _credit(id);
        address presenter = _checkPresenter(id, c);
        if (c.status != Status.Issued) revert LetterOfCreditWrongStatus(id, c.status);
        // Art. 6d: no presentation after expiry; Art. 29a: unless the expiry day is closed;
        // Art. 36: nor for the time the system was paused.
        uint64 expiry = c.expiry;
        if (block.timestamp > expiry && block.timestamp > _expiryLastMoment(expiry)) {
            revert LetterOfCreditExpired(id, expiry);
        }
        if (_isOpen(c.exam)) revert LetterOfCreditUnderExamination(id, c.presentations);
        if (documents.length == 0) revert LetterOfCreditMissingCommitment();
        _checkShipment(id, transportDoc);
        _checkDrawing(id, c, amount);
        _checkDeclaration(declarationId, c.beneficiary);

        presentationId = ++c.presentations;
        c.presentedAt = uint40(block.timestamp);
        // Art. 14b, 33: the examination deadline is fixed now; no later calendar change moves
        // it. Fits: 6 banking days lie within 102 days (16 closed days in a row at most).
        c.examWindow = uint24(_examinationDeadline(block.timestamp) - block.timestamp);
        c.presentedAmount = uint96(amount); // fits: _checkDrawing bounds it by the maximum
        bool byBank = presenter != address(0);
        if (byBank) c.presenter = presenter;
        if (c.byNominatedBank != byBank) c.byNominatedBank = byBank;
        _moveExam(id, c, presentationId, Exam.Presented);
        emit DocumentsPresented(
            id, presentationId, msg.sender, amount, transportDoc, declarationId, documents
        );
    }

    // ================================================================= examination (Art. 16)

    /// @inheritdoc ILetterOfCredit
    function refuse(
        uint256 id,
        uint32 presentationId,
        uint16[] calldata discrepancies,
        bytes32 notice,
        Disposal disposal
    ) external {
        Credit storage c = _credit(id);
        uint16 bank = _checkExaminer(id, c);
        // Art. 16c: one single notice; a second refusal of the same presentation is not allowed.
        _checkLatest(id, c, presentationId, c.exam == Exam.Presented);
        // Art. 14b, 16d, 16f: refusal by the close of the fifth banking day following the day
        // of presentation, or the bank is precluded from claiming the presentation discrepant.
        (bool over, uint64 deadline) = _examinationOver(c);
        if (over) revert LetterOfCreditPrecluded(id, presentationId, deadline);
        // Art. 16c ii: the notice states each discrepancy; 16c iii: and what happens to the
        // documents.
        uint256 n = discrepancies.length;
        if (n == 0) revert LetterOfCreditNoDiscrepancies();
        for (uint256 i; i < n; ++i) {
            if (discrepancies[i] == 0) revert LetterOfCreditBadDiscrepancyCode(0);
        }
        if (notice == 0) revert LetterOfCreditMissingCommitment();
        if (disposal == Disposal.None) revert LetterOfCreditBadDisposal();

        c.disposal = disposal;
        _moveExam(id, c, presentationId, Exam.Refused);
        emit PresentationRefused(id, presentationId, bank, discrepancies, notice, disposal);
    }

    /// @inheritdoc ILetterOfCredit
    function waive(uint256 id, uint32 presentationId) external {
        Credit storage c = _credit(id);
        (,, uint8 roles) = _access(msg.sender);
        if (msg.sender != c.applicant) revert LetterOfCreditNotApplicant(id, msg.sender);
        if (roles & _IMPORTER == 0) revert LetterOfCreditNotImporter(msg.sender);
        _checkIssued(id, c);
        _checkLatest(id, c, presentationId, c.exam == Exam.Refused);
        // Art. 16b, 16c iii: a waiver needs documents the bank still holds.
        if (c.disposal == Disposal.Returning) {
            revert LetterOfCreditDocumentsReturned(id, presentationId);
        }

        _moveExam(id, c, presentationId, Exam.Waived);
        emit DiscrepanciesWaived(id, presentationId);
    }

    /// @inheritdoc ILetterOfCredit
    function declineWaiver(uint256 id, uint32 presentationId) external {
        Credit storage c = _credit(id);
        uint16 bank = _checkExaminer(id, c);
        _checkLatest(id, c, presentationId, c.exam == Exam.Waived);
        // Art. 16b: seeking a waiver does not extend the examination period.
        (bool over, uint64 deadline) = _examinationOver(c);
        if (over) revert LetterOfCreditPrecluded(id, presentationId, deadline);

        // Art. 16b: the bank is free to refuse the waiver; the documents go back.
        c.disposal = Disposal.Returning;
        _moveExam(id, c, presentationId, Exam.Refused);
        emit WaiverDeclined(id, presentationId, bank);
    }

    /// @inheritdoc ILetterOfCredit
    function honour(uint256 id, uint32 presentationId) external {
        Credit storage c = _credit(id);
        _checkExaminer(id, c);
        _checkLatest(id, c, presentationId, _isOpen(c.exam));

        _honour(id, c, presentationId, false);
    }

    /// @inheritdoc ILetterOfCredit
    function claimPrecluded(uint256 id, uint32 presentationId) external {
        Credit storage c = _credit(id);
        _access(msg.sender);
        _checkPresentation(id, c, presentationId);
        if (msg.sender != _presenter(c)) revert LetterOfCreditNotPresenter(id, msg.sender);
        _checkExam(id, c, presentationId, _isOpen(c.exam));
        // Art. 16f: a bank that neither honoured nor refused by the deadline must honour;
        // Art. 16b: so must one that neither honoured nor declined a waiver by then.
        (bool over, uint64 deadline) = _examinationOver(c);
        if (!over) revert LetterOfCreditNotPrecluded(id, presentationId, deadline);

        _honour(id, c, presentationId, true);
    }

    // ======================================================================= maturity, expiry

    /// @inheritdoc ILetterOfCredit
    function settleAtMaturity(uint256 id, uint32 drawingId) external {
        Credit storage c = _credit(id);
        _access(msg.sender);
        Drawing storage d = _drawing(id, drawingId);
        if (d.settled) revert LetterOfCreditAlreadySettled(id, drawingId);
        // Art. 7a iii, iv: a deferred payment undertaking or an accepted draft is paid at
        // maturity, not before.
        if (block.timestamp < d.maturity) {
            revert LetterOfCreditNotMature(id, drawingId, d.maturity);
        }

        uint96 amount = d.amount;
        address payee = _payee(c, d);
        d.settled = true;
        c.escrow -= amount;
        emit DrawingSettled(id, drawingId, payee, amount);
        _checkEscrow(id, c);

        _token.safeTransfer(payee, amount);
    }

    /// @inheritdoc ILetterOfCredit
    function transferClaim(uint256 id, uint32 drawingId, address newPayee) external {
        Credit storage c = _credit(id);
        _access(msg.sender);
        Drawing storage d = _drawing(id, drawingId);
        address payee = _payee(c, d);
        if (msg.sender != payee) revert LetterOfCreditNotPayee(id, drawingId, msg.sender);
        if (d.settled) revert LetterOfCreditAlreadySettled(id, drawingId);
        if (newPayee == payee || !_registry.canHoldTokens(newPayee)) {
            revert LetterOfCreditBadPayee(newPayee);
        }

        d.payee = newPayee;
        emit ClaimTransferred(id, drawingId, msg.sender, newPayee);
    }

    /// @inheritdoc ILetterOfCredit
    function releaseExpired(uint256 id) external {
        Credit storage c = _credit(id);
        _access(msg.sender);
        _checkIssued(id, c);
        // Art. 6d, 6e: no presentation can be made after expiry (extended past a closed day,
        // Art. 29a, and by the time the system was paused, Art. 36), so the undrawn escrow is
        // free.
        uint64 lastMoment = _expiryLastMoment(c.expiry);
        if (block.timestamp <= lastMoment) revert LetterOfCreditNotExpired(id, lastMoment);
        // A presentation made in time is still examined (and honoured) after expiry.
        if (_isOpen(c.exam)) revert LetterOfCreditUnderExamination(id, c.presentations);
        // Art. 10b: the issuing bank is bound by its amendment until the beneficiary decides;
        // an extension may be accepted after the old expiry, so it holds the escrow.
        Amendment memory a = _amendments[id];
        if (a.kind == AmendmentKind.Amend && a.expiry >= block.timestamp) {
            revert LetterOfCreditAmendmentPending(id, c.amendments);
        }

        uint96 release = _max(c.amount, c.toleranceBp) - c.drawn;
        address issuer = c.issuer;
        c.escrow -= release;
        _moveStatus(id, c, Status.Expired);
        emit CreditExpired(id);
        emit EscrowReleased(id, issuer, release);
        // A pending amendment lapses with the credit; its top-up goes back.
        uint96 refund;
        if (a.kind != AmendmentKind.None) {
            refund = _topUp(c, a);
            delete _amendments[id];
            emit AmendmentLapsed(id, c.amendments, refund);
        }

        if (release != 0) _token.safeTransfer(issuer, release);
        if (refund != 0) _token.safeTransfer(a.proposer, refund);
    }

    // ================================================================================= views

    /// @inheritdoc ILetterOfCredit
    function creditOf(uint256 id) external view returns (Credit memory) {
        return _credit(id);
    }

    /// @inheritdoc ILetterOfCredit
    function amendmentOf(uint256 id) external view returns (Amendment memory) {
        _credit(id);
        return _amendments[id];
    }

    /// @inheritdoc ILetterOfCredit
    function drawingOf(uint256 id, uint32 drawingId)
        external
        view
        returns (address payee, uint128 amount, uint64 maturity, bool settled)
    {
        Credit storage c = _credit(id);
        Drawing storage d = _drawing(id, drawingId);
        return (_payee(c, d), d.amount, d.maturity, d.settled);
    }

    /// @inheritdoc ILetterOfCredit
    function shippedOnBoardOf(uint256 id, bytes32 transportDoc) external view returns (uint64) {
        return _shippedOnBoard[id][transportDoc];
    }

    /// @inheritdoc ILetterOfCredit
    function creditCount() external view returns (uint256) {
        return _creditCount;
    }

    /// @inheritdoc ILetterOfCredit
    function maxDrawable(uint128 amount, uint16 toleranceBp) external pure returns (uint256) {
        return _maxDrawable(amount, toleranceBp);
    }

    /// @inheritdoc ILetterOfCredit
    function minDrawable(uint128 amount, uint16 toleranceBp) external pure returns (uint256) {
        return _minDrawable(amount, toleranceBp);
    }

    /// @inheritdoc ILetterOfCredit
    function presentationDeadline(uint64 shippedOnBoard) external view returns (uint64) {
        return _extended(_presentationDeadline(shippedOnBoard)) + _pausedSince(shippedOnBoard);
    }

    /// @inheritdoc ILetterOfCredit
    function presentationExpiry(uint256 id) external view returns (uint64) {
        uint64 expiry = _credit(id).expiry;
        return _extended(expiry) + _pausedSince(_expiryClockStart(expiry));
    }

    /// @inheritdoc ILetterOfCredit
    function examinationDeadline(uint64 presentedAt) external view returns (uint64) {
        return _examinationDeadline(presentedAt);
    }

    /// @notice The alliance registry, token, customs contract and banking calendar used.
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

    // ========================================================================= state machines

    /// @dev The one place a credit's status moves. Allowed: Applied -> Withdrawn | Issued,
    /// Issued -> Cancelled | Expired. Nothing leaves Withdrawn, Cancelled or Expired.
    function _moveStatus(uint256 id, Credit storage c, Status to) private {
        Status from = c.status;
        bool allowed = from == Status.Applied
            ? (to == Status.Withdrawn || to == Status.Issued)
            : (from == Status.Issued && (to == Status.Cancelled || to == Status.Expired));
        if (!allowed) revert LetterOfCreditWrongStatus(id, from);
        c.status = to;
    }

    /// @dev The one place the latest presentation's state moves. Allowed: None | Refused |
    /// Honoured -> Presented (a new presentation), Presented -> Refused (Art. 16), Refused ->
    /// Waived (Art. 16b), Waived -> Refused (waiver declined), Presented | Waived -> Honoured.
    function _moveExam(uint256 id, Credit storage c, uint32 presentationId, Exam to) private {
        Exam from = c.exam;
        bool allowed;
        if (to == Exam.Presented) allowed = !_isOpen(from);
        else if (to == Exam.Refused) allowed = from == Exam.Presented || from == Exam.Waived;
        else if (to == Exam.Waived) allowed = from == Exam.Refused;
        else if (to == Exam.Honoured) allowed = _isOpen(from);
        if (!allowed) revert LetterOfCreditWrongExam(id, presentationId, from);
        c.exam = to;
    }

    /// @dev The invariant: while a credit is issued its escrow covers all it may still pay,
    /// the undrawn maximum plus the honoured deferred drawings not yet settled.
    function _checkEscrow(uint256 id, Credit storage c) private view {
        if (c.status != Status.Issued) return;
        uint96 needed = _max(c.amount, c.toleranceBp) - c.drawn;
        if (c.escrow < needed) revert LetterOfCreditEscrowShort(id, c.escrow, needed);
    }

    // =============================================================================== internal

    function _honour(uint256 id, Credit storage c, uint32 presentationId, bool precluded)
        private
    {
        uint96 amount = c.presentedAmount;
        address payee = _presenter(c);
        c.drawn += amount;
        _moveExam(id, c, presentationId, Exam.Honoured);
        if (c.form == Honour.Sight) {
            c.escrow -= amount;
            emit PresentationHonoured(id, presentationId, payee, amount, 0, precluded);
            _checkEscrow(id, c);
            _token.safeTransfer(payee, amount);
        } else {
            // Art. 7a iii, iv: deferred payment and acceptance pay at maturity, fixed now and
            // counted from the moment of presentation so a slow examination cannot push it back.
            uint64 maturity = c.presentedAt + uint64(c.tenorDays) * 1 days;
            Drawing storage d = _drawings[id][presentationId];
            d.amount = amount;
            d.maturity = maturity;
            if (c.byNominatedBank) d.payee = payee;
            emit PresentationHonoured(id, presentationId, payee, amount, maturity, precluded);
            _checkEscrow(id, c);
        }
    }

    /// @dev The beneficiary, or an operator of the advising or confirming bank presenting for
    /// it as nominated bank; returns the nominated bank's operator, or zero for the beneficiary.
    function _checkPresenter(uint256 id, Credit storage c) private view returns (address) {
        (IAllianceRegistry.MemberKind kind, uint16 memberId, uint8 roles) = _access(msg.sender);
        if (msg.sender == c.beneficiary) {
            if (roles & _EXPORTER == 0) revert LetterOfCreditNotExporter(msg.sender);
            return address(0);
        }
        if (
            !_operates(kind, memberId, c.advisingBank)
                && !_operates(kind, memberId, c.confirmingBank)
        ) revert LetterOfCreditNotPresenter(id, msg.sender);
        return msg.sender;
    }

    /// @dev Art. 14c: presentation no later than 21 calendar days after the date of shipment
    /// (Shanghai days), extended past a closed day (Art. 29a); Art. 6d (never after expiry) is
    /// checked by the caller.
    function _checkShipment(uint256 id, bytes32 transportDoc) private view {
        uint64 shipped = _shippedOnBoard[id][transportDoc];
        if (shipped == 0) revert LetterOfCreditUnknownTransportDocument(id, transportDoc);
        uint64 lastMoment = _presentationDeadline(shipped);
        if (block.timestamp > lastMoment) {
            lastMoment = _extended(lastMoment);
            if (block.timestamp > lastMoment) {
                // Art. 36: the 21 days stop while the system was paused after the shipment.
                lastMoment += _pausedSince(shipped);
                if (block.timestamp > lastMoment) {
                    revert LetterOfCreditPresentationTooLate(id, shipped, lastMoment);
                }
            }
        }
    }

    /// @dev The last moment to present by expiry `expiry` as it stands now: extended past a
    /// closed day (Art. 29a) and, once that has passed, by the pauses of the expiry clock.
    function _expiryLastMoment(uint64 expiry) private view returns (uint64 lastMoment) {
        lastMoment = _extended(expiry);
        if (block.timestamp > lastMoment) lastMoment += _pausedSince(_expiryClockStart(expiry));
    }

    /// @dev The expiry clock stops for pauses from 38 days before `expiry` (Art. 36).
    function _expiryClockStart(uint64 expiry) private pure returns (uint256) {
        return expiry > _EXPIRY_PAUSE_SPAN ? expiry - _EXPIRY_PAUSE_SPAN : 0;
    }

    /// @dev Seconds the alliance has paused the system since `start` (Art. 36).
    function _pausedSince(uint256 start) private view returns (uint64) {
        return uint64(_registry.pausedBetween(start, block.timestamp));
    }

    /// @dev Whether the latest presentation's examination deadline has passed, and that
    /// deadline: fixed at presentation (Art. 14b, 33), stopped while paused (Art. 36). The
    /// registry is asked only once the fixed deadline has passed.
    function _examinationOver(Credit storage c) private view returns (bool, uint64 deadline) {
        uint64 presentedAt = c.presentedAt;
        unchecked {
            // A 40-bit time plus a 24-bit window plus seconds paused (< now): no overflow.
            deadline = presentedAt + c.examWindow;
            if (block.timestamp <= deadline) return (false, deadline);
            deadline += _pausedSince(presentedAt);
        }
        return (block.timestamp > deadline, deadline);
    }

    /// @dev Art. 29a: a last moment on a day the banks are closed moves to the end of the
    /// first following banking day; on a banking day it stays as it is.
    function _extended(uint64 lastMoment) private view returns (uint64) {
        return _calendar.extended(lastMoment);
    }

    /// @dev Art. 30 (tolerance) and 31 (partial drawings).
    function _checkDrawing(uint256 id, Credit storage c, uint128 amount) private view {
        if (amount == 0) revert LetterOfCreditZeroAmount();
        uint96 drawn = c.drawn;
        uint96 max = _max(c.amount, c.toleranceBp);
        if (!c.partialAllowed) {
            // Art. 31a: one drawing only, for the amount within the tolerance (Art. 30a).
            if (drawn != 0) revert LetterOfCreditPartialDrawingNotAllowed(id);
            uint16 tol = c.toleranceBp;
            uint96 min = uint96(_minDrawable(c.amount, tol));
            // Art. 30c: with no tolerance stated, up to 5 % short, unless the credit excludes
            // it (its flag is read only for a short drawing).
            if (amount < min && tol == 0 && !c.exactAmount) {
                min = uint96(_minDrawable(c.amount, _SHORTFALL_BP));
            }
            if (amount < min || amount > max) {
                revert LetterOfCreditOutsideTolerance(id, amount, min, max);
            }
        } else if (amount > max - drawn) {
            // Art. 30a: all drawings together never exceed the amount plus the tolerance.
            revert LetterOfCreditOverdrawn(id, amount, max - drawn);
        }
    }

    /// @dev The export declaration backing a presentation: released by customs, not flagged by
    /// a post-clearance audit, and declared by the beneficiary.
    function _checkDeclaration(uint256 declarationId, address beneficiary) private view {
        ICustomsClearanceView.DeclarationSummary memory s;
        try _customs.summaryOf(declarationId) returns (
            ICustomsClearanceView.DeclarationSummary memory summary
        ) {
            s = summary;
        } catch {
            revert LetterOfCreditUnknownDeclaration(declarationId);
        }
        if (s.flagged) revert LetterOfCreditDeclarationFlagged(declarationId);
        if (s.status != ICustomsClearanceView.Status.Released) {
            revert LetterOfCreditDeclarationNotReleased(declarationId, uint8(s.status));
        }
        if (s.flow != ICustomsClearanceView.Flow.Export) {
            revert LetterOfCreditDeclarationNotExport(declarationId);
        }
        if (s.trader != beneficiary) {
            revert LetterOfCreditDeclarationTraderMismatch(declarationId, s.trader);
        }
    }

    /// @dev Checks terms common to an application and an amendment; returns the maximum
    /// drawable amount.
    function _checkTerms(
        uint128 amount,
        uint16 toleranceBp,
        uint64 latestShipment,
        uint64 expiry,
        bytes32 documents
    ) private view returns (uint96) {
        if (amount == 0) revert LetterOfCreditZeroAmount();
        if (toleranceBp > MAX_TOLERANCE_BP) revert LetterOfCreditBadTolerance(toleranceBp);
        uint256 max = _maxDrawable(amount, toleranceBp);
        if (max > type(uint96).max) revert LetterOfCreditAmountTooLarge(max);
        // Art. 6d: a credit states an expiry date; shipment must be possible before it.
        if (
            expiry <= block.timestamp || latestShipment == 0 || latestShipment > expiry
                || expiry > type(uint40).max
        ) {
            revert LetterOfCreditBadDates(latestShipment, expiry);
        }
        if (documents == 0) revert LetterOfCreditMissingCommitment();
        return uint96(max);
    }

    /// @dev Credit `id`, called by an operator of its issuing bank.
    function _checkIssuingBank(uint256 id) private view returns (Credit storage c) {
        c = _credit(id);
        (IAllianceRegistry.MemberKind kind, uint16 memberId,) = _access(msg.sender);
        if (!_operates(kind, memberId, c.issuingBank)) {
            revert LetterOfCreditNotIssuingBank(id, msg.sender);
        }
    }

    function _checkProposal(uint256 id) private view returns (Credit storage c) {
        c = _checkIssuingBank(id);
        _checkOperative(id, c);
        if (_amendments[id].kind != AmendmentKind.None) {
            revert LetterOfCreditAmendmentPending(id, c.amendments);
        }
    }

    /// @dev The credit is issued (not an application, not cancelled or expired).
    function _checkIssued(uint256 id, Credit storage c) private view {
        if (c.status != Status.Issued) revert LetterOfCreditWrongStatus(id, c.status);
    }

    /// @dev The credit is issued and not expired (Art. 6d).
    function _checkOperative(uint256 id, Credit storage c) private view {
        _checkIssued(id, c);
        if (block.timestamp > c.expiry) revert LetterOfCreditExpired(id, c.expiry);
    }

    function _checkBeneficiary(uint256 id, Credit storage c) private view {
        (,, uint8 roles) = _access(msg.sender);
        if (msg.sender != c.beneficiary) revert LetterOfCreditNotBeneficiary(id, msg.sender);
        if (roles & _EXPORTER == 0) revert LetterOfCreditNotExporter(msg.sender);
    }

    /// @dev The issuing bank, or the confirming bank once it has confirmed (Art. 8, 14a), but
    /// not a confirming bank that made the latest presentation as nominated bank: no bank
    /// examines (and pays itself for) its own presentation.
    function _checkExaminer(uint256 id, Credit storage c) private view returns (uint16) {
        (IAllianceRegistry.MemberKind kind, uint16 memberId,) = _access(msg.sender);
        if (_operates(kind, memberId, c.issuingBank)) return memberId;
        if (!(c.confirmed && _operates(kind, memberId, c.confirmingBank))) {
            revert LetterOfCreditNotExaminingBank(id, msg.sender);
        }
        if (c.byNominatedBank) {
            // The nominated bank that presented is the advising or the confirming bank; an
            // operator the registry no longer knows counts as the confirming bank's (the
            // issuing bank can always examine).
            (, uint16 presenterBank,) = _access(c.presenter);
            if (presenterBank == memberId || presenterBank == 0) {
                revert LetterOfCreditOwnPresentation(id, memberId);
            }
        }
        return memberId;
    }

    /// @dev A pending amendment may still be agreed and accepted: an amendment until its new
    /// expiry, even after the credit's old one (Art. 10b: the issuing bank is bound by it from
    /// its proposal); a cancellation until the credit's expiry.
    function _checkAmendmentOpen(
        uint256 id,
        Credit storage c,
        AmendmentKind kind,
        uint64 latestShipment,
        uint64 expiry
    ) private view {
        if (kind == AmendmentKind.Cancel) {
            if (block.timestamp > c.expiry) revert LetterOfCreditExpired(id, c.expiry);
        } else if (expiry < block.timestamp) {
            revert LetterOfCreditBadDates(latestShipment, expiry);
        }
    }

    /// @dev `presentationId` is the latest presentation, and in a state the call needs.
    function _checkLatest(uint256 id, Credit storage c, uint32 presentationId, bool needed)
        private
        view
    {
        _checkPresentation(id, c, presentationId);
        _checkExam(id, c, presentationId, needed);
    }

    /// @dev Reverts with the latest presentation's state unless it is one the call needs.
    function _checkExam(uint256 id, Credit storage c, uint32 presentationId, bool needed)
        private
        view
    {
        if (!needed) revert LetterOfCreditWrongExam(id, presentationId, c.exam);
    }

    function _checkPresentation(uint256 id, Credit storage c, uint32 presentationId)
        private
        view
    {
        if (presentationId == 0 || presentationId != c.presentations) {
            revert LetterOfCreditUnknownPresentation(id, presentationId);
        }
    }

    function _pendingAmendment(uint256 id, Credit storage c, uint16 amendmentId)
        private
        view
        returns (Amendment storage a)
    {
        a = _amendments[id];
        if (a.kind == AmendmentKind.None || amendmentId != c.amendments) {
            revert LetterOfCreditNoSuchAmendment(id, amendmentId);
        }
    }

    /// @dev What an amendment's proposer paid in: the increase of the maximum drawable amount.
    /// The credit's terms cannot change while it is pending, so this is what was pulled.
    function _topUp(Credit storage c, Amendment memory a) private view returns (uint96) {
        if (a.kind != AmendmentKind.Amend) return 0;
        uint96 newMax = _max(a.amount, a.toleranceBp);
        uint96 oldMax = _max(c.amount, c.toleranceBp);
        return newMax > oldMax ? newMax - oldMax : 0;
    }

    /// @dev Registry access of `account`; reverts while the alliance has paused the system.
    function _access(address account)
        private
        view
        returns (IAllianceRegistry.MemberKind kind, uint16 memberId, uint8 roles)
    {
        bool paused;
        (kind, memberId, roles, paused) = _registry.accessOf(account);
        if (paused) revert LetterOfCreditPaused();
    }

    function _credit(uint256 id) private view returns (Credit storage c) {
        c = _credits[id];
        if (c.status == Status.None) revert LetterOfCreditUnknownCredit(id);
    }

    function _drawing(uint256 id, uint32 drawingId) private view returns (Drawing storage d) {
        d = _drawings[id][drawingId];
        if (d.amount == 0) revert LetterOfCreditUnknownDrawing(id, drawingId);
    }

    function _presenter(Credit storage c) private view returns (address) {
        return c.byNominatedBank ? c.presenter : c.beneficiary;
    }

    function _payee(Credit storage c, Drawing storage d) private view returns (address p) {
        p = d.payee;
        if (p == address(0)) p = c.beneficiary;
    }

    /// @dev Art. 14b, 33: the end of the fifth banking day following the day of presentation,
    /// where a presentation on a closed day or after the banks' close of business counts as
    /// made on the next banking day (the calendar keeps the banking hours).
    function _examinationDeadline(uint256 presentedAt) private view returns (uint64) {
        return _calendar.deadlineAfter(uint64(presentedAt), EXAMINATION_BANKING_DAYS);
    }

    function _isOpen(Exam e) private pure returns (bool) {
        return e == Exam.Presented || e == Exam.Waived;
    }

    /// @dev True if an account of `kind`/`memberId` operates for commercial bank `bank` (not 0).
    function _operates(IAllianceRegistry.MemberKind kind, uint16 memberId, uint16 bank)
        private
        pure
        returns (bool)
    {
        return bank != 0 && memberId == bank
            && kind == IAllianceRegistry.MemberKind.CommercialBank;
    }

    function _max(uint96 amount, uint16 toleranceBp) private pure returns (uint96) {
        // Fits: _checkTerms bounded it by type(uint96).max when the terms were set.
        return uint96(_maxDrawable(amount, toleranceBp));
    }

    function _maxDrawable(uint128 amount, uint16 toleranceBp) private pure returns (uint256) {
        return uint256(amount) * (_BP + toleranceBp) / _BP;
    }

    function _minDrawable(uint128 amount, uint16 toleranceBp) private pure returns (uint256) {
        // Rounded up: the lower tolerance bound is a floor the drawing must reach (Art. 30a).
        uint256 bp = toleranceBp > _BP ? 0 : _BP - toleranceBp;
        return (uint256(amount) * bp + _BP - 1) / _BP;
    }

    function _presentationDeadline(uint64 shippedOnBoard) private pure returns (uint64) {
        return uint64(ShanghaiDays.endOf(ShanghaiDays.dayOf(shippedOnBoard) + PRESENTATION_DAYS));
    }
}
