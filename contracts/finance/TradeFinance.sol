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
import {DocumentKeys} from "../common/DocumentKeys.sol";
import {ShanghaiDays} from "../credit/ShanghaiDays.sol";

/// @title Cross-border RMB receivables financing that never finances the same trade twice.
/// @notice An exporter asks a member bank to finance a receivable of a customs-released export
/// declaration under its invoice (optionally backed by the claim under a deferred-payment or
/// acceptance drawing of a letter of credit); the bank approves an amount and pays it out in the
/// same transaction. "The same goods" are refused a second financing everywhere, whoever asks
/// and whichever bank is asked:
/// - the invoice: one register keyed on the seller (the declaration's exporter) and the
///   NORMALISED invoice number ({DocumentKeys}: "inv-001" and "INV 001" are one key), so an
///   invoice backs one financing ever, however its contents are salted; the salted commitment
///   to the invoice's contents is only in the {FinancingRequested} event;
/// - the declaration's value: customs keeps the one register of how much of each declaration's
///   value is used, by presentations under letters of credit and by financings alike
///   ({ICustomsClearanceView-consume}); a receivable financing uses its amount (converted at the
///   central bank's reference rate of the day) and may not use more than is left. A financing
///   of a credit claim finances the drawing, whose presentation used the value already: it
///   uses nothing more, is bounded by the drawing, and must name the drawing's declaration.
/// A flagged declaration, or one under a post-clearance audit, cannot be financed (loans made
/// stay). Repayments go to the bank first and the rest to the exporter; a loan past its due
/// date (moved on by the time the alliance was paused) may be marked overdue and then written
/// off, and what it used of its declaration stays used.
///
/// Flows:
/// - Loan: `requestFinancing` (exporter) -> `approveFinancing` (bank; pays out) -> `repay`
///   (anyone, e.g. the importer) ... -> Repaid; or -> `markOverdue` (anyone) -> `writeOff` (bank).
/// - Loan in one transaction: the exporter signs a {FinancingRequest} (EIP-712) off-chain,
///   naming the exact amount it borrows, and the bank submits it with `financeWithSignature`,
///   which records, approves and pays out at once under the same rules. A replayed request is
///   refused because its invoice is financed; an unused one the exporter may cancel
///   (`cancelSignedRequest`).
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
/// fen). A day is a Shanghai day number, `(timestamp + 8 h) / 1 day` ({ShanghaiDays}). A
/// receivable financing of A fen at rate r uses ceil(A * 1e8 / r) minor units of its
/// declaration's value, and what is left is (declared value - used) * r / 1e8 fen (rounded
/// down), so financings on different days at different rates, and presentations, together
/// never exceed the declared value. The books (financed, repaid, outstanding, overdue, written
/// off) per declaration, exporter and bank are kept here in CNY fen.
/// The token, customs and credit contracts are the alliance's own, fixed at construction; every
/// function follows checks-effects-interactions (customs and the credit contract call nothing
/// back), so no reentrancy guard is spent.
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
    /// 56 bits (7.2e16 fen, 720 trillion CNY: no trade comes near; larger inputs revert),
    /// declaration ids in 48 bits (as the credit contract keeps them), times in 40 bits
    /// (seconds until the year 36812). `approvedAt` starts the due date's clock, which stops
    /// while the alliance is paused ({markOverdue}); it fits in the second slot, which the
    /// approval writes anyway.
    struct Financing {
        address exporter;
        uint16 bank; // member id of the financing bank
        Status status;
        bool discount; // a discounted credit claim: everything collected goes to the bank
        bool claimHeld; // this contract holds the drawing's claim for this financing
        bool backed; // backed by a credit claim (creditId, drawingId are set)
        uint40 dueDate;
        // -- slot
        uint56 receivable; // face value financed against (fen): the invoice, or the drawing
        uint56 amount; // paid out (fen); for a requested discount, the exporter's lowest price
        uint56 repaid; // principal repaid (fen)
        uint48 declarationId;
        uint40 approvedAt; // when it was paid out (0 while requested)
        // -- slot (credit only)
        uint128 creditId; // 0: no credit
        uint32 drawingId;
    }

    /// @notice What an exporter signs (EIP-712) to have bank `bank` lend it exactly `amount`
    /// fen against a receivable of `receivable` fen under its invoice `invoiceNumber` (ASCII,
    /// left-aligned; normalised on the chain) whose contents it commits to with the salted
    /// `invoiceCommitment`, due on `dueDate`, in one transaction ({financeWithSignature}); the
    /// bank must submit it by `deadline`.
    /// @dev The exporter signs the exact amount, not a range: the bank lends what was agreed or
    /// nothing. A bank can then neither lend more than the exporter agreed to owe (100 % against
    /// a signature given for 80 %) nor less (a 1-fen loan that would use up the invoice and
    /// block its financing anywhere else). The advance ratio and what is left of the
    /// declaration are still checked when it is submitted; if either no longer allows the
    /// amount, the exporter cancels ({cancelSignedRequest}) or lets it expire and signs another.
    /// A range would leave the bank the choice within it, and a second signature is cheap.
    struct FinancingRequest {
        uint256 declarationId;
        uint16 bank;
        bytes32 invoiceNumber;
        bytes32 invoiceCommitment;
        uint128 receivable;
        uint128 amount;
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
        "FinancingRequest(uint256 declarationId,uint16 bank,bytes32 invoiceNumber,"
        "bytes32 invoiceCommitment,uint128 receivable,uint128 amount,uint64 dueDate,"
        "uint64 deadline)"
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
    mapping(address exporter => Book) private _exporters;
    mapping(uint16 bank => Book) private _banks;
    mapping(uint16 bank => BankTerms) private _terms;
    /// @dev The invoice register: DocumentKeys.key(seller, invoice number) => the financing.
    mapping(bytes32 invoiceKey => uint256 financingId) private _invoices;
    /// @dev A request's invoice key until it is approved, cancelled or declined.
    mapping(uint256 id => bytes32 invoiceKey) private _requestedInvoices;
    /// @dev EIP-712 digests of signed requests their exporters cancelled.
    mapping(bytes32 digest => bool) private _cancelledRequests;
    mapping(uint256 creditId => mapping(uint32 drawingId => uint256 financingId)) private _claims;
    mapping(bytes3 currency => mapping(uint32 day => uint64 rate)) private _rates;

    event FinancingRequested(
        uint256 indexed id,
        uint256 indexed declarationId,
        address indexed exporter,
        uint16 bank,
        bytes32 invoiceKey,
        bytes32 invoiceCommitment,
        uint128 receivable,
        uint64 dueDate,
        uint256 creditId,
        uint32 drawingId,
        bool discount,
        uint128 lowestPrice
    );
    event FinancingCancelled(uint256 indexed id, address indexed exporter);
    event SignedRequestCancelled(
        bytes32 indexed digest, uint256 indexed declarationId, address indexed exporter
    );
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
    error TradeFinanceInvoiceAlreadyFinanced(bytes32 invoiceKey, uint256 financingId);
    error TradeFinanceZeroAmount();
    error TradeFinanceAmountTooLarge(uint256 amount);
    error TradeFinanceBadDueDate(uint64 dueDate);
    error TradeFinanceNotDue(uint256 id, uint256 dueDate);
    error TradeFinanceExceedsRemaining(uint256 declarationId, uint256 amount, uint256 remaining);
    error TradeFinanceAboveLimit(uint256 id, uint256 amount, uint256 limit);
    error TradeFinanceNoAdvanceRatio(uint16 bank);
    error TradeFinanceBadAdvanceRatio(uint16 advanceRatioBp);
    error TradeFinanceBadCurrency(bytes3 currency);
    error TradeFinanceBadRate(uint64 rate);
    error TradeFinanceFutureDay(uint32 day, uint32 today);
    error TradeFinanceNoReferenceRate(bytes3 currency, uint32 day);
    error TradeFinanceUnknownDrawing(uint256 creditId, uint32 drawingId);
    error TradeFinanceClaimOfOtherDeclaration(
        uint256 creditId, uint32 drawingId, uint256 drawingDeclarationId
    );
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
    error TradeFinanceRequestCancelled(bytes32 digest);

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
    /// receivable of `receivable` fen under its invoice `invoiceNumber` (ASCII, left-aligned;
    /// normalised on the chain, see {DocumentKeys}), whose contents it commits to with the
    /// salted `invoiceCommitment`, due on `dueDate`. The invoice must not be financed yet.
    /// Emits {FinancingRequested}.
    function requestFinancing(
        uint256 declarationId,
        uint16 bank,
        bytes32 invoiceNumber,
        bytes32 invoiceCommitment,
        uint128 receivable,
        uint64 dueDate
    ) external returns (uint256 id) {
        _checkExporter();
        _checkTerms(receivable, dueDate);
        bytes32 invoiceKey;
        (id, invoiceKey) = _request(
            declarationId, bank, invoiceNumber, invoiceCommitment, uint56(receivable), dueDate
        );
        emit FinancingRequested(
            id,
            declarationId,
            msg.sender,
            bank,
            invoiceKey,
            invoiceCommitment,
            receivable,
            dueDate,
            0,
            0,
            false,
            0
        );
    }

    /// @notice As {requestFinancing}, backed by the claim under deferred-payment or acceptance
    /// drawing `drawingId` of credit `creditId`, presented against this declaration, which the
    /// exporter must hold now and transfer to this contract before the bank approves. The
    /// receivable is the drawing's amount and the loan falls due at its maturity; the drawing's
    /// presentation used the declaration's value already, so the loan uses none of it.
    /// Emits {FinancingRequested}.
    function requestFinancingAgainstCredit(
        uint256 declarationId,
        uint16 bank,
        bytes32 invoiceNumber,
        bytes32 invoiceCommitment,
        uint256 creditId,
        uint32 drawingId
    ) external returns (uint256 id) {
        _checkExporter();
        (uint56 amount, uint64 maturity) = _checkClaimOwner(creditId, drawingId, declarationId);
        bytes32 invoiceKey;
        (id, invoiceKey) =
            _request(declarationId, bank, invoiceNumber, invoiceCommitment, amount, maturity);
        _link(id, creditId, drawingId);
        _emitClaimRequested(id, invoiceKey, invoiceCommitment, 0);
    }

    /// @notice The exporter offers bank `bank` to sell (discount) its claim under drawing
    /// `drawingId` of credit `creditId`, presented against export declaration `declarationId`,
    /// for at least `lowestPrice` fen, under its invoice `invoiceNumber` (with commitment
    /// `invoiceCommitment`, as {requestFinancing}). The exporter must hold the claim now and
    /// transfer it to this contract before the bank calls {discount}. Emits {FinancingRequested}.
    function requestDiscount(
        uint256 declarationId,
        uint16 bank,
        bytes32 invoiceNumber,
        bytes32 invoiceCommitment,
        uint256 creditId,
        uint32 drawingId,
        uint128 lowestPrice
    ) external returns (uint256 id) {
        _checkExporter();
        (uint56 amount, uint64 maturity) = _checkClaimOwner(creditId, drawingId, declarationId);
        if (lowestPrice == 0) revert TradeFinanceZeroAmount();
        if (lowestPrice > amount) revert TradeFinanceAmountTooLarge(lowestPrice);
        bytes32 invoiceKey;
        (id, invoiceKey) =
            _request(declarationId, bank, invoiceNumber, invoiceCommitment, amount, maturity);
        Financing storage f = _financings[id];
        f.discount = true;
        f.amount = uint56(lowestPrice); // the ask until the bank buys
        _link(id, creditId, drawingId);
        _emitClaimRequested(id, invoiceKey, invoiceCommitment, lowestPrice);
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

    /// @notice The exporter (the trader of `request.declarationId`) cancels a request it signed
    /// and that no bank has used: {financeWithSignature} then refuses it with
    /// {TradeFinanceRequestCancelled}. A request already expired, or whose invoice is financed,
    /// cannot be used anyway and is refused here. Emits {SignedRequestCancelled}.
    function cancelSignedRequest(FinancingRequest calldata request) external {
        _access(msg.sender);
        uint256 declarationId = request.declarationId;
        address exporter = _summary(declarationId).trader;
        if (msg.sender != exporter) revert TradeFinanceNotTrader(declarationId, exporter);
        if (block.timestamp > request.deadline) revert TradeFinanceRequestExpired(request.deadline);
        bytes32 digest = _digest(request);
        if (_cancelledRequests[digest]) revert TradeFinanceRequestCancelled(digest);
        _checkInvoice(DocumentKeys.key(exporter, request.invoiceNumber));
        _cancelledRequests[digest] = true;
        emit SignedRequestCancelled(digest, declarationId, msg.sender);
    }

    // ============================================================================== financing

    /// @notice An operator of the requested bank finances request `id` with `amount` fen, at
    /// most the bank's advance ratio of the receivable and, for a receivable financing, at most
    /// what is left of the declaration's value (which it then uses), paid from the caller's
    /// account to the exporter now (approve this contract first). Emits {FinancingApproved}.
    function approveFinancing(uint256 id, uint128 amount) external {
        Financing storage f = _load(id);
        uint16 bank = _checkLender(id, f);
        if (f.discount) revert TradeFinanceIsDiscount(id);
        _finance(id, f, amount, uint256(f.receivable) * _ratioOf(bank) / _BP);
    }

    /// @notice An operator of bank `request.bank` finances, in one transaction, the receivable
    /// the declaration's exporter asked for by signing `request` (EIP-712, see
    /// {FinancingRequest}): with exactly `request.amount` fen, under every rule of
    /// {requestFinancing} and {approveFinancing}, paid from the caller's account to the
    /// exporter now. The signer must be the declaration's trader and a registered exporter; a
    /// request is good until its deadline, unless the exporter cancelled it, and once only (its
    /// invoice is then financed, so a replay reverts {TradeFinanceInvoiceAlreadyFinanced}).
    /// Emits {FinancingRequested} and {FinancingApproved}.
    function financeWithSignature(FinancingRequest calldata request, bytes calldata exporterSignature)
        external
        returns (uint256 id)
    {
        _checkRequestedBank(request.bank);
        if (block.timestamp > request.deadline) revert TradeFinanceRequestExpired(request.deadline);
        _checkTerms(request.receivable, request.dueDate);
        if (request.invoiceCommitment == bytes32(0)) revert TradeFinanceMissingInvoice();
        uint256 limit = uint256(request.receivable) * _ratioOf(request.bank) / _BP;
        ICustomsClearanceView.DeclarationSummary memory s = _summary(request.declarationId);
        address exporter = s.trader;
        _checkDeclaration(request.declarationId, s, exporter);
        bytes32 digest = _digest(request);
        if (_cancelledRequests[digest]) revert TradeFinanceRequestCancelled(digest);
        _checkSigner(digest, request.declarationId, exporterSignature, exporter);
        _checkExporterRole(exporter);
        bytes32 invoiceKey = DocumentKeys.key(exporter, request.invoiceNumber);
        _checkInvoice(invoiceKey);

        Financing storage f;
        (id, f) = _recordSigned(request, exporter, invoiceKey);
        _invoices[invoiceKey] = id;
        _disburse(id, f, s, request.amount, limit);
    }

    /// @notice An operator of the bank the exporter offered its claim under drawing `drawingId`
    /// of credit `creditId` to buys it for `price` fen (at least the exporter's lowest price, at
    /// most the drawing): the price goes from the caller to the exporter now, and the whole
    /// drawing to the bank at maturity ({collectFromCredit}). The drawing's presentation used
    /// the declaration's value already: the discount uses none of it. Emits {FinancingApproved}
    /// and {ClaimDiscounted}.
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

    /// @notice Anyone marks an active financing overdue once its due date has passed. The due
    /// date's clock stops while the alliance is paused (nobody can repay then): it has passed
    /// only when `now > dueDate + pausedBetween(approvedAt, now)` ({dueDateOf}).
    /// Emits {FinancingOverdue}.
    function markOverdue(uint256 id) external {
        Financing storage f = _load(id);
        _access(msg.sender);
        if (f.status == Status.Active) {
            uint256 due = _dueDate(f);
            if (block.timestamp <= due) revert TradeFinanceNotDue(id, due);
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

    /// @notice CNY fen that may still be financed against `declarationId`'s receivable today:
    /// what is left of its value after every presentation and financing, at today's reference
    /// rate for a foreign currency (reverts {TradeFinanceNoReferenceRate} without one).
    function remainingOf(uint256 declarationId) external view returns (uint256) {
        ICustomsClearanceView.DeclarationSummary memory s = _summary(declarationId);
        return _remaining(s, _rate(s.currency, _today()));
    }

    /// @notice The book of a declaration: CNY fen financed, repaid, outstanding, overdue and
    /// written off by all banks, and how much of its declared value (its own currency) is
    /// used, by financings and by presentations under credits (customs' register).
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
            _summary(declarationId).consumed
        );
    }

    /// @notice When financing `id` falls due now: its due date, moved on by the time the
    /// alliance has been paused since it was paid out (a pause still running counts to now).
    function dueDateOf(uint256 id) external view returns (uint256) {
        return _dueDate(_load(id));
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

    /// @notice The invoice key of request `id` while it waits for its bank (then 0: the invoice
    /// of a financing is in its {FinancingRequested} event and in {invoiceFinancing}).
    function requestedInvoiceOf(uint256 id) external view returns (bytes32) {
        return _requestedInvoices[id];
    }

    /// @notice The financing that used the invoice of register key `invoiceKey` (0: none).
    function invoiceFinancing(bytes32 invoiceKey) external view returns (uint256) {
        return _invoices[invoiceKey];
    }

    /// @notice The invoice register key of invoice `invoiceNumber` (ASCII, left-aligned) of
    /// `seller`: DocumentKeys.key(seller, invoiceNumber), the number normalised first. Reverts
    /// `DocumentKeysEmptyNumber` or `DocumentKeysBadCharacter` for a number no register takes.
    function invoiceKey(address seller, bytes32 invoiceNumber) external pure returns (bytes32) {
        return DocumentKeys.key(seller, invoiceNumber);
    }

    /// @notice True if the exporter cancelled the signed request of EIP-712 digest `digest`
    /// ({financingRequestDigest}).
    function signedRequestCancelled(bytes32 digest) external view returns (bool) {
        return _cancelledRequests[digest];
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
                    request.invoiceNumber,
                    request.invoiceCommitment,
                    request.receivable,
                    request.amount,
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

    /// @dev Record a request of the caller (the declaration's exporter); returns its id and
    /// the invoice's register key.
    function _request(
        uint256 declarationId,
        uint16 bank,
        bytes32 invoiceNumber,
        bytes32 invoiceCommitment,
        uint56 receivable,
        uint64 dueDate
    ) private returns (uint256 id, bytes32 invoiceKey) {
        // A bank that finances has set its advance ratio (only its operators can); one that
        // has left the alliance can no longer approve, so a request to it simply stays open.
        if (_terms[bank].advanceRatioBp == 0) revert TradeFinanceUnknownBank(bank);
        if (invoiceCommitment == bytes32(0)) revert TradeFinanceMissingInvoice();
        _checkDeclaration(declarationId, _summary(declarationId), msg.sender);
        invoiceKey = DocumentKeys.key(msg.sender, invoiceNumber); // the seller's invoice
        _checkInvoice(invoiceKey);

        unchecked {
            id = ++_financingCount; // one per transaction: cannot overflow
        }
        Financing storage f = _financings[id];
        f.exporter = msg.sender;
        f.bank = bank;
        f.status = Status.Requested;
        f.dueDate = uint40(dueDate); // bounded by the callers
        f.receivable = receivable;
        f.declarationId = uint48(declarationId); // _summary bounds it
        _requestedInvoices[id] = invoiceKey;
    }

    /// @dev Record a signed request as an active financing of `request.amount` (checked by the
    /// caller's {_disburse}, which follows in the same transaction).
    function _recordSigned(FinancingRequest calldata request, address exporter, bytes32 invoiceKey)
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
        f.receivable = uint56(request.receivable); // _checkTerms bounds it
        f.amount = uint56(request.amount); // _disburse bounds it
        f.declarationId = uint48(request.declarationId); // _summary bounds it
        f.approvedAt = uint40(block.timestamp);
        emit FinancingRequested(
            id,
            request.declarationId,
            exporter,
            request.bank,
            invoiceKey,
            request.invoiceCommitment,
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
        bytes32 invoiceKey = _requestedInvoices[id];
        _checkInvoice(invoiceKey); // another request of the same invoice may have been financed
        delete _requestedInvoices[id];
        _invoices[invoiceKey] = id;
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
        f.amount = uint56(amount); // _disburse bounds it
        f.approvedAt = uint40(block.timestamp);
        _disburse(id, f, s, amount, limit);
    }

    /// @dev The common end of both approvals (the caller has registered the invoice): check
    /// `amount` against `limit` and, for a receivable financing, against what is left of the
    /// declaration's value, book it, use its value at customs, and pay it from the caller to
    /// the exporter.
    function _disburse(
        uint256 id,
        Financing storage f,
        ICustomsClearanceView.DeclarationSummary memory s,
        uint128 amount,
        uint256 limit
    ) private {
        uint32 day = _today();
        (uint64 rate, uint256 units) = _use(id, f, s, amount, limit, day);
        uint256 declarationId = f.declarationId;
        Book storage d = _declarations[declarationId];
        uint64 financed = d.financed + uint64(amount); // checked: a book never wraps
        d.financed = financed;
        address exporter = f.exporter;
        _exporters[exporter].financed += uint64(amount);
        _banks[f.bank].financed += uint64(amount);
        // Customs is the alliance's own contract and calls nothing back.
        uint256 consumed = units == 0 ? s.consumed : _customs.consume(declarationId, 0, units);
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

    /// @dev Check a payout of `amount` within `limit`; returns the day's rate and the units of
    /// the declaration's value it uses (0 for a credit claim).
    function _use(
        uint256 id,
        Financing storage f,
        ICustomsClearanceView.DeclarationSummary memory s,
        uint128 amount,
        uint256 limit,
        uint32 day
    ) private view returns (uint64 rate, uint256 units) {
        if (amount == 0) revert TradeFinanceZeroAmount();
        if (amount > type(uint56).max) revert TradeFinanceAmountTooLarge(amount);
        if (f.backed) {
            // A credit claim is in CNY (so is its declaration) and its presentation used the
            // declaration's value already: the claim bounds the financing (`limit`), nothing
            // more of the value is used.
            rate = RATE_SCALE;
        } else {
            // The rule this contract exists for: all banks and credits together never use a
            // declaration beyond its declared value (converted at the day's rate).
            rate = _rate(s.currency, day);
            uint256 remaining = _remaining(s, rate);
            if (amount > remaining) {
                revert TradeFinanceExceedsRemaining(f.declarationId, amount, remaining);
            }
            // Rounded up, so that what is used always covers what was paid out; it never
            // exceeds what is left because amount <= floor(left * rate / RATE_SCALE). At
            // least 1, as amount is.
            units = (uint256(amount) * RATE_SCALE + rate - 1) / rate;
        }
        if (amount > limit) revert TradeFinanceAboveLimit(id, amount, limit);
    }

    /// @dev What is left of a declaration's value, in CNY fen at `rate` (rounded down).
    function _remaining(ICustomsClearanceView.DeclarationSummary memory s, uint64 rate)
        private
        pure
        returns (uint256)
    {
        return (uint256(s.declaredValue) - s.consumed) * rate / RATE_SCALE;
    }

    /// @dev The due date of `f` now: moved on by the time the alliance was paused since it was
    /// paid out (the registry is asked only once the plain due date has passed).
    function _dueDate(Financing storage f) private view returns (uint256 due) {
        due = f.dueDate;
        uint256 approvedAt = f.approvedAt;
        if (block.timestamp > due && approvedAt != 0) {
            due += _registry.pausedBetween(approvedAt, block.timestamp);
        }
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
        uint56 outstanding = _outstanding(f);
        uint56 principal = toBank < outstanding ? uint56(toBank) : outstanding;
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

    function _outstanding(Financing storage f) private view returns (uint56) {
        Status status = f.status;
        if (status != Status.Active && status != Status.Overdue) return 0;
        return f.amount - f.repaid; // repaid never exceeds the amount
    }

    /// @dev The claim must be payable to the caller now (that is how it proves it owns it), and
    /// its drawing presented against declaration `declarationId`: the financing is booked on
    /// the declaration whose value the presentation used.
    function _checkClaimOwner(uint256 creditId, uint32 drawingId, uint256 declarationId)
        private
        view
        returns (uint56 amount, uint64 maturity)
    {
        if (creditId == 0 || creditId > type(uint128).max) {
            revert TradeFinanceUnknownDrawing(creditId, drawingId);
        }
        address payee;
        uint128 drawn;
        bool settled;
        uint256 presentedAgainst;
        try _credit.drawingOf(creditId, drawingId) returns (
            address p, uint128 a, uint64 m, bool s, uint256 d
        ) {
            (payee, drawn, maturity, settled, presentedAgainst) = (p, a, m, s, d);
        } catch {
            revert TradeFinanceUnknownDrawing(creditId, drawingId);
        }
        if (settled) revert TradeFinanceDrawingSettled(creditId, drawingId);
        if (block.timestamp >= maturity) {
            revert TradeFinanceDrawingMatured(creditId, drawingId, maturity);
        }
        if (payee != msg.sender) revert TradeFinanceNotPayee(creditId, drawingId, payee);
        if (presentedAgainst != declarationId) {
            revert TradeFinanceClaimOfOtherDeclaration(creditId, drawingId, presentedAgainst);
        }
        uint256 linked = _claims[creditId][drawingId];
        if (linked != 0) revert TradeFinanceClaimAlreadyLinked(creditId, drawingId, linked);
        if (drawn > type(uint56).max) revert TradeFinanceAmountTooLarge(drawn);
        if (maturity > type(uint40).max) revert TradeFinanceBadDueDate(maturity);
        amount = uint56(drawn);
    }

    /// @dev {FinancingRequested} of a request backed by a credit claim (read back from storage:
    /// the requests have too many values on the stack to emit it themselves).
    function _emitClaimRequested(
        uint256 id,
        bytes32 invoiceKey,
        bytes32 invoiceCommitment,
        uint128 lowestPrice
    ) private {
        Financing storage f = _financings[id];
        emit FinancingRequested(
            id,
            f.declarationId,
            f.exporter,
            f.bank,
            invoiceKey,
            invoiceCommitment,
            f.receivable,
            f.dueDate,
            f.creditId,
            f.drawingId,
            f.discount,
            lowestPrice
        );
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
        if (receivable > type(uint56).max) revert TradeFinanceAmountTooLarge(receivable);
        if (dueDate <= block.timestamp || dueDate > type(uint40).max) {
            revert TradeFinanceBadDueDate(dueDate);
        }
    }

    /// @dev `signature` is `exporter`'s signature of EIP-712 digest `digest` (of a request for
    /// declaration `declarationId`).
    function _checkSigner(
        bytes32 digest,
        uint256 declarationId,
        bytes calldata signature,
        address exporter
    ) private pure {
        (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(digest, signature);
        if (err != ECDSA.RecoverError.NoError || signer != exporter) {
            revert TradeFinanceBadSignature(declarationId, signer);
        }
    }

    function _ratioOf(uint16 bank) private view returns (uint256 ratio) {
        ratio = _terms[bank].advanceRatioBp;
        if (ratio == 0) revert TradeFinanceNoAdvanceRatio(bank);
    }

    /// @dev The invoice of register key `invoiceKey` backs no financing yet.
    function _checkInvoice(bytes32 invoiceKey) private view {
        uint256 used = _invoices[invoiceKey];
        if (used != 0) revert TradeFinanceInvoiceAlreadyFinanced(invoiceKey, used);
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
        if (declarationId > type(uint48).max) revert TradeFinanceUnknownDeclaration(declarationId);
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
