// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IAllianceRegistry} from "../../interfaces/IAllianceRegistry.sol";
import {ICustomsClearanceView} from "../../interfaces/ICustomsClearance.sol";
import {DocumentKeys} from "../common/DocumentKeys.sol";

/// @title Customs clearance on the E-Port single window.
/// @notice A declarant lodges a declaration for a trader (the exporter of an export, the
/// importer of an import). Customs sets the risk channel (green: no check; yellow: document
/// check; red: documents and physical inspection), assesses duty, takes the duty in CNY deposit
/// tokens or a commercial bank's guarantee of it, and releases or rejects the goods; after
/// release it may audit the declaration and flag it. Banks read {summaryOf} before financing.
///
/// Only what later steps and readers need is stored (five packed slots, three written when
/// lodging); the line items, ports, countries and document commitments travel in the events,
/// and a hash of the line items is kept so anyone holding them can prove them with
/// {verifyItems}.
///
/// Lifecycle (every status change goes through `_move`, which checks the transition):
///
///     Lodged -> Channelled -(yellow/red: checks passed)-> Inspected -> Assessed -> DutySecured
///            (green: Channelled -> Assessed)       (zero duty: straight to DutySecured)
///     DutySecured -> Released;  any state before Released -> Rejected (customs)
///     Lodged, green Channelled, Inspected, Assessed -> Withdrawn (declarant)
///
/// Choices:
/// - Amendments only while Lodged, that is before customs' risk decision. Amending after it
///   would let a trader change what the risk engine saw, or fish for a greener channel; a
///   declarant who finds an error later withdraws and lodges anew (both stay on the record).
///   This also keeps the status monotonic: no transition ever goes back.
/// - Withdrawal is refused while a yellow or red check is pending or after one failed (the goods
///   stay under customs control until the check is done; a failed check ends only in rejection)
///   and once the duty is secured (money or a bank's undertaking is then involved; customs
///   rejects instead and handles any refund).
/// - Duty is due `DUTY_PAYMENT_PERIOD` (15 days, Customs Law art. 60) after assessment. A
///   guaranteed declaration can be released at once; the trader may pay the duty itself later
///   (discharging the guarantee) and after the due date customs may call the guarantee. Duty
///   is collected at most once: by the trader's payment or by the call, never both.
/// - The token is the alliance's CNY deposit token, fixed at deployment and trusted; every
///   function changes its state before any token call (checks-effects-interactions), so a
///   reentrancy guard is not needed.
contract CustomsClearance is ICustomsClearanceView {
    using SafeERC20 for IERC20;

    // ------------------------------------------------------------------ types

    /// @notice Customs' risk decision.
    enum Channel {
        None,
        Green,
        Yellow,
        Red
    }

    /// @notice Incoterms 2020 rules.
    enum Incoterms {
        EXW,
        FCA,
        FAS,
        FOB,
        CFR,
        CIF,
        CPT,
        CIP,
        DAP,
        DPU,
        DDP
    }

    /// @notice One commodity line. `hsCode`: the 10-digit Chinese tariff code (chapters 01-97);
    /// `unit`: unit of quantity (e.g. "KGM", "PCE"); `value`: in minor units of the
    /// declaration's currency; `origin`: ISO 3166 country of origin.
    struct LineItem {
        uint64 hsCode;
        uint64 quantity;
        bytes3 unit;
        uint128 value;
        bytes2 origin;
    }

    /// @notice The particulars of a declaration that are published in events, not stored.
    /// `counterparty`: hash of the foreign trader's identity; `tradeMode`: e.g. 0110 general
    /// trade; `transportMode`: the customs transport code (2 waterway, 5 air, ...); countries
    /// are ISO 3166 alpha-2, ports UN/LOCODE; `carrier`: the registered carrier that issued the
    /// transport document; `transportDocNumber`: its bill of lading or air waybill number
    /// (ASCII, left-aligned; see {DocumentKeys}: normalised, it keys the one-shipment register).
    struct Shipment {
        bytes32 counterparty;
        uint16 customsOffice;
        uint16 tradeMode;
        Incoterms incoterms;
        uint8 transportMode;
        bytes2 originCountry;
        bytes2 destinationCountry;
        bytes5 loadingPort;
        bytes5 dischargePort;
        address carrier;
        bytes32 transportDocNumber;
    }

    /// @notice Values in minor units of `currency` (ISO 4217). `declaredValue` must equal the
    /// sum of the line items' values; freight and insurance may be zero.
    struct Valuation {
        bytes3 currency;
        uint128 declaredValue;
        uint128 freight;
        uint128 insurance;
    }

    /// @notice What a declarant lodges or amends. `documentsCommitment`: a salted hash of the
    /// document set (invoice, packing list, B/L, contract, licences); `documentCommitments`
    /// (optional): one salted hash per document, only published.
    struct Content {
        Shipment shipment;
        Valuation valuation;
        LineItem[] items;
        bytes32 documentsCommitment;
        bytes32[] documentCommitments;
    }

    /// @notice The stored record of a declaration: five slots, of which lodging writes three
    /// (0, 1 and 4) and release only slot 0. `flags` bits: 1 documents checked, 2 goods
    /// inspected, 4 a check failed, 8 duty guaranteed, 16 duty paid by the trader (or for it),
    /// 32 guarantee called (paid by the bank), 64 under audit, 128 flagged by an audit.
    /// `consumed` is how much of the declared value (minor units of its currency) presentations
    /// under credits and financings have used; it shares the duty's slot, which assessment has
    /// written already, so consuming writes no new slot.
    /// `declaredValue` is kept in 96 bits (lodging refuses more: 7.9e28 minor units) and
    /// timestamps in 40 (until the year 36812) so that lodging and release touch as few slots
    /// as possible; the lodging time is the block time of {DeclarationLodged}. `guarantor` is
    /// the bank account a guarantee draws on.
    struct Declaration {
        Status status;
        Flow flow;
        Channel channel;
        uint8 flags;
        address trader;
        bytes3 currency;
        uint40 releasedAt;
        address declarant;
        uint96 declaredValue;
        uint120 duty;
        uint40 assessedAt;
        uint96 consumed;
        address guarantor;
        bytes32 itemsHash;
    }

    // -------------------------------------------------------------- constants

    /// @notice Participant role bits (see {IAllianceRegistry}).
    uint8 public constant EXPORTER = 1;
    uint8 public constant IMPORTER = 2;
    uint8 public constant CARRIER = 4;
    uint8 public constant DECLARANT = 8;

    /// @notice Duty falls due this long after assessment (Customs Law of the PRC, art. 60).
    uint64 public constant DUTY_PAYMENT_PERIOD = 15 days;
    /// @notice Customs may open a post-clearance audit up to three years after release
    /// (Regulations on Customs Inspection, art. 2).
    uint64 public constant AUDIT_PERIOD = 3 * 365 days;
    /// @notice At most 50 commodity lines per declaration, as on the paper form.
    uint256 public constant MAX_LINE_ITEMS = 50;

    uint8 private constant _DOCUMENTS_CHECKED = 1;
    uint8 private constant _GOODS_INSPECTED = 2;
    uint8 private constant _CHECK_FAILED = 4;
    uint8 private constant _GUARANTEED = 8;
    uint8 private constant _DUTY_PAID = 16;
    uint8 private constant _GUARANTEE_CALLED = 32;
    uint8 private constant _UNDER_AUDIT = 64;
    uint8 private constant _FLAGGED = 128;
    uint8 private constant _COLLECTED = _DUTY_PAID | _GUARANTEE_CALLED;

    /// @dev The declarations that last carried one transport document, one per flow.
    struct TransportDocumentUse {
        uint64 exportId;
        uint64 importId;
    }

    // ------------------------------------------------------------------ state

    IAllianceRegistry private immutable _registry;
    IERC20 private immutable _token;
    address private _treasury;
    uint256 private _declarationCount;
    mapping(uint256 id => Declaration) private _declarations;
    /// @dev The one-shipment register: the latest export and import declaration that carried a
    /// transport document (key: {DocumentKeys-key} of carrier and number). One slot.
    mapping(bytes32 transportDoc => TransportDocumentUse) private _transportDocs;

    // ----------------------------------------------------------------- events

    event DeclarationLodged(
        uint256 indexed id,
        address indexed trader,
        address indexed declarant,
        Flow flow,
        Content content
    );
    event DeclarationAmended(uint256 indexed id, address indexed declarant, Content content);
    event DeclarationWithdrawn(uint256 indexed id, address indexed declarant);
    event ChannelAssigned(uint256 indexed id, Channel channel);
    event DocumentsChecked(uint256 indexed id, bool passed, bytes32 reportHash);
    event GoodsInspected(uint256 indexed id, bool passed, bytes32 reportHash);
    event DutyAssessed(uint256 indexed id, uint128 amount, uint64 dueAt);
    event DutyPaid(uint256 indexed id, address indexed payer, uint128 amount);
    event DutyGuaranteed(uint256 indexed id, address indexed bank, uint128 amount);
    event GuaranteeCalled(uint256 indexed id, address indexed bank, uint128 amount);
    event GuaranteeDischarged(uint256 indexed id, address indexed bank);
    event DeclarationReleased(uint256 indexed id);
    event DeclarationRejected(uint256 indexed id, uint16 indexed reasonCode, bytes32 reasonHash);
    event AuditOpened(uint256 indexed id);
    event AuditClosed(uint256 indexed id, bool flagged, bytes32 findingsHash);
    event DeclarationValueConsumed(
        uint256 indexed id, address indexed consumer, uint256 units, uint256 consumed
    );
    event DeclarationValueRestored(
        uint256 indexed id, address indexed consumer, uint256 units, uint256 consumed
    );
    event GuaranteeEscrowReleased(uint256 indexed id, address indexed bank, uint128 amount);
    event TreasuryChanged(address indexed previousTreasury, address indexed newTreasury);

    // ----------------------------------------------------------------- errors

    error CustomsZeroAddress();
    error CustomsInvalidTreasury(address treasury);
    error CustomsPaused();
    error CustomsUnknownDeclaration(uint256 id);
    error CustomsWrongStatus(uint256 id, Status status);
    error CustomsNotCustoms(address account);
    error CustomsNotBank(address account);
    error CustomsMissingRole(address account, uint8 role);
    error CustomsNotDeclarant(uint256 id, address account);
    error CustomsInvalidGuarantor(address bank);
    error CustomsNoLineItems();
    error CustomsTooManyLineItems(uint256 count);
    error CustomsInvalidLineItem(uint256 index);
    error CustomsValueMismatch(uint256 itemsTotal, uint128 declaredValue);
    error CustomsValueTooLarge(uint128 declaredValue);
    error CustomsInvalidCurrency();
    error CustomsInvalidChannel();
    error CustomsCheckNotRequired(uint256 id, Channel channel);
    error CustomsCheckAlreadyRecorded(uint256 id);
    error CustomsCheckFailed(uint256 id);
    error CustomsChecksIncomplete(uint256 id);
    error CustomsDutyAlreadyCollected(uint256 id);
    error CustomsNoGuarantee(uint256 id);
    error CustomsGuaranteeNotDue(uint256 id, uint64 dueAt);
    error CustomsGuarantorCannotPay(uint256 id, address bank, uint128 amount);
    error CustomsAuditAlreadyOpen(uint256 id);
    error CustomsNoAuditOpen(uint256 id);
    error CustomsAuditPeriodOver(uint256 id, uint64 releasedAt);
    error CustomsTransportDocumentInUse(bytes32 transportDoc, uint256 declarationId);
    error CustomsTransportDocumentChanged(uint256 id);
    error CustomsTransportDocumentMismatch(uint256 id, bytes32 transportDoc);
    error CustomsNotSystemContract(address account);
    error CustomsValueExhausted(uint256 id, uint256 units, uint256 remaining);
    error CustomsRestoreExceedsConsumed(uint256 id, uint256 units, uint256 consumed);
    error CustomsDutyTooLarge(uint128 amount);

    // ------------------------------------------------------------ constructor

    /// @param registry_ the alliance registry every call is authorised against
    /// @param token_ the CNY deposit token duty is paid in (EIP-2612 permit supported)
    /// @param treasury_ the customs treasury account that receives duty; must be able to hold
    /// tokens in the registry's eyes
    constructor(IAllianceRegistry registry_, IERC20 token_, address treasury_) {
        if (address(registry_) == address(0) || address(token_) == address(0)) {
            revert CustomsZeroAddress();
        }
        _registry = registry_;
        _token = token_;
        _setTreasury(treasury_);
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc ICustomsClearanceView
    function summaryOf(uint256 id) external view returns (DeclarationSummary memory) {
        Declaration storage d = _load(id);
        uint8 flags = d.flags;
        return DeclarationSummary({
            status: d.status,
            flow: d.flow,
            flagged: flags & _FLAGGED != 0,
            underAudit: flags & _UNDER_AUDIT != 0,
            trader: d.trader,
            currency: d.currency,
            declaredValue: d.declaredValue,
            consumed: d.consumed
        });
    }

    /// @notice The full stored record of declaration `id` (see {Declaration} for `flags`).
    function declarationOf(uint256 id) external view returns (Declaration memory) {
        return _load(id);
    }

    /// @notice When the duty of declaration `id` falls due (0 before assessment).
    /// An alliance pause stops the clock: the due date moves by the time the system was
    /// paused since assessment (so far).
    function dutyDueAt(uint256 id) external view returns (uint64) {
        Declaration storage d = _load(id);
        if (d.assessedAt == 0) return 0;
        uint64 due = d.assessedAt + DUTY_PAYMENT_PERIOD;
        return due + uint64(_registry.pausedBetween(d.assessedAt, block.timestamp));
    }

    /// @notice True while a bank guarantee backs the duty of `id` and nobody has paid it yet.
    function guaranteeOutstanding(uint256 id) external view returns (bool) {
        Declaration storage d = _load(id);
        return _guaranteeOutstanding(d);
    }

    /// @notice True if `items` are exactly the line items declaration `id` now carries.
    function verifyItems(uint256 id, LineItem[] calldata items) external view returns (bool) {
        return _load(id).itemsHash == hashItems(items);
    }

    /// @notice The commitment stored for a list of line items: keccak256 of their ABI encoding.
    function hashItems(LineItem[] calldata items) public pure returns (bytes32) {
        return keccak256(abi.encode(items));
    }

    /// @notice Number of declarations lodged; ids run from 1 to this.
    function declarationCount() external view returns (uint256) {
        return _declarationCount;
    }

    function registry() external view returns (IAllianceRegistry) {
        return _registry;
    }

    function token() external view returns (IERC20) {
        return _token;
    }

    function treasury() external view returns (address) {
        return _treasury;
    }

    // -------------------------------------------------------------- declarant

    /// @notice Lodge a declaration for `trader`. The caller must be a registered participant
    /// with the DECLARANT role; `trader` must hold the EXPORTER role for an export and the
    /// IMPORTER role for an import. The line items' values must add up to the declared value.
    /// Emits {DeclarationLodged}.
    /// @return id the declaration number (sequential from 1)
    function lodge(Flow flow, address trader, Content calldata content)
        external
        returns (uint256 id)
    {
        (,, uint8 roles) = _access(msg.sender);
        if (roles & DECLARANT == 0) revert CustomsMissingRole(msg.sender, DECLARANT);
        uint8 traderRole = flow == Flow.Export ? EXPORTER : IMPORTER;
        (,, uint8 traderRoles,) = _registry.accessOf(trader);
        if (traderRoles & traderRole == 0) revert CustomsMissingRole(trader, traderRole);
        Valuation calldata valuation = content.valuation;
        bytes32 itemsHash = _checkContent(valuation, content.items);
        bytes32 transportDoc = _checkTransportDocument(content.shipment);

        unchecked {
            id = ++_declarationCount; // cannot overflow: one per transaction
        }
        _claimTransportDocument(transportDoc, flow, id);
        Declaration storage d = _declarations[id];
        d.status = Status.Lodged;
        d.flow = flow;
        d.trader = trader;
        d.declarant = msg.sender;
        d.currency = valuation.currency;
        d.declaredValue = uint96(valuation.declaredValue); // range checked in _checkContent
        d.itemsHash = itemsHash;
        emit DeclarationLodged(id, trader, msg.sender, flow, content);
    }

    /// @notice Replace the content (particulars, values, line items, documents) of declaration
    /// `id` while it is still Lodged (before the risk decision). Its declarant only; flow and
    /// trader cannot change. Emits {DeclarationAmended}.
    function amend(uint256 id, Content calldata content) external {
        Declaration storage d = _loadForDeclarant(id);
        _move(id, d, _bit(Status.Lodged), Status.Lodged);
        Valuation calldata valuation = content.valuation;
        bytes32 itemsHash = _checkContent(valuation, content.items);
        // The goods a declaration is about do not change: a new transport document is a new
        // declaration (withdraw this one and lodge anew).
        bytes32 transportDoc = _checkTransportDocument(content.shipment);
        if (_useOf(transportDoc, d.flow) != id) revert CustomsTransportDocumentChanged(id);
        d.currency = valuation.currency;
        d.declaredValue = uint96(valuation.declaredValue); // range checked in _checkContent
        d.itemsHash = itemsHash;
        emit DeclarationAmended(id, msg.sender, content);
    }

    /// @notice Withdraw declaration `id`. Its declarant only; from Lodged, a green Channelled,
    /// Inspected or Assessed (see the contract notes). Emits {DeclarationWithdrawn}.
    function withdraw(uint256 id) external {
        Declaration storage d = _loadForDeclarant(id);
        uint256 allowed = _bit(Status.Lodged) | _bit(Status.Inspected) | _bit(Status.Assessed);
        if (d.channel == Channel.Green) allowed |= _bit(Status.Channelled);
        _move(id, d, allowed, Status.Withdrawn);
        emit DeclarationWithdrawn(id, msg.sender);
    }

    // ----------------------------------------------------------------- customs

    /// @notice Set the risk channel of a Lodged declaration. Customs only.
    /// Emits {ChannelAssigned}.
    function assignChannel(uint256 id, Channel channel) external {
        _checkCustoms();
        if (channel == Channel.None) revert CustomsInvalidChannel();
        Declaration storage d = _load(id);
        _move(id, d, _bit(Status.Lodged), Status.Channelled);
        d.channel = channel;
        emit ChannelAssigned(id, channel);
    }

    /// @notice Record the document check of a yellow or red declaration. A yellow one whose
    /// documents pass is Inspected; a red one also needs {recordInspection}. A failed check
    /// leaves only rejection. Customs only. Emits {DocumentsChecked}.
    function recordDocumentCheck(uint256 id, bool passed, bytes32 reportHash) external {
        _checkCustoms();
        Declaration storage d = _load(id);
        _recordCheck(id, d, _DOCUMENTS_CHECKED, Channel.Yellow, passed);
        emit DocumentsChecked(id, passed, reportHash);
    }

    /// @notice Record the physical inspection of a red declaration (`reportHash`: hash of the
    /// inspection report). A failed inspection leaves only rejection. Customs only.
    /// Emits {GoodsInspected}.
    function recordInspection(uint256 id, bool passed, bytes32 reportHash) external {
        _checkCustoms();
        Declaration storage d = _load(id);
        _recordCheck(id, d, _GOODS_INSPECTED, Channel.Red, passed);
        emit GoodsInspected(id, passed, reportHash);
    }

    /// @notice Assess the duty of declaration `id` in fen (zero allowed: the declaration is
    /// then DutySecured at once). From Inspected, or from Channelled on the green channel.
    /// Customs only. Emits {DutyAssessed}.
    function assessDuty(uint256 id, uint128 amount) external {
        _checkCustoms();
        Declaration storage d = _load(id);
        uint256 allowed =
            d.channel == Channel.Green ? _bit(Status.Channelled) : _bit(Status.Inspected);
        if (amount > type(uint120).max) revert CustomsDutyTooLarge(amount);
        _move(id, d, allowed, amount == 0 ? Status.DutySecured : Status.Assessed);
        d.duty = uint120(amount);
        d.assessedAt = uint40(block.timestamp);
        emit DutyAssessed(id, amount, uint64(block.timestamp) + DUTY_PAYMENT_PERIOD);
    }

    /// @notice Release the goods of a DutySecured declaration. Customs only.
    /// Emits {DeclarationReleased}.
    function release(uint256 id) external {
        _checkCustoms();
        Declaration storage d = _load(id);
        _move(id, d, _bit(Status.DutySecured), Status.Released);
        d.releasedAt = uint40(block.timestamp);
        emit DeclarationReleased(id);
    }

    /// @notice Reject declaration `id` from any state before release, with a reason code and
    /// the hash of the reasoned decision. An outstanding guarantee is discharged; any duty
    /// already collected is refunded off the chain. Customs only.
    /// Emits {DeclarationRejected} (and {GuaranteeDischarged}).
    function reject(uint256 id, uint16 reasonCode, bytes32 reasonHash) external {
        _checkCustoms();
        Declaration storage d = _load(id);
        bool discharge = _guaranteeOutstanding(d);
        uint256 allowed = _bit(Status.Lodged) | _bit(Status.Channelled) | _bit(Status.Inspected)
            | _bit(Status.Assessed) | _bit(Status.DutySecured);
        _move(id, d, allowed, Status.Rejected);
        emit DeclarationRejected(id, reasonCode, reasonHash);
        if (discharge) {
            address bank = d.guarantor;
            emit GuaranteeDischarged(id, bank);
            emit GuaranteeEscrowReleased(id, bank, d.duty);
            _token.safeTransfer(bank, d.duty);
        }
    }

    /// @notice Call the guarantee of declaration `id` once its duty is overdue: the duty is
    /// drawn from the guarantor bank account (which must have approved this contract) into
    /// the treasury. DutySecured or Released declarations only. Customs only.
    /// Emits {GuaranteeCalled}.
    function callGuarantee(uint256 id) external {
        _checkCustoms();
        Declaration storage d = _load(id);
        uint8 flags = d.flags;
        if (flags & _GUARANTEED == 0) revert CustomsNoGuarantee(id);
        if (flags & _COLLECTED != 0) revert CustomsDutyAlreadyCollected(id);
        Status status = d.status;
        if (status != Status.DutySecured && status != Status.Released) {
            revert CustomsWrongStatus(id, status);
        }
        uint64 dueAt = _dutyDueAt(d);
        if (block.timestamp <= dueAt) revert CustomsGuaranteeNotDue(id, dueAt);
        d.flags = flags | _GUARANTEE_CALLED;
        address bank = d.guarantor;
        uint128 amount = d.duty;
        emit GuaranteeCalled(id, bank, amount);
        // The guarantee was backed when given: the duty has been held here since.
        _token.safeTransfer(_treasury, amount);
    }

    /// @notice Open a post-clearance audit of a released declaration, within
    /// `AUDIT_PERIOD` of release. Customs only. Emits {AuditOpened}.
    function openAudit(uint256 id) external {
        _checkCustoms();
        Declaration storage d = _load(id);
        Status status = d.status;
        if (status != Status.Released) revert CustomsWrongStatus(id, status);
        uint8 flags = d.flags;
        if (flags & _UNDER_AUDIT != 0) revert CustomsAuditAlreadyOpen(id);
        uint64 releasedAt = d.releasedAt;
        if (block.timestamp > releasedAt + AUDIT_PERIOD) {
            revert CustomsAuditPeriodOver(id, releasedAt);
        }
        d.flags = flags | _UNDER_AUDIT;
        emit AuditOpened(id);
    }

    /// @notice Close the open audit of `id` with its findings. A flag, once set, stays.
    /// Customs only. Emits {AuditClosed}.
    function closeAudit(uint256 id, bool flagged, bytes32 findingsHash) external {
        _checkCustoms();
        Declaration storage d = _load(id);
        uint8 flags = d.flags;
        if (flags & _UNDER_AUDIT == 0) revert CustomsNoAuditOpen(id);
        flags &= ~_UNDER_AUDIT;
        if (flagged) flags |= _FLAGGED;
        d.flags = flags;
        emit AuditClosed(id, flagged, findingsHash);
    }

    /// @notice Move duty to a new treasury account. Customs only. Emits {TreasuryChanged}.
    function setTreasury(address newTreasury) external {
        _checkCustoms();
        _setTreasury(newTreasury);
    }

    // -------------------------------------------------------------------- duty

    /// @notice Pay the duty of declaration `id` from the caller (the trader or anyone for
    /// it), who must have approved this contract for the amount. From Assessed, or later to
    /// discharge an outstanding bank guarantee. Emits {DutyPaid} (and {GuaranteeDischarged}).
    function payDuty(uint256 id) external {
        _payDuty(id);
    }

    /// @notice {payDuty} with an EIP-2612 permit for the duty amount signed by the caller,
    /// in one transaction. If the permit was already used (e.g. front-run), the allowance it
    /// gave is used.
    function payDutyWithPermit(uint256 id, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
    {
        uint128 amount = _load(id).duty;
        try IERC20Permit(address(_token)).permit(
            msg.sender, address(this), amount, deadline, v, r, s
        ) {} catch {}
        _payDuty(id);
    }

    /// @notice Guarantee the duty of an Assessed declaration: the declaration is DutySecured
    /// and can be released before the duty is paid. The caller is a commercial-bank operator;
    /// `bank` is the account of the same bank (the caller itself or another operator of its
    /// bank) the guarantee is backed by: the duty is taken from it into this contract now (it
    /// must have approved this contract), paid to the treasury if the guarantee is called, and
    /// handed back to `bank` when the trader pays the duty itself or the declaration is
    /// rejected. A guarantee is therefore never given by a bank that could not pay it.
    /// Emits {DutyGuaranteed}.
    function guaranteeDuty(uint256 id, address bank) external {
        (IAllianceRegistry.MemberKind kind, uint16 memberId,) = _access(msg.sender);
        if (kind != IAllianceRegistry.MemberKind.CommercialBank) revert CustomsNotBank(msg.sender);
        if (bank != msg.sender) {
            (IAllianceRegistry.MemberKind bankKind, uint16 bankMemberId,,) =
                _registry.accessOf(bank);
            if (bankKind != kind || bankMemberId != memberId) revert CustomsInvalidGuarantor(bank);
        }
        Declaration storage d = _load(id);
        _move(id, d, _bit(Status.Assessed), Status.DutySecured);
        d.flags |= _GUARANTEED;
        d.guarantor = bank;
        uint128 duty = d.duty;
        emit DutyGuaranteed(id, bank, duty);
        // A named error rather than the token's, so the bank sees it cannot back the guarantee.
        if (!_token.trySafeTransferFrom(bank, address(this), duty)) {
            revert CustomsGuarantorCannotPay(id, bank, duty);
        }
    }

    // ------------------------------------------------------ value register

    /// @inheritdoc ICustomsClearanceView
    function consume(uint256 id, bytes32 transportDoc, uint256 units)
        external
        returns (uint256 consumed)
    {
        _checkSystemContract();
        Declaration storage d = _load(id);
        // Only released goods have a value to use: before release the declared value may still
        // be amended (below what was used) and the declaration withdrawn or rejected, freeing
        // its transport document for a new declaration with a fresh value.
        Status status = d.status;
        if (status != Status.Released) revert CustomsWrongStatus(id, status);
        if (transportDoc != 0 && _useOf(transportDoc, d.flow) != id) {
            revert CustomsTransportDocumentMismatch(id, transportDoc);
        }
        consumed = d.consumed;
        uint256 remaining = d.declaredValue - consumed; // consumed never exceeds the value
        if (units == 0 || units > remaining) revert CustomsValueExhausted(id, units, remaining);
        unchecked {
            consumed += units; // at most the declared value, a uint96
        }
        d.consumed = uint96(consumed);
        emit DeclarationValueConsumed(id, msg.sender, units, consumed);
    }

    /// @inheritdoc ICustomsClearanceView
    function restore(uint256 id, uint256 units) external returns (uint256 consumed) {
        _checkSystemContract();
        Declaration storage d = _load(id);
        consumed = d.consumed;
        if (units == 0 || units > consumed) {
            revert CustomsRestoreExceedsConsumed(id, units, consumed);
        }
        unchecked {
            consumed -= units;
        }
        d.consumed = uint96(consumed);
        emit DeclarationValueRestored(id, msg.sender, units, consumed);
    }

    /// @inheritdoc ICustomsClearanceView
    function transportDocumentOf(bytes32 transportDoc)
        external
        view
        returns (uint256 exportId, uint256 importId)
    {
        TransportDocumentUse memory u = _transportDocs[transportDoc];
        return (u.exportId, u.importId);
    }

    /// @inheritdoc ICustomsClearanceView
    function transportDocumentKey(address carrier, bytes32 number)
        external
        pure
        returns (bytes32)
    {
        return DocumentKeys.key(carrier, number);
    }

    // ---------------------------------------------------------------- internal

    /// @dev The shipment names a registered carrier and its transport document; returns the
    /// document's register key.
    function _checkTransportDocument(Shipment calldata shipment) private view returns (bytes32) {
        address carrier = shipment.carrier;
        (,, uint8 roles,) = _registry.accessOf(carrier);
        if (roles & CARRIER == 0) revert CustomsMissingRole(carrier, CARRIER);
        return DocumentKeys.key(carrier, shipment.transportDocNumber);
    }

    /// @dev One transport document backs one live declaration per flow: a second one is
    /// refused until the first is withdrawn or rejected (released goods stay on the record).
    function _claimTransportDocument(bytes32 transportDoc, Flow flow, uint256 id) private {
        TransportDocumentUse storage u = _transportDocs[transportDoc];
        uint256 previous = flow == Flow.Export ? u.exportId : u.importId;
        if (previous != 0) {
            Status status = _declarations[previous].status;
            if (status != Status.Withdrawn && status != Status.Rejected) {
                revert CustomsTransportDocumentInUse(transportDoc, previous);
            }
        }
        // Ids fit: one declaration per transaction never reaches 2**64.
        if (flow == Flow.Export) u.exportId = uint64(id);
        else u.importId = uint64(id);
    }

    function _useOf(bytes32 transportDoc, Flow flow) private view returns (uint256) {
        TransportDocumentUse storage u = _transportDocs[transportDoc];
        return flow == Flow.Export ? u.exportId : u.importId;
    }

    /// @dev The duty's due date, moved on by the time the alliance was paused since assessment.
    /// The registry is always asked: before the plain due date a call is refused anyway, and
    /// its CustomsGuaranteeNotDue must name the moved date (as {dutyDueAt} does), not the plain.
    function _dutyDueAt(Declaration storage d) private view returns (uint64) {
        uint64 assessedAt = d.assessedAt;
        return assessedAt + DUTY_PAYMENT_PERIOD
            + uint64(_registry.pausedBetween(assessedAt, block.timestamp));
    }

    function _checkSystemContract() private view {
        if (!_registry.isSystemContract(msg.sender)) revert CustomsNotSystemContract(msg.sender);
    }

    function _payDuty(uint256 id) private {
        _checkNotPaused();
        Declaration storage d = _load(id);
        uint8 flags = d.flags;
        if (flags & _COLLECTED != 0) revert CustomsDutyAlreadyCollected(id);
        bool discharge = _guaranteeOutstanding(d);
        if (!discharge) _move(id, d, _bit(Status.Assessed), Status.DutySecured);
        d.flags = flags | _DUTY_PAID;
        uint128 amount = d.duty;
        emit DutyPaid(id, msg.sender, amount);
        address bank = d.guarantor;
        if (discharge) {
            emit GuaranteeDischarged(id, bank);
            emit GuaranteeEscrowReleased(id, bank, amount);
        }
        _token.safeTransferFrom(msg.sender, _treasury, amount);
        if (discharge) _token.safeTransfer(bank, amount);
    }

    /// @dev The one place a declaration changes status: `allowed` is a bit set of the states
    /// it may leave (bit i for Status i). Amend's Lodged -> Lodged is the only non-advance.
    /// Then the invariant every move keeps: nothing is assessed, secured or released unless it
    /// passed every check its channel requires (a red one: documents and inspection). The
    /// allowed sets already ensure it; this states it in one place, as a last line of defence.
    function _move(uint256 id, Declaration storage d, uint256 allowed, Status to) private {
        Status from = d.status;
        if (allowed & _bit(from) == 0) revert CustomsWrongStatus(id, from);
        d.status = to;
        if (to >= Status.Assessed && to <= Status.Released) {
            uint8 needed = _requiredChecks(d.channel);
            if (d.flags & (needed | _CHECK_FAILED) != needed) revert CustomsChecksIncomplete(id);
        }
    }

    /// @dev The check flags a channel requires (no channel: an impossible set, so never met).
    function _requiredChecks(Channel channel) private pure returns (uint8) {
        if (channel == Channel.Green) return 0;
        if (channel == Channel.Yellow) return _DOCUMENTS_CHECKED;
        if (channel == Channel.Red) return _DOCUMENTS_CHECKED | _GOODS_INSPECTED;
        return _CHECK_FAILED;
    }

    /// @dev A document check (`check` = _DOCUMENTS_CHECKED, needed from yellow up) or an
    /// inspection (`_GOODS_INSPECTED`, red only). Inspected once every check the channel needs
    /// has passed.
    function _recordCheck(
        uint256 id,
        Declaration storage d,
        uint8 check,
        Channel lowestChannel,
        bool passed
    ) private {
        Status status = d.status;
        if (status != Status.Channelled) revert CustomsWrongStatus(id, status);
        Channel channel = d.channel;
        if (channel < lowestChannel) revert CustomsCheckNotRequired(id, channel);
        uint8 flags = d.flags;
        if (flags & _CHECK_FAILED != 0) revert CustomsCheckFailed(id);
        if (flags & check != 0) revert CustomsCheckAlreadyRecorded(id);
        if (!passed) {
            d.flags = flags | _CHECK_FAILED;
            return;
        }
        flags |= check;
        d.flags = flags;
        uint8 needed = _requiredChecks(channel);
        if (flags & needed == needed) _move(id, d, _bit(Status.Channelled), Status.Inspected);
    }

    /// @dev Validates the line items against the valuation; returns their hash.
    function _checkContent(Valuation calldata valuation, LineItem[] calldata items)
        private
        pure
        returns (bytes32)
    {
        if (valuation.currency == bytes3(0)) revert CustomsInvalidCurrency();
        uint256 count = items.length;
        if (count == 0) revert CustomsNoLineItems();
        if (count > MAX_LINE_ITEMS) revert CustomsTooManyLineItems(count);
        uint256 total;
        for (uint256 i; i < count; ++i) {
            LineItem calldata item = items[i];
            uint256 chapter = item.hsCode / 1e8; // 10 digits: chapter 01-97 leads
            if (chapter == 0 || chapter > 97 || item.quantity == 0) {
                revert CustomsInvalidLineItem(i);
            }
            unchecked {
                total += item.value; // at most 50 values below 2**128: no overflow
            }
        }
        uint128 declaredValue = valuation.declaredValue;
        if (total != declaredValue) revert CustomsValueMismatch(total, declaredValue);
        if (declaredValue > type(uint96).max) revert CustomsValueTooLarge(declaredValue);
        return keccak256(abi.encode(items));
    }

    function _guaranteeOutstanding(Declaration storage d) private view returns (bool) {
        return d.flags & (_GUARANTEED | _COLLECTED) == _GUARANTEED
            && (d.status == Status.DutySecured || d.status == Status.Released);
    }

    function _load(uint256 id) private view returns (Declaration storage d) {
        d = _declarations[id];
        if (d.status == Status.None) revert CustomsUnknownDeclaration(id);
    }

    function _loadForDeclarant(uint256 id) private view returns (Declaration storage d) {
        _access(msg.sender);
        d = _load(id);
        if (d.declarant != msg.sender) revert CustomsNotDeclarant(id, msg.sender);
    }

    function _checkCustoms() private view {
        (IAllianceRegistry.MemberKind kind,,) = _access(msg.sender);
        if (kind != IAllianceRegistry.MemberKind.Customs) revert CustomsNotCustoms(msg.sender);
    }

    function _checkNotPaused() private view {
        if (_registry.paused()) revert CustomsPaused();
    }

    /// @dev One registry call: the caller's authority, and the alliance-wide pause.
    function _access(address account)
        private
        view
        returns (IAllianceRegistry.MemberKind kind, uint16 memberId, uint8 roles)
    {
        bool systemPaused;
        (kind, memberId, roles, systemPaused) = _registry.accessOf(account);
        if (systemPaused) revert CustomsPaused();
    }

    function _setTreasury(address newTreasury) private {
        if (newTreasury == address(0)) revert CustomsZeroAddress();
        if (!_registry.canHoldTokens(newTreasury)) revert CustomsInvalidTreasury(newTreasury);
        address previous = _treasury;
        _treasury = newTreasury;
        emit TreasuryChanged(previous, newTreasury);
    }

    function _bit(Status status) private pure returns (uint256) {
        return 1 << uint8(status);
    }
}
