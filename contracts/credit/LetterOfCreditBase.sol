// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {IAllianceRegistry} from "../../interfaces/IAllianceRegistry.sol";
import {IBankingCalendar} from "../../interfaces/IBankingCalendar.sol";
import {IFreezeList} from "../../interfaces/IFreezeList.sol";
import {ICustomsClearanceView} from "../../interfaces/ICustomsClearance.sol";
import {ILetterOfCreditTypes} from "../../interfaces/ILetterOfCredit.sol";
import {DocumentKeys} from "../common/DocumentKeys.sol";
import {ShanghaiDays} from "./ShanghaiDays.sol";

/// @title The storage, rules and state machines of the documentary credits.
/// @notice Shared by {LetterOfCredit} and {LetterOfCreditTerms}: the credit contract runs the
/// terms contract's code (application and amendments) in its own storage by DELEGATECALL, so
/// both must lay out storage identically; inheriting this one base is what guarantees it.
/// The split keeps the credit contract under the 24,576-byte code limit (EIP-170).
abstract contract LetterOfCreditBase is ILetterOfCreditTypes {
    using SafeERC20 for IERC20;

    /// @dev A deferred-payment or acceptance drawing: the bank's obligation at maturity.
    struct Drawing {
        uint96 amount;
        uint64 maturity;
        bool settled;
        uint64 declarationId; // the export declaration presented: the claim's trade
        // -- slot
        address payee; // zero: the beneficiary
    }

    uint8 internal constant _EXPORTER = 1;
    uint8 internal constant _IMPORTER = 2;
    uint8 internal constant _CARRIER = 4;

    uint256 internal constant _BP = 10_000;
    /// @notice Tolerance cap: "about"/"approximately" means 10% (UCP 600 Art. 30a).
    uint16 public constant MAX_TOLERANCE_BP = 1000;
    /// @notice Calendar days after shipment to present (UCP 600 Art. 14c).
    uint256 public constant PRESENTATION_DAYS = 21;
    /// @notice Banking days after the day of presentation to examine (UCP 600 Art. 14b).
    uint256 public constant EXAMINATION_BANKING_DAYS = 5;
    /// @dev Art. 30c: with partial drawings forbidden and no tolerance stated, a single
    /// drawing may be this much short of the amount (5 %), unless the credit excludes it.
    uint16 internal constant _SHORTFALL_BP = 500;
    /// @dev The expiry clock stops for pauses from this long before expiry (Art. 36): the
    /// longest a document stays presentable after its shipment (to the end of its 21st day,
    /// moved past at most 16 closed days, Art. 29a), so no document's own clock runs longer.
    uint256 internal constant _EXPIRY_PAUSE_SPAN =
        (PRESENTATION_DAYS + 1 + ShanghaiDays.MAX_CLOSED_DAYS) * 1 days;
    /// @notice A credit names at most this many carriers.
    uint256 public constant MAX_CARRIERS = 4;
    /// @notice The only currency the escrow token settles.
    bytes3 public constant SETTLEMENT_CURRENCY = "CNY";

    IAllianceRegistry internal immutable _registry;
    IERC20 internal immutable _token;
    ICustomsClearanceView internal immutable _customs;
    IBankingCalendar internal immutable _calendar;

    uint256 internal _creditCount;
    mapping(uint256 id => Credit) internal _credits;
    mapping(uint256 id => Amendment) internal _amendments;
    mapping(uint256 id => mapping(bytes32 transportDoc => uint64)) internal _shippedOnBoard;
    mapping(uint256 id => mapping(uint32 drawingId => Drawing)) internal _drawings;
    mapping(uint256 id => mapping(address carrier => bool)) internal _carriers;

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

    // ========================================================================= state machines

    /// @dev The one place a credit's status moves. Allowed: Applied -> Withdrawn | Issued,
    /// Issued -> Cancelled | Expired. Nothing leaves Withdrawn, Cancelled or Expired.
    function _moveStatus(uint256 id, Credit storage c, Status to) internal {
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
    function _moveExam(uint256 id, Credit storage c, uint32 presentationId, Exam to) internal {
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
    function _checkEscrow(uint256 id, Credit storage c) internal view {
        if (c.status != Status.Issued) return;
        uint96 needed = _max(c.amount, c.toleranceBp) - c.drawn;
        if (c.escrow < needed) revert LetterOfCreditEscrowShort(id, c.escrow, needed);
    }

    // =============================================================================== internal

    function _honour(uint256 id, Credit storage c, uint32 presentationId, bool precluded)
        internal
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
            d.declarationId = c.presentedDeclaration;
            if (c.byNominatedBank) d.payee = payee;
            emit PresentationHonoured(id, presentationId, payee, amount, maturity, precluded);
            _checkEscrow(id, c);
        }
    }

    /// @dev The beneficiary, or an operator of the advising or confirming bank presenting for
    /// it as nominated bank; returns the nominated bank's operator, or zero for the beneficiary.
    function _checkPresenter(uint256 id, Credit storage c) internal view returns (address) {
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
    function _checkShipment(uint256 id, bytes32 transportDoc) internal view {
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
    function _expiryLastMoment(uint64 expiry) internal view returns (uint64 lastMoment) {
        lastMoment = _extended(expiry);
        if (block.timestamp > lastMoment) lastMoment += _pausedSince(_expiryClockStart(expiry));
    }

    /// @dev The expiry clock stops for pauses from 38 days before `expiry` (Art. 36).
    function _expiryClockStart(uint64 expiry) internal pure returns (uint256) {
        return expiry > _EXPIRY_PAUSE_SPAN ? expiry - _EXPIRY_PAUSE_SPAN : 0;
    }

    /// @dev Seconds the alliance has paused the system since `start` (Art. 36).
    function _pausedSince(uint256 start) internal view returns (uint64) {
        return uint64(_registry.pausedBetween(start, block.timestamp));
    }

    /// @dev Whether the latest presentation's examination deadline has passed, and that
    /// deadline: fixed at presentation (Art. 14b, 33), stopped while paused (Art. 36). The
    /// registry is asked only once the fixed deadline has passed.
    function _examinationOver(Credit storage c) internal view returns (bool, uint64 deadline) {
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
    function _extended(uint64 lastMoment) internal view returns (uint64) {
        return _calendar.extended(lastMoment);
    }

    /// @dev Art. 30 (tolerance) and 31 (partial drawings).
    function _checkDrawing(uint256 id, Credit storage c, uint128 amount) internal view {
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
    function _checkDeclaration(uint256 declarationId, address beneficiary) internal view {
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
        // The declaration's value is what a drawing uses up: it must be in the credit's money.
        if (s.currency != SETTLEMENT_CURRENCY) {
            revert LetterOfCreditDeclarationCurrencyMismatch(declarationId, s.currency);
        }
        if (declarationId > type(uint48).max) revert LetterOfCreditUnknownDeclaration(declarationId);
    }

    /// @dev The latest presentation's documents went back: give its declaration's value back.
    function _returnValue(Credit storage c) internal {
        _customs.restore(c.presentedDeclaration, c.presentedAmount);
    }

    /// @dev Checks terms common to an application and an amendment; returns the maximum
    /// drawable amount.
    function _checkTerms(
        uint128 amount,
        uint16 toleranceBp,
        uint64 latestShipment,
        uint64 expiry,
        bytes32 documents
    ) internal view returns (uint96) {
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
    function _checkIssuingBank(uint256 id) internal view returns (Credit storage c) {
        c = _credit(id);
        (IAllianceRegistry.MemberKind kind, uint16 memberId,) = _access(msg.sender);
        if (!_operates(kind, memberId, c.issuingBank)) {
            revert LetterOfCreditNotIssuingBank(id, msg.sender);
        }
    }

    function _checkProposal(uint256 id) internal view returns (Credit storage c) {
        c = _checkIssuingBank(id);
        _checkOperative(id, c);
        if (_amendments[id].kind != AmendmentKind.None) {
            revert LetterOfCreditAmendmentPending(id, c.amendments);
        }
    }

    /// @dev The credit is issued (not an application, not cancelled or expired).
    function _checkIssued(uint256 id, Credit storage c) internal view {
        if (c.status != Status.Issued) revert LetterOfCreditWrongStatus(id, c.status);
    }

    /// @dev The credit is issued and not expired (Art. 6d).
    function _checkOperative(uint256 id, Credit storage c) internal view {
        _checkIssued(id, c);
        if (block.timestamp > c.expiry) revert LetterOfCreditExpired(id, c.expiry);
    }

    function _checkBeneficiary(uint256 id, Credit storage c) internal view {
        (,, uint8 roles) = _access(msg.sender);
        if (msg.sender != c.beneficiary) revert LetterOfCreditNotBeneficiary(id, msg.sender);
        if (roles & _EXPORTER == 0) revert LetterOfCreditNotExporter(msg.sender);
    }

    /// @dev The issuing bank, or the confirming bank once it has confirmed (Art. 8, 14a), but
    /// not a confirming bank that made the latest presentation as nominated bank: no bank
    /// examines (and pays itself for) its own presentation.
    function _checkExaminer(uint256 id, Credit storage c) internal view returns (uint16) {
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
    ) internal view {
        if (kind == AmendmentKind.Cancel) {
            if (block.timestamp > c.expiry) revert LetterOfCreditExpired(id, c.expiry);
        } else if (expiry < block.timestamp) {
            revert LetterOfCreditBadDates(latestShipment, expiry);
        }
    }

    /// @dev `presentationId` is the latest presentation, and in a state the call needs.
    function _checkLatest(uint256 id, Credit storage c, uint32 presentationId, bool needed)
        internal
        view
    {
        _checkPresentation(id, c, presentationId);
        _checkExam(id, c, presentationId, needed);
    }

    /// @dev Reverts with the latest presentation's state unless it is one the call needs.
    function _checkExam(uint256 id, Credit storage c, uint32 presentationId, bool needed)
        internal
        view
    {
        if (!needed) revert LetterOfCreditWrongExam(id, presentationId, c.exam);
    }

    function _checkPresentation(uint256 id, Credit storage c, uint32 presentationId)
        internal
        view
    {
        if (presentationId == 0 || presentationId != c.presentations) {
            revert LetterOfCreditUnknownPresentation(id, presentationId);
        }
    }

    function _pendingAmendment(uint256 id, Credit storage c, uint16 amendmentId)
        internal
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
    function _topUp(Credit storage c, Amendment memory a) internal view returns (uint96) {
        if (a.kind != AmendmentKind.Amend) return 0;
        uint96 newMax = _max(a.amount, a.toleranceBp);
        uint96 oldMax = _max(c.amount, c.toleranceBp);
        return newMax > oldMax ? newMax - oldMax : 0;
    }

    /// @dev Registry access of `account`; reverts while the alliance has paused the system.
    function _access(address account)
        internal
        view
        returns (IAllianceRegistry.MemberKind kind, uint16 memberId, uint8 roles)
    {
        bool paused;
        (kind, memberId, roles, paused) = _registry.accessOf(account);
        if (paused) revert LetterOfCreditPaused();
    }

    function _credit(uint256 id) internal view returns (Credit storage c) {
        c = _credits[id];
        if (c.status == Status.None) revert LetterOfCreditUnknownCredit(id);
    }

    function _drawing(uint256 id, uint32 drawingId) internal view returns (Drawing storage d) {
        d = _drawings[id][drawingId];
        if (d.amount == 0) revert LetterOfCreditUnknownDrawing(id, drawingId);
    }

    function _presenter(Credit storage c) internal view returns (address) {
        return c.byNominatedBank ? c.presenter : c.beneficiary;
    }

    function _payee(Credit storage c, Drawing storage d) internal view returns (address p) {
        p = d.payee;
        if (p == address(0)) p = c.beneficiary;
    }

    /// @dev Art. 14b, 33: the end of the fifth banking day following the day of presentation,
    /// where a presentation on a closed day or after the banks' close of business counts as
    /// made on the next banking day (the calendar keeps the banking hours).
    function _examinationDeadline(uint256 presentedAt) internal view returns (uint64) {
        return _calendar.deadlineAfter(uint64(presentedAt), EXAMINATION_BANKING_DAYS);
    }

    function _isFrozen(address account) internal view returns (bool) {
        return IFreezeList(address(_token)).isFrozen(account);
    }

    function _isOpen(Exam e) internal pure returns (bool) {
        return e == Exam.Presented || e == Exam.Waived;
    }

    /// @dev True if an account of `kind`/`memberId` operates for commercial bank `bank` (not 0).
    function _operates(IAllianceRegistry.MemberKind kind, uint16 memberId, uint16 bank)
        internal
        pure
        returns (bool)
    {
        return bank != 0 && memberId == bank
            && kind == IAllianceRegistry.MemberKind.CommercialBank;
    }

    function _max(uint96 amount, uint16 toleranceBp) internal pure returns (uint96) {
        // Fits: _checkTerms bounded it by type(uint96).max when the terms were set.
        return uint96(_maxDrawable(amount, toleranceBp));
    }

    function _maxDrawable(uint128 amount, uint16 toleranceBp) internal pure returns (uint256) {
        return uint256(amount) * (_BP + toleranceBp) / _BP;
    }

    function _minDrawable(uint128 amount, uint16 toleranceBp) internal pure returns (uint256) {
        // Rounded up: the lower tolerance bound is a floor the drawing must reach (Art. 30a).
        uint256 bp = toleranceBp > _BP ? 0 : _BP - toleranceBp;
        return (uint256(amount) * bp + _BP - 1) / _BP;
    }

    function _presentationDeadline(uint64 shippedOnBoard) internal pure returns (uint64) {
        return uint64(ShanghaiDays.endOf(ShanghaiDays.dayOf(shippedOnBoard) + PRESENTATION_DAYS));
    }
}
