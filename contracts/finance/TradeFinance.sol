// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

import {IAllianceRegistry} from "../../interfaces/IAllianceRegistry.sol";
import {ICustomsClearanceView} from "../../interfaces/ICustomsClearance.sol";
import {ILetterOfCredit} from "../../interfaces/ILetterOfCredit.sol";
import {AllianceRegistry} from "../alliance/AllianceRegistry.sol";
import {ShanghaiDays} from "../credit/ShanghaiDays.sol";

/// @title Cross-border RMB receivables financing that never finances the same trade twice.
/// @notice An exporter asks a member bank to finance a receivable of a customs-released export
/// declaration (with a salted invoice commitment, optionally backed by the claim under a
/// deferred-payment or acceptance drawing of a letter of credit); the bank approves an amount and
/// pays it out in the same transaction. One financing book per declaration is kept across all
/// banks: what all banks together have financed against a declaration never exceeds its declared
/// value (converted into CNY at the central bank's reference rate of the day of each financing),
/// an invoice commitment is financed at most once ever, and a flagged declaration, or one under a
/// post-clearance audit, cannot be financed (loans already made stay). Repayments go to the bank
/// first and the rest to the exporter; a loan past its due date may be marked overdue and then
/// written off, and what it consumed of its declaration stays consumed.
///
/// Flows:
/// - Loan: `requestFinancing` (exporter) -> `approveFinancing` (bank; pays out) -> `repay`
///   (anyone, e.g. the importer) ... -> Repaid; or -> `markOverdue` (anyone) -> `writeOff` (bank).
/// - Loan in one transaction: the exporter signs a {FinancingRequest} (EIP-712) off-chain and
///   the bank submits it with `financeWithSignature`, which records, approves and pays out at
///   once under the same rules. A replayed request is refused because its invoice is financed.
/// - Loan against a credit: `requestFinancingAgainstCredit` while the exporter is the drawing's
///   payee; the exporter then calls `LetterOfCredit.transferClaim(creditId, drawingId, this)`;
///   `approveFinancing` requires this contract to be the payee; at maturity anyone calls
///   `collectFromCredit`, which settles the drawing and splits it: bank first, rest to exporter.
/// - Discount: `requestDiscount` (exporter, with its lowest price) and `transferClaim` to this
///   contract as above; the bank calls `discount(creditId, drawingId, price)`, which pays the
///   price to the exporter; at maturity `collectFromCredit` pays the whole drawing to the bank.
///   A claim this contract holds for a request that is cancelled or declined goes back to the
///   exporter in the same transaction. Doing it in this order (commit while still payee, then
///   hand over) is what proves that the exporter owned the claim it pledges.
///
/// @dev Amounts are in fen. Reference rates are CNY fen per one minor unit of the foreign
/// currency, scaled by `RATE_SCALE` (1e8): USD at 7.1234 CNY is 712_340_000 (1 cent = 7.1234
/// fen). A day is a Shanghai day number, `(timestamp + 8 h) / 1 day` ({ShanghaiDays}). The
/// declaration's book counts CNY financed and, separately, how much of the declared value (in
/// its own currency) the financings consumed, so financings on different days at different
/// rates still never exceed the declared value: a financing of A fen at rate r consumes
/// ceil(A * 1e8 / r) minor units and may not consume more than is left.
/// The token, customs and credit contracts are the alliance's own, fixed at construction; every
/// function follows checks-effects-interactions, so no reentrancy guard is spent.
/// Storage per financing: two slots, a third only for a credit claim; the invoice is kept once,
/// as the key of the invoice register (and, while a request waits for its bank, by request id).
/// The reference rate a financing used is in its {FinancingApproved} event, not in storage.
contract TradeFinance is EIP712 {
    using SafeERC20 for IERC20;

    enum Status {
        None,
        Requested,
        Active,
        Overdue,
        Repaid,
        Defaulted,
        Cancelled,
        Declined
    }

    /// @dev Two slots; the third only for a request backed by a credit. Amounts are fen in
    /// 64 bits (1.8e17 fen: no trade comes near; larger inputs revert), due dates in 40 bits
    /// (seconds until the year 36812).
    struct Financing {
        address exporter;
        uint16 bank; // member id of the financing bank
        Status status;
        bool discount; // a discounted credit claim: everything collected goes to the bank
        bool claimHeld; // this contract holds the drawing's claim for this financing
        bool backed; // backed by a credit claim (creditId, drawingId are set)
        uint40 dueDate;
        // -- slot
        uint64 receivable; // face value financed against (fen): the invoice, or the drawing
        uint64 amount; // paid out (fen); for a requested discount, the exporter's lowest price
        uint64 repaid; // principal repaid (fen)
        uint64 declarationId;
        // -- slot (credit only)
        uint128 creditId; // 0: no credit
        uint32 drawingId;
    }

    /// @notice What an exporter signs (EIP-712) to have bank `bank` finance a receivable in one
    /// transaction ({financeWithSignature}); the bank must submit it by `deadline`.
    struct FinancingRequest {
        uint256 declarationId;
        uint16 bank;
        bytes32 invoice;
        uint128 receivable;
        uint64 dueDate;
        uint64 deadline;
    }

    /// @dev The book of one declaration, exporter or bank, in fen: one slot. 64 bits hold
    /// 1.8e17 CNY, more than any book can reach (a sum that did would revert, not wrap).
    struct Book {
        uint64 financed;
        uint64 repaid;
        uint64 overdue;
        uint64 writtenOff;
    }

    struct BankTerms {
        uint16 advanceRatioBp; // 0: not set, the bank does not finance
        address account; // receives the bank's share of repayments
    }

    bytes32 private constant _REQUEST_TYPEHASH = keccak256(
        "FinancingRequest(uint256 declarationId,uint16 bank,bytes32 invoice,uint128 receivable,"
        "uint64 dueDate,uint64 deadline)"
    );
    uint8 private constant _EXPORTER = 1;
    uint256 private constant _BP = 10_000;
    /// @notice Reference rates are CNY fen per minor unit of the currency times this.
    uint64 public constant RATE_SCALE = 1e8;
    bytes3 public constant CNY = "CNY";

    AllianceRegistry private immutable _registry;
    IERC20 private immutable _token;
    ICustomsClearanceView private immutable _customs;
    ILetterOfCredit private immutable _credit;

    uint256 private _financingCount;
    mapping(uint256 id => Financing) private _financings;
    mapping(uint256 declarationId => Book) private _declarations;
    /// @dev Minor units of a foreign-currency declaration consumed by its financings (never 0
    /// once one is financed); for a CNY declaration it stays 0 and `financed` is the measure.
    mapping(uint256 declarationId => uint256) private _consumed;
    mapping(address exporter => Book) private _exporters;
    mapping(uint16 bank => Book) private _banks;
    mapping(uint16 bank => BankTerms) private _terms;
    mapping(bytes32 invoice => uint256 financingId) private _invoices;
    /// @dev A request's salted invoice commitment until it is approved, cancelled or declined.
    mapping(uint256 id => bytes32 invoice) private _requestedInvoices;
    mapping(uint256 creditId => mapping(uint32 drawingId => uint256 financingId)) private _claims;
    mapping(bytes3 currency => mapping(uint32 day => uint64 rate)) private _rates;

    event FinancingRequested(
        uint256 indexed id,
        uint256 indexed declarationId,
        address indexed exporter,
        uint16 bank,
        bytes32 invoice,
        uint128 receivable,
        uint64 dueDate,
        uint256 creditId,
        uint32 drawingId,
        bool discount,
        uint128 lowestPrice
    );
    event FinancingCancelled(uint256 indexed id, address indexed exporter);
    event FinancingDeclined(uint256 indexed id, uint16 indexed bank, address indexed operator);
    event FinancingApproved(
        uint256 indexed id,
        uint256 indexed declarationId,
        uint16 indexed bank,
        address exporter,
        address operator,
        uint128 amount,
        uint64 rate,
        uint32 day,
        uint128 declarationFinanced,
        uint128 declarationConsumed
    );
    event ClaimDiscounted(
        uint256 indexed creditId, uint32 indexed drawingId, uint256 indexed id, uint128 price
    );
    event FinancingRepaid(
        uint256 indexed id,
        address indexed payer,
        uint16 indexed bank,
        uint128 toBank,
        uint128 toExporter,
        uint128 outstanding
    );
    event CreditCollected(
        uint256 indexed id,
        uint256 indexed creditId,
        uint32 indexed drawingId,
        uint128 toBank,
        uint128 toExporter,
        uint128 outstanding
    );
    event ClaimReturned(
        uint256 indexed id, uint256 indexed creditId, uint32 indexed drawingId, address exporter
    );
    event FinancingOverdue(uint256 indexed id, uint16 indexed bank, uint128 outstanding);
    event FinancingWrittenOff(
        uint256 indexed id, uint256 indexed declarationId, uint16 indexed bank, uint128 amount
    );
    event AdvanceRatioSet(uint16 indexed bank, uint16 advanceRatioBp, address indexed account);
    event ReferenceRateSet(bytes3 indexed currency, uint32 indexed day, uint64 rate, uint64 previous);

    error TradeFinancePaused();
    error TradeFinanceZeroAddress();
    error TradeFinanceNotExporter(address account);
    error TradeFinanceNotCommercialBank(address account);
    error TradeFinanceNotCentralBank(address account);
    error TradeFinanceNotLender(uint256 id, address account);
    error TradeFinanceNotRequester(uint256 id, address account);
    error TradeFinanceUnknownFinancing(uint256 id);
    error TradeFinanceWrongStatus(uint256 id, Status status);
    error TradeFinanceUnknownBank(uint16 bank);
    error TradeFinanceUnknownDeclaration(uint256 declarationId);
    error TradeFinanceDeclarationNotExport(uint256 declarationId);
    error TradeFinanceDeclarationNotReleased(uint256 declarationId, ICustomsClearanceView.Status status);
    error TradeFinanceDeclarationFlagged(uint256 declarationId);
    error TradeFinanceDeclarationUnderAudit(uint256 declarationId);
    error TradeFinanceNotTrader(uint256 declarationId, address trader);
    error TradeFinanceMissingInvoice();
    error TradeFinanceInvoiceAlreadyFinanced(bytes32 invoice, uint256 financingId);
    error TradeFinanceZeroAmount();
    error TradeFinanceAmountTooLarge(uint256 amount);
    error TradeFinanceBadDueDate(uint64 dueDate);
    error TradeFinanceNotDue(uint256 id, uint64 dueDate);
    error TradeFinanceExceedsRemaining(uint256 declarationId, uint256 amount, uint256 remaining);
    error TradeFinanceAboveLimit(uint256 id, uint256 amount, uint256 limit);
    error TradeFinanceNoAdvanceRatio(uint16 bank);
    error TradeFinanceBadAdvanceRatio(uint16 advanceRatioBp);
    error TradeFinanceBadCurrency(bytes3 currency);
    error TradeFinanceBadRate(uint64 rate);
    error TradeFinanceFutureDay(uint32 day, uint32 today);
    error TradeFinanceNoReferenceRate(bytes3 currency, uint32 day);
    error TradeFinanceUnknownDrawing(uint256 creditId, uint32 drawingId);
    error TradeFinanceNotPayee(uint256 creditId, uint32 drawingId, address payee);
    error TradeFinanceDrawingSettled(uint256 creditId, uint32 drawingId);
    error TradeFinanceDrawingMatured(uint256 creditId, uint32 drawingId, uint64 maturity);
    error TradeFinanceClaimAlreadyLinked(uint256 creditId, uint32 drawingId, uint256 financingId);
    error TradeFinanceClaimNotTransferred(uint256 creditId, uint32 drawingId, address payee);
    error TradeFinanceNoClaim(uint256 id);
    error TradeFinanceClaimPending(uint256 id, uint256 creditId, uint32 drawingId);
    error TradeFinanceNotMature(uint256 creditId, uint32 drawingId, uint64 maturity);
    error TradeFinanceIsDiscount(uint256 id);
    error TradeFinanceNoDiscountOffer(uint256 creditId, uint32 drawingId);
    error TradeFinancePriceBelowAsk(uint256 id, uint256 price, uint256 lowestPrice);
    error TradeFinanceNotRequestedBank(uint16 bank, address account);
    error TradeFinanceRequestExpired(uint64 deadline);
    error TradeFinanceBadSignature(uint256 declarationId, address signer);

    constructor(
        AllianceRegistry registry_,
        IERC20 token_,
        ICustomsClearanceView customs_,
        ILetterOfCredit credit_
    ) EIP712("E-Port TradeFinance", "1") {
        if (
            address(registry_) == address(0) || address(token_) == address(0)
                || address(customs_) == address(0) || address(credit_) == address(0)
        ) revert TradeFinanceZeroAddress();
        _registry = registry_;
        _token = token_;
        _customs = customs_;
        _credit = credit_;
    }

    // ========================================================================= configuration

    /// @notice The calling bank operator sets its bank's advance ratio (1..10000 basis points of
    /// a receivable) and becomes the account that receives its bank's repayments. Emits
    /// {AdvanceRatioSet}.
    function setAdvanceRatio(uint16 advanceRatioBp) external {
        (IAllianceRegistry.MemberKind kind, uint16 bank,) = _access(msg.sender);
        if (kind != IAllianceRegistry.MemberKind.CommercialBank) {
            revert TradeFinanceNotCommercialBank(msg.sender);
        }
        if (advanceRatioBp == 0 || advanceRatioBp > _BP) {
            revert TradeFinanceBadAdvanceRatio(advanceRatioBp);
        }
        _terms[bank] = BankTerms(advanceRatioBp, msg.sender);
        emit AdvanceRatioSet(bank, advanceRatioBp, msg.sender);
    }

    /// @notice The central bank publishes the reference rate of `currency` for Shanghai day
    /// `day` (today or earlier): CNY fen per minor unit times `RATE_SCALE`. A correction
    /// replaces the rate for financings made afterwards; each financing keeps the rate it used.
    /// Emits {ReferenceRateSet}.
    function setReferenceRate(bytes3 currency, uint32 day, uint64 rate) external {
        (IAllianceRegistry.MemberKind kind,,) = _access(msg.sender);
        if (kind != IAllianceRegistry.MemberKind.CentralBank) {
            revert TradeFinanceNotCentralBank(msg.sender);
        }
        if (currency == CNY || currency == bytes3(0)) revert TradeFinanceBadCurrency(currency);
        if (rate == 0) revert TradeFinanceBadRate(rate);
        uint32 today = _today();
        if (day > today) revert TradeFinanceFutureDay(day, today);
        uint64 previous = _rates[currency][day];
        _rates[currency][day] = rate;
        emit ReferenceRateSet(currency, day, rate, previous);
    }

    // ============================================================================== requests

    /// @notice The exporter of a released export declaration asks bank `bank` to finance a
    /// receivable of `receivable` fen under invoice commitment `invoice`, due on `dueDate`.
    /// Emits {FinancingRequested}.
    function requestFinancing(
        uint256 declarationId,
        uint16 bank,
        bytes32 invoice,
        uint128 receivable,
        uint64 dueDate
    ) external returns (uint256 id) {
        _checkExporter();
        _checkTerms(receivable, dueDate);
        id = _request(declarationId, bank, invoice, uint64(receivable), dueDate);
        emit FinancingRequested(
            id, declarationId, msg.sender, bank, invoice, receivable, dueDate, 0, 0, false, 0
        );
    }

    /// @notice As {requestFinancing}, backed by the claim under deferred-payment or acceptance
    /// drawing `drawingId` of credit `creditId`, which the exporter must hold now and transfer
    /// to this contract before the bank approves. The receivable is the drawing's amount and
    /// the loan falls due at its maturity. Emits {FinancingRequested}.
    function requestFinancingAgainstCredit(
        uint256 declarationId,
        uint16 bank,
        bytes32 invoice,
        uint256 creditId,
        uint32 drawingId
    ) external returns (uint256 id) {
        _checkExporter();
        (uint64 amount, uint64 maturity) = _checkClaimOwner(creditId, drawingId);
        id = _request(declarationId, bank, invoice, amount, maturity);
        _link(id, creditId, drawingId);
        emit FinancingRequested(
            id, declarationId, msg.sender, bank, invoice, amount, maturity, creditId, drawingId, false, 0
        );
    }

    /// @notice The exporter offers bank `bank` to sell (discount) its claim under drawing
    /// `drawingId` of credit `creditId` for at least `lowestPrice` fen; the claim's trade is
    /// export declaration `declarationId` with invoice commitment `invoice`. The exporter must
    /// hold the claim now and transfer it to this contract before the bank calls {discount}.
    /// Emits {FinancingRequested}.
    function requestDiscount(
        uint256 declarationId,
        uint16 bank,
        bytes32 invoice,
        uint256 creditId,
        uint32 drawingId,
        uint128 lowestPrice
    ) external returns (uint256 id) {
        _checkExporter();
        (uint64 amount, uint64 maturity) = _checkClaimOwner(creditId, drawingId);
        if (lowestPrice == 0) revert TradeFinanceZeroAmount();
        if (lowestPrice > amount) revert TradeFinanceAmountTooLarge(lowestPrice);
        id = _request(declarationId, bank, invoice, amount, maturity);
        Financing storage f = _financings[id];
        f.discount = true;
        f.amount = uint64(lowestPrice); // the ask until the bank buys
        _link(id, creditId, drawingId);
        emit FinancingRequested(
            id,
            declarationId,
            msg.sender,
            bank,
            invoice,
            amount,
            maturity,
            creditId,
            drawingId,
            true,
            lowestPrice
        );
    }

    /// @notice The exporter withdraws its request; a claim this contract holds for it goes back.
    /// Emits {FinancingCancelled} (and {ClaimReturned}).
    function cancelRequest(uint256 id) external {
        Financing storage f = _load(id);
        _access(msg.sender);
        if (msg.sender != f.exporter) revert TradeFinanceNotRequester(id, msg.sender);
        _move(id, f, Status.Cancelled);
        emit FinancingCancelled(id, msg.sender);
        delete _requestedInvoices[id];
        _releaseClaim(id, f);
    }

    /// @notice The requested bank declines; a claim this contract holds for it goes back.
    /// Emits {FinancingDeclined} (and {ClaimReturned}).
    function declineRequest(uint256 id) external {
        Financing storage f = _load(id);
        _checkLender(id, f);
        _move(id, f, Status.Declined);
        emit FinancingDeclined(id, f.bank, msg.sender);
        delete _requestedInvoices[id];
        _releaseClaim(id, f);
    }

    // ============================================================================== financing

    /// @notice An operator of the requested bank finances request `id` with `amount` fen, at
    /// most the bank's advance ratio of the receivable and at most what is left of the
    /// declaration, paid from the caller's account to the exporter now (approve this contract
    /// first). Emits {FinancingApproved}.
    function approveFinancing(uint256 id, uint128 amount) external {
        Financing storage f = _load(id);
        uint16 bank = _checkLender(id, f);
        if (f.discount) revert TradeFinanceIsDiscount(id);
        _finance(id, f, amount, uint256(f.receivable) * _ratioOf(bank) / _BP);
    }

    /// @notice An operator of bank `request.bank` finances, in one transaction, the receivable
    /// the declaration's exporter asked for by signing `request` (EIP-712, see
    /// {FinancingRequest}): with `amount` fen, under every rule of {requestFinancing} and
    /// {approveFinancing}, paid from the caller's account to the exporter now. The signer must
    /// be the declaration's trader and a registered exporter; a request is good until its
    /// deadline and once only (its invoice is then financed, so a replay reverts
    /// {TradeFinanceInvoiceAlreadyFinanced}). Emits {FinancingRequested} and
    /// {FinancingApproved}.
    function financeWithSignature(
        FinancingRequest calldata request,
        uint128 amount,
        bytes calldata exporterSignature
    ) external returns (uint256 id) {
        _checkRequestedBank(request.bank);
        if (block.timestamp > request.deadline) revert TradeFinanceRequestExpired(request.deadline);
        _checkTerms(request.receivable, request.dueDate);
        uint256 limit = uint256(request.receivable) * _ratioOf(request.bank) / _BP;
        _checkInvoice(request.invoice);
        ICustomsClearanceView.DeclarationSummary memory s = _summary(request.declarationId);
        address exporter = s.trader;
        _checkDeclaration(request.declarationId, s, exporter);
        _checkSigner(request, exporterSignature, exporter);
        _checkExporterRole(exporter);

        Financing storage f;
        (id, f) = _recordSigned(request, exporter, amount);
        _invoices[request.invoice] = id;
        _disburse(id, f, s, amount, limit);
    }

    /// @notice An operator of the bank the exporter offered its claim under drawing `drawingId`
    /// of credit `creditId` to buys it for `price` fen (at least the exporter's lowest price, at
    /// most the drawing): the price goes from the caller to the exporter now, and the whole
    /// drawing to the bank at maturity ({collectFromCredit}). Emits {FinancingApproved} and
    /// {ClaimDiscounted}.
    function discount(uint256 creditId, uint32 drawingId, uint128 price) external {
        uint256 id = _claims[creditId][drawingId];
        Financing storage f = _financings[id];
        if (id == 0 || !f.discount) revert TradeFinanceNoDiscountOffer(creditId, drawingId);
        _checkLender(id, f);
        if (f.status != Status.Requested) revert TradeFinanceWrongStatus(id, f.status);
        if (price < f.amount) revert TradeFinancePriceBelowAsk(id, price, f.amount);
        _finance(id, f, price, f.receivable);
        emit ClaimDiscounted(creditId, drawingId, id, uint128(price));
    }

    // ============================================================================== repayment

    /// @notice Anyone (typically the importer) pays `amount` fen towards financing `id`: the
    /// bank is repaid first, the rest goes to the exporter (all to the bank for a discount).
    /// Approve this contract first. Emits {FinancingRepaid}.
    function repay(uint256 id, uint128 amount) external {
        Financing storage f = _load(id);
        _access(msg.sender);
        Status status = f.status;
        if (status != Status.Active && status != Status.Overdue) {
            revert TradeFinanceWrongStatus(id, status);
        }
        if (amount == 0) revert TradeFinanceZeroAmount();
        (uint128 toBank, uint128 toExporter) = _split(f, amount);
        _applyRepayment(id, f, toBank);
        address bankAccount = _terms[f.bank].account;
        emit FinancingRepaid(id, msg.sender, f.bank, toBank, toExporter, _outstanding(f));

        _token.safeTransferFrom(msg.sender, bankAccount, toBank);
        if (toExporter != 0) _token.safeTransferFrom(msg.sender, f.exporter, toExporter);
    }

    /// @notice Anyone collects, at or after maturity, the drawing whose claim this contract
    /// holds for financing `id`: the bank is repaid first and the rest goes to the exporter
    /// (all to the bank for a discount). Emits {CreditCollected}.
    function collectFromCredit(uint256 id) external {
        Financing storage f = _load(id);
        _access(msg.sender);
        if (!f.claimHeld) revert TradeFinanceNoClaim(id);
        uint256 creditId = f.creditId;
        uint32 drawingId = f.drawingId;
        (, uint128 drawn, uint64 maturity, bool settled,) = _credit.drawingOf(creditId, drawingId);
        if (!settled && block.timestamp < maturity) {
            revert TradeFinanceNotMature(creditId, drawingId, maturity);
        }
        f.claimHeld = false;
        (uint128 toBank, uint128 toExporter) = _split(f, drawn);
        _applyRepayment(id, f, toBank);
        emit CreditCollected(id, creditId, drawingId, toBank, toExporter, _outstanding(f));

        // Someone may already have settled the drawing (anyone may): then the tokens are here.
        if (!settled) _credit.settleAtMaturity(creditId, drawingId);
        if (toBank != 0) _token.safeTransfer(_terms[f.bank].account, toBank);
        if (toExporter != 0) _token.safeTransfer(f.exporter, toExporter);
    }

    /// @notice Anyone marks an active financing overdue once its due date has passed.
    /// Emits {FinancingOverdue}.
    function markOverdue(uint256 id) external {
        Financing storage f = _load(id);
        _access(msg.sender);
        if (block.timestamp <= f.dueDate && f.status == Status.Active) {
            revert TradeFinanceNotDue(id, f.dueDate);
        }
        _move(id, f, Status.Overdue);
        uint64 outstanding = _outstanding(f);
        _declarations[f.declarationId].overdue += outstanding;
        _exporters[f.exporter].overdue += outstanding;
        _banks[f.bank].overdue += outstanding;
        emit FinancingOverdue(id, f.bank, outstanding);
    }

    /// @notice The financing bank writes an overdue financing off (default). What it consumed
    /// of its declaration stays consumed: a defaulted trade cannot be financed again. A
    /// financing whose credit claim is still held must be collected instead.
    /// Emits {FinancingWrittenOff}.
    function writeOff(uint256 id) external {
        Financing storage f = _load(id);
        _checkLender(id, f);
        if (f.claimHeld) revert TradeFinanceClaimPending(id, f.creditId, f.drawingId);
        uint64 outstanding = _outstanding(f); // before the move: a default owes nothing more
        _move(id, f, Status.Defaulted);
        Book storage d = _declarations[f.declarationId];
        d.overdue -= outstanding;
        d.writtenOff += outstanding;
        Book storage e = _exporters[f.exporter];
        e.overdue -= outstanding;
        e.writtenOff += outstanding;
        Book storage b = _banks[f.bank];
        b.overdue -= outstanding;
        b.writtenOff += outstanding;
        emit FinancingWrittenOff(id, f.declarationId, f.bank, outstanding);
    }

    // ================================================================================== views

    function financingOf(uint256 id) external view returns (Financing memory) {
        return _load(id);
    }

    function financingCount() external view returns (uint256) {
        return _financingCount;
    }

    /// @notice CNY fen financed against declaration `declarationId` by all banks, ever
    /// (never decreases: repayment and default do not free a declaration for new financing).
    function financedOf(uint256 declarationId) external view returns (uint256) {
        return _declarations[declarationId].financed;
    }

    /// @notice CNY fen that may still be financed against `declarationId` today (at today's
    /// reference rate for a foreign currency; reverts {TradeFinanceNoReferenceRate} without one).
    function remainingOf(uint256 declarationId) external view returns (uint256) {
        ICustomsClearanceView.DeclarationSummary memory s = _summary(declarationId);
        uint32 today = _today();
        (uint256 remaining,) = _remaining(declarationId, s, _rate(s.currency, today));
        return remaining;
    }

    /// @notice The book of a declaration: CNY fen financed, repaid, outstanding, overdue and
    /// written off, and how much of its declared value (its own currency) is consumed.
    function declarationBookOf(uint256 declarationId)
        external
        view
        returns (
            uint256 financed,
            uint256 repaid,
            uint256 outstanding,
            uint256 overdue,
            uint256 writtenOff,
            uint256 consumed
        )
    {
        Book storage d = _declarations[declarationId];
        return (
            d.financed,
            d.repaid,
            d.financed - d.repaid - d.writtenOff,
            d.overdue,
            d.writtenOff,
            _consumedOf(declarationId)
        );
    }

    /// @notice An exporter's book, in fen.
    function exporterBookOf(address exporter)
        external
        view
        returns (
            uint256 financed,
            uint256 repaid,
            uint256 outstanding,
            uint256 overdue,
            uint256 writtenOff
        )
    {
        return _view(_exporters[exporter]);
    }

    /// @notice A bank's book, in fen.
    function bankBookOf(uint16 bank)
        external
        view
        returns (
            uint256 financed,
            uint256 repaid,
            uint256 outstanding,
            uint256 overdue,
            uint256 writtenOff
        )
    {
        return _view(_banks[bank]);
    }

    /// @notice The bank's advance ratio (0: not set) and the account its repayments go to.
    function advanceRatioOf(uint16 bank) external view returns (uint16 advanceRatioBp, address account) {
        BankTerms memory t = _terms[bank];
        return (t.advanceRatioBp, t.account);
    }

    /// @notice The invoice commitment of request `id` while it waits for its bank (then 0: the
    /// invoice of a financing is in its {FinancingRequested} event and {invoiceFinancing}).
    function requestedInvoiceOf(uint256 id) external view returns (bytes32) {
        return _requestedInvoices[id];
    }

    /// @notice The financing that used invoice commitment `invoice` (0: none).
    function invoiceFinancing(bytes32 invoice) external view returns (uint256) {
        return _invoices[invoice];
    }

    /// @notice The request or financing a credit claim is linked to (0: none).
    function claimFinancing(uint256 creditId, uint32 drawingId) external view returns (uint256) {
        return _claims[creditId][drawingId];
    }

    /// @notice The reference rate of `currency` for Shanghai day `day` (0: none published).
    function referenceRate(bytes3 currency, uint32 day) external view returns (uint64) {
        return _rates[currency][day];
    }

    /// @notice The EIP-712 digest an exporter signs for `request` (domain: name
    /// "E-Port TradeFinance", version "1", this chain and contract; see {eip712Domain}).
    function financingRequestDigest(FinancingRequest calldata request)
        external
        view
        returns (bytes32)
    {
        return _digest(request);
    }

    function _digest(FinancingRequest calldata request) private view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    _REQUEST_TYPEHASH,
                    request.declarationId,
                    request.bank,
                    request.invoice,
                    request.receivable,
                    request.dueDate,
                    request.deadline
                )
            )
        );
    }

    /// @notice Today's Shanghai day number.
    function today() external view returns (uint32) {
        return _today();
    }

    function dependencies()
        external
        view
        returns (
            AllianceRegistry registry,
            IERC20 token,
            ICustomsClearanceView customs,
            ILetterOfCredit credit
        )
    {
        return (_registry, _token, _customs, _credit);
    }

    // =============================================================================== internal

    /// @dev The one place a financing changes status; it checks the transition is allowed.
    function _move(uint256 id, Financing storage f, Status to) private {
        Status from = f.status;
        bool allowed;
        if (from == Status.Requested) {
            allowed = to == Status.Active || to == Status.Cancelled || to == Status.Declined;
        } else if (from == Status.Active) {
            allowed = to == Status.Overdue || to == Status.Repaid;
        } else if (from == Status.Overdue) {
            allowed = to == Status.Repaid || to == Status.Defaulted;
        }
        if (!allowed) revert TradeFinanceWrongStatus(id, from);
        f.status = to;
    }

    function _request(
        uint256 declarationId,
        uint16 bank,
        bytes32 invoice,
        uint64 receivable,
        uint64 dueDate
    ) private returns (uint256 id) {
        // A bank that finances has set its advance ratio (only its operators can); one that
        // has left the alliance can no longer approve, so a request to it simply stays open.
        if (_terms[bank].advanceRatioBp == 0) revert TradeFinanceUnknownBank(bank);
        _checkInvoice(invoice);
        _checkDeclaration(declarationId, _summary(declarationId), msg.sender);

        unchecked {
            id = ++_financingCount; // one per transaction: cannot overflow
        }
        Financing storage f = _financings[id];
        f.exporter = msg.sender;
        f.bank = bank;
        f.status = Status.Requested;
        f.dueDate = uint40(dueDate); // bounded by the callers
        f.receivable = receivable;
        f.declarationId = uint64(declarationId); // _summary bounds it
        _requestedInvoices[id] = invoice;
    }

    /// @dev Record a signed request as an active financing of `amount` (checked by the caller's
    /// {_disburse}, which follows in the same transaction).
    function _recordSigned(FinancingRequest calldata request, address exporter, uint128 amount)
        private
        returns (uint256 id, Financing storage f)
    {
        unchecked {
            id = ++_financingCount; // one per transaction: cannot overflow
        }
        f = _financings[id];
        f.exporter = exporter;
        f.bank = request.bank;
        f.status = Status.Active;
        f.dueDate = uint40(request.dueDate); // _checkTerms bounds it
        f.receivable = uint64(request.receivable); // _checkTerms bounds it
        f.amount = uint64(amount); // _disburse bounds it
        f.declarationId = uint64(request.declarationId); // _summary bounds it
        emit FinancingRequested(
            id,
            request.declarationId,
            exporter,
            request.bank,
            request.invoice,
            request.receivable,
            request.dueDate,
            0,
            0,
            false,
            0
        );
    }

    /// @dev Approve request `id` and pay out `amount` within `limit` (see {_disburse}).
    function _finance(uint256 id, Financing storage f, uint128 amount, uint256 limit) private {
        if (f.status != Status.Requested) revert TradeFinanceWrongStatus(id, f.status);
        uint256 declarationId = f.declarationId;
        ICustomsClearanceView.DeclarationSummary memory s = _summary(declarationId);
        _checkDeclaration(declarationId, s, f.exporter);
        bytes32 invoice = _requestedInvoices[id];
        _checkInvoice(invoice);
        delete _requestedInvoices[id];
        _invoices[invoice] = id;
        if (f.dueDate <= block.timestamp) revert TradeFinanceBadDueDate(f.dueDate);
        if (f.backed) {
            uint256 creditId = f.creditId;
            uint32 drawingId = f.drawingId;
            (address payee,,, bool settled,) = _credit.drawingOf(creditId, drawingId);
            if (settled) revert TradeFinanceDrawingSettled(creditId, drawingId);
            if (payee != address(this)) {
                revert TradeFinanceClaimNotTransferred(creditId, drawingId, payee);
            }
            f.claimHeld = true;
        }
        _move(id, f, Status.Active);
        f.amount = uint64(amount); // _disburse bounds it
        _disburse(id, f, s, amount, limit);
    }

    /// @dev The common end of both approvals (the caller has registered the invoice): check
    /// `amount` against `limit` and what is left of the declaration, book it and pay it from
    /// the caller to the exporter.
    function _disburse(
        uint256 id,
        Financing storage f,
        ICustomsClearanceView.DeclarationSummary memory s,
        uint128 amount,
        uint256 limit
    ) private {
        if (amount == 0) revert TradeFinanceZeroAmount();
        if (amount > type(uint64).max) revert TradeFinanceAmountTooLarge(amount);
        uint256 declarationId = f.declarationId;
        uint32 day = _today();
        uint64 rate = _rate(s.currency, day);
        Book storage d = _declarations[declarationId];
        uint64 financed = d.financed;
        bool foreign = s.currency != CNY;
        // For CNY the fen financed are the measure: no second slot is read or written.
        uint256 consumed = foreign ? _consumed[declarationId] : financed;
        {
            // The rule this contract exists for: all banks together never finance a
            // declaration beyond its declared value, converted at the day's rate.
            uint256 remaining = (uint256(s.declaredValue) - consumed) * rate / RATE_SCALE;
            if (amount > remaining) {
                revert TradeFinanceExceedsRemaining(declarationId, amount, remaining);
            }
            if (amount > limit) revert TradeFinanceAboveLimit(id, amount, limit);
        }

        // Rounded up, so that what is consumed always covers what was paid out; it never
        // exceeds the declared value because amount <= floor(left * rate / RATE_SCALE).
        consumed += (uint256(amount) * RATE_SCALE + rate - 1) / rate;
        financed += uint64(amount); // checked: a book never wraps
        d.financed = financed;
        if (foreign) _consumed[declarationId] = consumed;
        address exporter = f.exporter;
        _exporters[exporter].financed += uint64(amount);
        _banks[f.bank].financed += uint64(amount);
        emit FinancingApproved(
            id,
            declarationId,
            f.bank,
            exporter,
            msg.sender,
            amount,
            rate,
            day,
            financed,
            uint128(consumed)
        );

        _token.safeTransferFrom(msg.sender, exporter, amount);
    }

    /// @dev What is left of a declaration in CNY fen at `rate`, and what is consumed already.
    function _remaining(
        uint256 declarationId,
        ICustomsClearanceView.DeclarationSummary memory s,
        uint64 rate
    ) private view returns (uint256 remaining, uint256 consumed) {
        consumed = _consumedOf(declarationId);
        remaining = (uint256(s.declaredValue) - consumed) * rate / RATE_SCALE;
    }

    function _consumedOf(uint256 declarationId) private view returns (uint256 consumed) {
        consumed = _consumed[declarationId];
        if (consumed == 0) consumed = _declarations[declarationId].financed;
    }

    function _split(Financing storage f, uint128 paid)
        private
        view
        returns (uint128 toBank, uint128 toExporter)
    {
        uint128 outstanding = _outstanding(f);
        uint128 principal = paid < outstanding ? paid : outstanding;
        toBank = f.discount ? paid : principal;
        toExporter = paid - toBank;
    }

    /// @dev Book the principal part of a payment (all of `toBank` up to what is outstanding).
    function _applyRepayment(uint256 id, Financing storage f, uint128 toBank) private {
        uint64 outstanding = _outstanding(f);
        uint64 principal = toBank < outstanding ? uint64(toBank) : outstanding;
        if (principal == 0) return;
        bool overdue = f.status == Status.Overdue;
        f.repaid += principal;
        Book storage d = _declarations[f.declarationId];
        Book storage e = _exporters[f.exporter];
        Book storage b = _banks[f.bank];
        d.repaid += principal;
        e.repaid += principal;
        b.repaid += principal;
        if (overdue) {
            d.overdue -= principal;
            e.overdue -= principal;
            b.overdue -= principal;
        }
        if (principal == outstanding) _move(id, f, Status.Repaid);
    }

    function _outstanding(Financing storage f) private view returns (uint64) {
        Status status = f.status;
        if (status != Status.Active && status != Status.Overdue) return 0;
        return uint64(f.amount - f.repaid); // amount < 2**64, checked at approval
    }

    /// @dev The claim must be payable to the caller now: that is how it proves it owns it.
    function _checkClaimOwner(uint256 creditId, uint32 drawingId)
        private
        view
        returns (uint64 amount, uint64 maturity)
    {
        if (creditId == 0 || creditId > type(uint128).max) {
            revert TradeFinanceUnknownDrawing(creditId, drawingId);
        }
        address payee;
        uint128 drawn;
        bool settled;
        try _credit.drawingOf(creditId, drawingId) returns (
            address p, uint128 a, uint64 m, bool s, uint256
        ) {
            (payee, drawn, maturity, settled) = (p, a, m, s);
        } catch {
            revert TradeFinanceUnknownDrawing(creditId, drawingId);
        }
        if (settled) revert TradeFinanceDrawingSettled(creditId, drawingId);
        if (block.timestamp >= maturity) {
            revert TradeFinanceDrawingMatured(creditId, drawingId, maturity);
        }
        if (payee != msg.sender) revert TradeFinanceNotPayee(creditId, drawingId, payee);
        uint256 linked = _claims[creditId][drawingId];
        if (linked != 0) revert TradeFinanceClaimAlreadyLinked(creditId, drawingId, linked);
        if (drawn > type(uint64).max) revert TradeFinanceAmountTooLarge(drawn);
        if (maturity > type(uint40).max) revert TradeFinanceBadDueDate(maturity);
        amount = uint64(drawn);
    }

    function _link(uint256 id, uint256 creditId, uint32 drawingId) private {
        Financing storage f = _financings[id];
        f.backed = true;
        f.creditId = uint128(creditId); // _checkClaimOwner bounds it
        f.drawingId = drawingId;
        _claims[creditId][drawingId] = id;
    }

    /// @dev A request ends without financing: unlink its claim and hand the claim (or, if
    /// someone settled it meanwhile, its proceeds) back to the exporter.
    function _releaseClaim(uint256 id, Financing storage f) private {
        uint256 creditId = f.creditId;
        if (creditId == 0) return;
        uint32 drawingId = f.drawingId;
        delete _claims[creditId][drawingId];
        (address payee, uint128 drawn,, bool settled,) = _credit.drawingOf(creditId, drawingId);
        if (payee != address(this)) return;
        emit ClaimReturned(id, creditId, drawingId, f.exporter);
        if (settled) _token.safeTransfer(f.exporter, drawn);
        else _credit.transferClaim(creditId, drawingId, f.exporter);
    }

    /// @dev A receivable and due date a financing can record.
    function _checkTerms(uint128 receivable, uint64 dueDate) private view {
        if (receivable == 0) revert TradeFinanceZeroAmount();
        if (receivable > type(uint64).max) revert TradeFinanceAmountTooLarge(receivable);
        if (dueDate <= block.timestamp || dueDate > type(uint40).max) {
            revert TradeFinanceBadDueDate(dueDate);
        }
    }

    /// @dev `signature` is `exporter`'s EIP-712 signature of `request`.
    function _checkSigner(
        FinancingRequest calldata request,
        bytes calldata signature,
        address exporter
    ) private view {
        bytes32 digest = _digest(request);
        (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(digest, signature);
        if (err != ECDSA.RecoverError.NoError || signer != exporter) {
            revert TradeFinanceBadSignature(request.declarationId, signer);
        }
    }

    function _ratioOf(uint16 bank) private view returns (uint256 ratio) {
        ratio = _terms[bank].advanceRatioBp;
        if (ratio == 0) revert TradeFinanceNoAdvanceRatio(bank);
    }

    function _checkInvoice(bytes32 invoice) private view {
        if (invoice == bytes32(0)) revert TradeFinanceMissingInvoice();
        uint256 used = _invoices[invoice];
        if (used != 0) revert TradeFinanceInvoiceAlreadyFinanced(invoice, used);
    }

    /// @dev A released export of `exporter`, neither flagged nor under audit.
    function _checkDeclaration(
        uint256 declarationId,
        ICustomsClearanceView.DeclarationSummary memory s,
        address exporter
    ) private view {
        if (s.flow != ICustomsClearanceView.Flow.Export) {
            revert TradeFinanceDeclarationNotExport(declarationId);
        }
        if (s.status != ICustomsClearanceView.Status.Released) {
            revert TradeFinanceDeclarationNotReleased(declarationId, s.status);
        }
        if (s.flagged) revert TradeFinanceDeclarationFlagged(declarationId);
        if (s.underAudit) revert TradeFinanceDeclarationUnderAudit(declarationId);
        if (s.trader != exporter) revert TradeFinanceNotTrader(declarationId, s.trader);
    }

    function _summary(uint256 declarationId)
        private
        view
        returns (ICustomsClearanceView.DeclarationSummary memory s)
    {
        if (declarationId > type(uint64).max) revert TradeFinanceUnknownDeclaration(declarationId);
        try _customs.summaryOf(declarationId) returns (
            ICustomsClearanceView.DeclarationSummary memory summary
        ) {
            s = summary;
        } catch {
            revert TradeFinanceUnknownDeclaration(declarationId);
        }
    }

    function _rate(bytes3 currency, uint32 day) private view returns (uint64 rate) {
        if (currency == CNY) return RATE_SCALE;
        rate = _rates[currency][day];
        if (rate == 0) revert TradeFinanceNoReferenceRate(currency, day);
    }

    function _today() private view returns (uint32) {
        return uint32(ShanghaiDays.dayOf(block.timestamp));
    }

    /// @dev An operator of the financing's bank; returns the bank id. Reverts while paused.
    function _checkLender(uint256 id, Financing storage f) private view returns (uint16 bank) {
        (IAllianceRegistry.MemberKind kind, uint16 memberId,) = _access(msg.sender);
        bank = f.bank;
        if (kind != IAllianceRegistry.MemberKind.CommercialBank || memberId != bank) {
            revert TradeFinanceNotLender(id, msg.sender);
        }
    }

    function _checkExporter() private view {
        (,, uint8 roles) = _access(msg.sender);
        if (roles & _EXPORTER == 0) revert TradeFinanceNotExporter(msg.sender);
    }

    /// @dev `exporter` is a registered exporter, not suspended (the pause is checked already).
    function _checkExporterRole(address exporter) private view {
        (,, uint8 roles,) = _registry.accessOf(exporter);
        if (roles & _EXPORTER == 0) revert TradeFinanceNotExporter(exporter);
    }

    /// @dev The caller operates bank `bank`. Reverts while paused.
    function _checkRequestedBank(uint16 bank) private view {
        (IAllianceRegistry.MemberKind kind, uint16 memberId,) = _access(msg.sender);
        if (kind != IAllianceRegistry.MemberKind.CommercialBank || memberId != bank) {
            revert TradeFinanceNotRequestedBank(bank, msg.sender);
        }
    }

    function _load(uint256 id) private view returns (Financing storage f) {
        f = _financings[id];
        if (f.status == Status.None) revert TradeFinanceUnknownFinancing(id);
    }

    function _view(Book storage b)
        private
        view
        returns (uint256, uint256, uint256, uint256, uint256)
    {
        return (b.financed, b.repaid, b.financed - b.repaid - b.writtenOff, b.overdue, b.writtenOff);
    }

    /// @dev One registry call: the caller's authority, and the alliance-wide pause.
    function _access(address account)
        private
        view
        returns (IAllianceRegistry.MemberKind kind, uint16 memberId, uint8 roles)
    {
        bool paused;
        (kind, memberId, roles, paused) = _registry.accessOf(account);
        if (paused) revert TradeFinancePaused();
    }
}
