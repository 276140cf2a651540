// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {IAllianceRegistry} from "../../interfaces/IAllianceRegistry.sol";
import {IBankingCalendar} from "../../interfaces/IBankingCalendar.sol";
import {IFreezeList} from "../../interfaces/IFreezeList.sol";
import {ICustomsClearanceView} from "../../interfaces/ICustomsClearance.sol";
import {ILetterOfCredit} from "../../interfaces/ILetterOfCredit.sol";
import {DocumentKeys} from "../common/DocumentKeys.sol";
import {LetterOfCreditBase} from "./LetterOfCreditBase.sol";
import {LetterOfCreditTerms} from "./LetterOfCreditTerms.sol";
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
contract LetterOfCredit is LetterOfCreditBase, ILetterOfCredit {
    using SafeERC20 for IERC20;

    /// @dev Runs application and amendments; same storage layout (see {LetterOfCreditBase}).
    address private immutable _terms;

    constructor(
        IAllianceRegistry registry_,
        IERC20 token_,
        ICustomsClearanceView customs_,
        IBankingCalendar calendar_,
        LetterOfCreditTerms terms_
    ) LetterOfCreditBase(registry_, token_, customs_, calendar_) {
        (IAllianceRegistry r, IERC20 t, ICustomsClearanceView c, IBankingCalendar k) =
            terms_.dependencies();
        if (r != registry_ || t != token_ || c != customs_ || k != calendar_) {
            revert LetterOfCreditBadTerms(address(terms_));
        }
        _terms = address(terms_);
    }


    // ================================================================ application, issuance

    /// @inheritdoc ILetterOfCredit
    function applyForCredit(Application calldata t) external returns (uint256 id) {
        _delegateToTerms();
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
        _delegateToTerms();
    }


    /// @inheritdoc ILetterOfCredit
    function proposeCancellation(uint256 id) external returns (uint16 amendmentId) {
        _delegateToTerms();
    }


    /// @inheritdoc ILetterOfCredit
    function agreeAmendment(uint256 id, uint16 amendmentId) external {
        _delegateToTerms();
    }


    /// @inheritdoc ILetterOfCredit
    function acceptAmendment(uint256 id, uint16 amendmentId) external {
        _delegateToTerms();
    }


    /// @inheritdoc ILetterOfCredit
    function rejectAmendment(uint256 id, uint16 amendmentId) external {
        _delegateToTerms();
    }


    // ========================================================== shipment and presentation

    /// @inheritdoc ILetterOfCredit
    function recordTransportDocument(
        uint256 id,
        bytes32 number,
        uint64 shippedOnBoard,
        bytes32 voyage
    ) external returns (bytes32 transportDoc) {
        Credit storage c = _credit(id);
        (,, uint8 roles) = _access(msg.sender);
        if (roles & _CARRIER == 0) revert LetterOfCreditNotCarrier(msg.sender);
        if (!_carriers[id][msg.sender]) revert LetterOfCreditNotNamedCarrier(id, msg.sender);
        if (c.status != Status.Issued) revert LetterOfCreditWrongStatus(id, c.status);
        // The key customs registered the shipment under: this carrier and this number.
        transportDoc = DocumentKeys.key(msg.sender, number);
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
        // Art. 31a: no second shipment when partial shipments are not allowed; Art. 31b: more
        // transport documents for the same vessel and voyage are one shipment. The tag is 24
        // bits of the normalised voyage's hash: the named carrier is trusted for the voyage it
        // states anyway, so the tag only has to tell honest voyages apart.
        uint24 tag = uint24(uint256(keccak256(abi.encode(DocumentKeys.normalise(voyage))))) | 1;
        uint24 first = c.voyage;
        if (first != 0 && first != tag && !c.partialAllowed) {
            revert LetterOfCreditPartialShipmentNotAllowed(id);
        }

        _shippedOnBoard[id][transportDoc] = shippedOnBoard;
        if (first == 0) c.voyage = tag;
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
        // Documents held after a refusal give way to the new presentation: what the refused
        // one consumed of its declaration goes back before the new one consumes (customs is
        // the alliance's own contract and calls nothing back).
        if (c.exam == Exam.Refused && c.disposal != Disposal.Returning) _returnValue(c);

        presentationId = ++c.presentations;
        c.presentedDeclaration = uint48(declarationId); // _checkDeclaration bounds it
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

        // One shipment, one use: the presented amount uses the declaration's value (CNY, as
        // the credit), across every credit and financing, and the transport document presented
        // must be the one the declaration was lodged with.
        _customs.consume(declarationId, transportDoc, amount);
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
        // Documents going back free what the presentation consumed of its declaration.
        if (disposal == Disposal.Returning) _returnValue(c);
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
        _returnValue(c);
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
        (,, uint8 roles) = _access(msg.sender);
        Drawing storage d = _drawing(id, drawingId);
        address payee = _payee(c, d);
        if (msg.sender != payee) revert LetterOfCreditNotPayee(id, drawingId, msg.sender);
        if (d.settled) revert LetterOfCreditAlreadySettled(id, drawingId);
        // A claim stays in the alliance's register: it moves only into a system contract (the
        // trade finance contract, which books it against its declaration) or back out of one.
        // A suspended or frozen beneficiary cannot move it.
        bool fromSystem = _registry.isSystemContract(msg.sender);
        if (!fromSystem) {
            if (roles & _EXPORTER == 0) revert LetterOfCreditNotExporter(msg.sender);
            if (_isFrozen(msg.sender)) revert LetterOfCreditPayeeFrozen(msg.sender);
        }
        if (
            newPayee == payee || newPayee == address(this)
                || (!fromSystem && !_registry.isSystemContract(newPayee))
                || !_registry.canHoldTokens(newPayee)
        ) revert LetterOfCreditBadPayee(newPayee);

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
        // A refused presentation still held can no longer be waived: its value goes back.
        bool held = c.exam == Exam.Refused && c.disposal != Disposal.Returning;
        if (held) c.disposal = Disposal.Returning;
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

        if (held) _returnValue(c);
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
        returns (
            address payee,
            uint128 amount,
            uint64 maturity,
            bool settled,
            uint256 declarationId
        )
    {
        Credit storage c = _credit(id);
        Drawing storage d = _drawing(id, drawingId);
        return (_payee(c, d), d.amount, d.maturity, d.settled, d.declarationId);
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

    /// @notice The contract whose code runs application and amendments for this one.
    function terms() external view returns (address) {
        return _terms;
    }

    /// @dev Run the terms contract's code for this call in this contract's storage and return
    /// (or revert) with what it returned: its events and errors are this contract's.
    /// The forwarders name their parameters (the ABI the tools read has the names) and leave
    /// them to the terms contract, which decodes the same calldata.
    function _delegateToTerms() private {
        address target = _terms;
        assembly ("memory-safe") {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), target, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) { revert(0, returndatasize()) }
            return(0, returndatasize())
        }
    }
}
