// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Documentary credits under UCP 600, settled in the CNY deposit token.
/// @notice An importer applies for a credit naming its issuing bank; the bank issues it and the
/// contract takes the maximum drawable amount into escrow, so no honoured presentation can fail
/// for lack of funds. Carriers record transport documents; the beneficiary (or a nominated bank)
/// presents against a customs-released export declaration; the issuing or confirming bank honours
/// or refuses within five banking days; sight drawings pay at once, deferred-payment and
/// acceptance drawings at maturity. The contract enforces the UCP 600 clocks and tolerances:
/// Art. 3 (irrevocable), 6d/14c (presentation by expiry and within 21 days of shipment),
/// 10 (amendment and cancellation), 14b/16 (examination, single refusal notice, preclusion),
/// 29a (a last day on a closed day), 30 (tolerance), 31 (partial drawings and shipments),
/// 33 (banking hours) and 36 (no clock runs while the alliance has paused the system).
/// @dev Amounts are in fen (the token has 2 decimals). Times are Unix timestamps; calendar days
/// and banking days are Shanghai days (UTC+8), see {IBankingCalendar}.
///
/// The clocks. The examination deadline is fixed when the documents are presented (the
/// credit's `examWindow`), so no later change of the banking calendar moves it. A presentation
/// on a closed day or at or after the banks' close of business (17:00 Shanghai, the calendar's
/// CLOSE_OF_BUSINESS) counts as made on the next banking day (Art. 33). Every deadline stops
/// while the system is paused (Art. 36): a deadline `d` of a clock started at `s` has passed at
/// `t` only when `t > d + pausedBetween(s, t)` on the registry. The examination clock starts
/// at presentation, the 21-day clock at shipment on board, and the expiry clock 38 days before
/// expiry (the longest a document can stay presentable: 21 days to the end of the day, plus at
/// most 16 closed days, Art. 29a), so the escrow is never released while some recorded
/// document could still be presented.
interface ILetterOfCreditTypes {
    enum Status {
        None,
        Applied,
        Withdrawn,
        Issued,
        Cancelled,
        Expired
    }

    /// Form of honour (UCP 600 Art. 2 "honour" a, b, c).
    enum Honour {
        Sight,
        DeferredPayment,
        Acceptance
    }

    /// State of a credit's latest presentation.
    enum Exam {
        None,
        Presented,
        Refused,
        Waived,
        Honoured
    }

    /// What the refusing bank does with the documents (Art. 16c iii).
    enum Disposal {
        None,
        HoldingPendingWaiver,
        HoldingUntilInstructions,
        Returning
    }

    enum AmendmentKind {
        None,
        Amend,
        Cancel
    }

    /// The terms an applicant asks for.
    struct Application {
        uint16 issuingBank;
        uint16 advisingBank; // 0 = none
        uint16 confirmingBank; // 0 = none
        address beneficiary;
        uint128 amount; // fen
        bytes3 currency; // "CNY" only
        uint16 toleranceBp; // 0..1000; "about" = 1000 (Art. 30a)
        bool partialAllowed; // Art. 31
        Honour form;
        uint16 tenorDays; // 0 for sight, > 0 otherwise
        uint64 latestShipment;
        uint64 expiry;
        bytes32 documents; // commitment to the list of documents required
        // Art. 30c: with partial drawings forbidden and no tolerance stated, a single drawing
        // may be up to 5 % short of the amount (the UCP default, false); true excludes it and
        // the drawing must be the whole amount (e.g. goods counted in units at a fixed price).
        bool exactAmount;
        address[] carriers; // who may record transport documents (1..MAX_CARRIERS)
    }

    /// A credit as stored: six slots, the sixth written only when a nominated bank presents.
    /// @dev Amounts are stored as uint96 (up to 7.9e26 CNY); the terms are refused with
    /// {LetterOfCreditAmountTooLarge} if the maximum drawable amount would not fit. Times are
    /// stored in 40 bits (seconds until the year 36812; later dates are refused with
    /// {LetterOfCreditBadDates}). The commitment to the documents required is not stored: it is
    /// in {CreditApplied} and in the {AmendmentProposed} event of each accepted amendment.
    struct Credit {
        address applicant;
        uint16 issuingBank;
        uint16 advisingBank; // 0 = none
        uint16 confirmingBank; // 0 = none
        Status status;
        Honour form;
        uint16 tenorDays;
        bool partialAllowed;
        bool confirmed;
        // -- slot
        address beneficiary;
        uint96 amount;
        // -- slot
        address issuer; // the issuing bank's operator that funded the escrow; releases go back here
        uint40 latestShipment;
        uint16 amendments; // number of amendments proposed = id of the latest
        bool advised;
        uint24 voyage; // tag of the first shipment's vessel and voyage (0: nothing shipped)
        bool exactAmount; // Art. 30c excluded (see {Application}); read only for a short drawing
        // -- slot
        uint96 escrow; // tokens held for this credit, unsettled deferred drawings included
        uint96 drawn; // total honoured
        uint40 presentedAt; // latest presentation
        uint24 examWindow; // latest presentation: its examination deadline minus presentedAt,
        // fixed at presentation (Art. 14b, 33); the deadline stops while paused (Art. 36)
        // -- slot
        uint96 presentedAmount; // latest presentation
        uint40 expiry;
        uint32 presentations; // number of presentations = id of the latest
        uint16 toleranceBp;
        Exam exam; // latest presentation
        Disposal disposal; // latest refusal's disposal of documents
        bool byNominatedBank; // the latest presentation was made by `presenter`
        uint48 presentedDeclaration; // latest presentation: the export declaration it consumed
        // -- slot
        address presenter; // the nominated bank's operator that last presented, if any
    }

    /// A pending amendment (Art. 10); `kind == None` when there is none. The new documents
    /// commitment is in its {AmendmentProposed} event.
    struct Amendment {
        uint96 amount;
        uint64 latestShipment;
        uint64 expiry;
        // -- slot (a cancellation writes only the next one)
        address proposer; // paid the top-up; refunded if the amendment does not take effect
        uint16 toleranceBp;
        AmendmentKind kind;
        bool agreedByConfirmingBank; // the confirming bank extends its confirmation to it
    }

    // ------------------------------------------------------------------------------- events
    event CreditApplied(
        uint256 indexed id,
        address indexed applicant,
        address indexed beneficiary,
        Application terms
    );
    event ApplicationWithdrawn(uint256 indexed id);
    event CreditIssued(
        uint256 indexed id, uint16 indexed issuingBank, address indexed issuer, uint128 escrow
    );
    event CreditAdvised(uint256 indexed id, uint16 indexed advisingBank, address indexed operator);
    event CreditConfirmed(
        uint256 indexed id, uint16 indexed confirmingBank, address indexed operator
    );
    event IssuerAccountUpdated(
        uint256 indexed id, address indexed previous, address indexed issuer
    );
    event AmendmentProposed(
        uint256 indexed id,
        uint16 indexed amendmentId,
        AmendmentKind kind,
        uint128 amount,
        uint16 toleranceBp,
        uint64 latestShipment,
        uint64 expiry,
        bytes32 documents,
        uint128 topUp
    );
    event AmendmentAgreed(uint256 indexed id, uint16 indexed amendmentId, uint16 confirmingBank);
    /// @notice The beneficiary accepted an amendment the confirming bank had not agreed to:
    /// the confirmation no longer covers the credit (the bank may confirm it again).
    event ConfirmationEnded(
        uint256 indexed id, uint16 indexed amendmentId, uint16 indexed confirmingBank
    );
    event AmendmentAccepted(uint256 indexed id, uint16 indexed amendmentId);
    event AmendmentRejected(
        uint256 indexed id, uint16 indexed amendmentId, address indexed by, uint128 refunded
    );
    event AmendmentLapsed(uint256 indexed id, uint16 indexed amendmentId, uint128 refunded);
    event CreditCancelled(uint256 indexed id);
    event CreditExpired(uint256 indexed id);
    event EscrowReleased(uint256 indexed id, address indexed to, uint128 amount);
    event TransportDocumentRecorded(
        uint256 indexed id,
        bytes32 indexed transportDoc,
        address indexed carrier,
        uint64 shippedOnBoard
    );
    event DocumentsPresented(
        uint256 indexed id,
        uint32 indexed presentationId,
        address indexed presenter,
        uint128 amount,
        bytes32 transportDoc,
        uint256 declarationId,
        bytes32[] documents
    );
    event PresentationRefused(
        uint256 indexed id,
        uint32 indexed presentationId,
        uint16 indexed bank,
        uint16[] discrepancies,
        bytes32 notice,
        Disposal disposal
    );
    event DiscrepanciesWaived(uint256 indexed id, uint32 indexed presentationId);
    event WaiverDeclined(uint256 indexed id, uint32 indexed presentationId, uint16 indexed bank);
    event PresentationHonoured(
        uint256 indexed id,
        uint32 indexed presentationId,
        address indexed payee,
        uint128 amount,
        uint64 maturity,
        bool precluded
    );
    event DrawingSettled(
        uint256 indexed id, uint32 indexed drawingId, address indexed payee, uint128 amount
    );
    event ClaimTransferred(
        uint256 indexed id, uint32 indexed drawingId, address indexed from, address to
    );

    // ------------------------------------------------------------------------------- errors
    error LetterOfCreditPaused();
    error LetterOfCreditUnknownCredit(uint256 id);
    error LetterOfCreditWrongStatus(uint256 id, Status status);
    error LetterOfCreditNotImporter(address account);
    error LetterOfCreditNotExporter(address account);
    error LetterOfCreditNotCarrier(address account);
    error LetterOfCreditNotNamedCarrier(uint256 id, address account);
    error LetterOfCreditBadCarrier(address carrier);
    error LetterOfCreditBadCarrierCount(uint256 count);
    error LetterOfCreditPayeeFrozen(address account);
    error LetterOfCreditNotApplicant(uint256 id, address account);
    error LetterOfCreditNotBeneficiary(uint256 id, address account);
    error LetterOfCreditNotIssuingBank(uint256 id, address account);
    error LetterOfCreditNotAdvisingBank(uint256 id, address account);
    error LetterOfCreditNotConfirmingBank(uint256 id, address account);
    error LetterOfCreditNotExaminingBank(uint256 id, address account);
    error LetterOfCreditOwnPresentation(uint256 id, uint16 bank);
    error LetterOfCreditNotPresenter(uint256 id, address account);
    error LetterOfCreditNotPayee(uint256 id, uint32 drawingId, address account);
    error LetterOfCreditZeroAmount();
    error LetterOfCreditAmountTooLarge(uint256 amount);
    error LetterOfCreditUnsupportedCurrency(bytes3 currency);
    error LetterOfCreditBadTolerance(uint16 toleranceBp);
    error LetterOfCreditBadTenor(Honour form, uint16 tenorDays);
    error LetterOfCreditBadDates(uint64 latestShipment, uint64 expiry);
    error LetterOfCreditBadBank(uint16 bank);
    error LetterOfCreditBadBeneficiary(address beneficiary);
    error LetterOfCreditMissingCommitment();
    error LetterOfCreditExpired(uint256 id, uint64 expiry);
    error LetterOfCreditNotExpired(uint256 id, uint64 expiry);
    error LetterOfCreditAlreadyAdvised(uint256 id);
    error LetterOfCreditAlreadyConfirmed(uint256 id);
    error LetterOfCreditAmendmentPending(uint256 id, uint16 amendmentId);
    error LetterOfCreditNoSuchAmendment(uint256 id, uint16 amendmentId);
    error LetterOfCreditAmendmentNotAgreed(uint256 id, uint16 amendmentId);
    error LetterOfCreditAmendmentAlreadyAgreed(uint256 id, uint16 amendmentId);
    error LetterOfCreditBelowDrawn(uint256 id, uint128 maxDrawable, uint128 drawn);
    error LetterOfCreditTransportDocumentExists(uint256 id, bytes32 transportDoc);
    error LetterOfCreditUnknownTransportDocument(uint256 id, bytes32 transportDoc);
    error LetterOfCreditShipmentInFuture(uint64 shippedOnBoard, uint64 now_);
    error LetterOfCreditLateShipment(uint256 id, uint64 shippedOnBoard, uint64 latestShipment);
    error LetterOfCreditPartialShipmentNotAllowed(uint256 id);
    error LetterOfCreditPresentationTooLate(uint256 id, uint64 shippedOnBoard, uint64 lastMoment);
    error LetterOfCreditUnderExamination(uint256 id, uint32 presentationId);
    error LetterOfCreditOverdrawn(uint256 id, uint128 amount, uint128 available);
    error LetterOfCreditPartialDrawingNotAllowed(uint256 id);
    error LetterOfCreditOutsideTolerance(uint256 id, uint128 amount, uint128 min, uint128 max);
    error LetterOfCreditUnknownDeclaration(uint256 declarationId);
    error LetterOfCreditDeclarationNotReleased(uint256 declarationId, uint8 status);
    error LetterOfCreditDeclarationFlagged(uint256 declarationId);
    error LetterOfCreditDeclarationNotExport(uint256 declarationId);
    error LetterOfCreditDeclarationTraderMismatch(uint256 declarationId, address trader);
    error LetterOfCreditDeclarationCurrencyMismatch(uint256 declarationId, bytes3 currency);
    error LetterOfCreditUnknownPresentation(uint256 id, uint32 presentationId);
    error LetterOfCreditWrongExam(uint256 id, uint32 presentationId, Exam exam);
    error LetterOfCreditPrecluded(uint256 id, uint32 presentationId, uint64 deadline);
    error LetterOfCreditNotPrecluded(uint256 id, uint32 presentationId, uint64 deadline);
    error LetterOfCreditNoDiscrepancies();
    error LetterOfCreditBadDiscrepancyCode(uint16 code);
    error LetterOfCreditBadDisposal();
    error LetterOfCreditDocumentsReturned(uint256 id, uint32 presentationId);
    error LetterOfCreditUnknownDrawing(uint256 id, uint32 drawingId);
    error LetterOfCreditAlreadySettled(uint256 id, uint32 drawingId);
    error LetterOfCreditNotMature(uint256 id, uint32 drawingId, uint64 maturity);
    error LetterOfCreditBadPayee(address payee);
    error LetterOfCreditEscrowShort(uint256 id, uint128 escrow, uint128 needed);
    error LetterOfCreditNotDelegated();
    error LetterOfCreditBadTerms(address terms);
}

/// @title Documentary credits under UCP 600: the functions (see {ILetterOfCreditTypes}).
interface ILetterOfCredit is ILetterOfCreditTypes {

    // ---------------------------------------------------------------- application, issuance
    /// @notice Apply for a credit (a registered IMPORTER; the beneficiary a registered EXPORTER).
    /// @dev Emits {CreditApplied}. The applicant may withdraw until the bank issues.
    function applyForCredit(Application calldata terms) external returns (uint256 id);

    /// @notice Withdraw an application not yet issued (the applicant).
    /// @dev Emits {ApplicationWithdrawn}.
    function withdrawApplication(uint256 id) external;

    /// @notice Issue credit `id` (an operator of its issuing bank). Pulls `maxDrawable` tokens
    /// from the caller into escrow (approve first). Irrevocable from now on (Art. 3, 7b).
    /// @dev Emits {CreditIssued}.
    function issue(uint256 id) external;

    /// @notice The advising bank's operator advises the credit (Art. 9). Emits {CreditAdvised}.
    function advise(uint256 id) external;

    /// @notice The confirming bank's operator adds its confirmation (Art. 8): it may then examine
    /// and honour too. Emits {CreditConfirmed}.
    function confirm(uint256 id) external;

    /// @notice An operator of the issuing bank becomes the account escrow releases go to, e.g.
    /// after the operator that issued was replaced in the registry (a removed operator can no
    /// longer hold tokens, so releases to it would fail). Emits {IssuerAccountUpdated}.
    function updateIssuerAccount(uint256 id) external;

    // --------------------------------------------------------------- amendments (Art. 10)
    /// @notice The issuing bank proposes new terms. An increase of the maximum drawable amount is
    /// pulled from the caller now and held apart until the beneficiary decides.
    /// @dev Emits {AmendmentProposed}. One pending amendment at a time.
    function proposeAmendment(
        uint256 id,
        uint128 amount,
        uint16 toleranceBp,
        uint64 latestShipment,
        uint64 expiry,
        bytes32 documents
    ) external returns (uint16 amendmentId);

    /// @notice The issuing bank proposes to cancel the credit before expiry (Art. 10a).
    function proposeCancellation(uint256 id) external returns (uint16 amendmentId);

    /// @notice The confirming bank (once it confirmed) extends its confirmation to the pending
    /// amendment, or agrees to the pending cancellation (Art. 10a, b). A confirming bank that
    /// does not agree to an amendment declines to extend its confirmation to it (Art. 10b).
    /// @dev Until the amendment's new expiry (a cancellation: until the credit's expiry).
    /// Emits {AmendmentAgreed}.
    function agreeAmendment(uint256 id, uint16 amendmentId) external;

    /// @notice The beneficiary accepts the whole pending amendment; only now does it take effect.
    /// An amendment (not a cancellation) may be accepted after the credit's old expiry as long
    /// as its own new expiry has not passed (Art. 10b: the issuing bank is bound by it from its
    /// proposal). A confirming bank that did not agree does not block it (Art. 10b): the
    /// confirmation then ends. A cancellation needs the confirming bank's agreement (Art. 10a)
    /// and ends with the credit's expiry.
    /// @dev Emits {AmendmentAccepted} (and {EscrowReleased} on a decrease, {CreditCancelled},
    /// {ConfirmationEnded}).
    function acceptAmendment(uint256 id, uint16 amendmentId) external;

    /// @notice The beneficiary rejects the pending amendment or cancellation; any top-up goes
    /// back to its proposer. The confirming bank (once it confirmed) may reject a pending
    /// cancellation (Art. 10a: it needs its consent), not an amendment (Art. 10b: it may only
    /// decline to extend its confirmation to it, by not agreeing). Emits {AmendmentRejected}.
    function rejectAmendment(uint256 id, uint16 amendmentId) external;

    // ------------------------------------------------------------- shipment, presentation
    /// @notice A carrier the credit names (holding the CARRIER role) records the transport
    /// document `number` (its bill of lading or air waybill number, ASCII left-aligned) it
    /// issued under the credit, with its shipped-on-board date (not in the future, not after
    /// the latest shipment date) and the vessel and voyage (`voyage`, ASCII left-aligned, e.g.
    /// "MSC ANNA 245W"). When partial shipments are forbidden, further documents are accepted
    /// only for the same vessel and voyage (Art. 31b: that is not a partial shipment). The
    /// document is known by its unsalted key, the same customs keeps (DocumentKeys: carrier +
    /// normalised number), which a presentation names. Emits {TransportDocumentRecorded}.
    /// @return transportDoc the document's key
    function recordTransportDocument(
        uint256 id,
        bytes32 number,
        uint64 shippedOnBoard,
        bytes32 voyage
    ) external returns (bytes32 transportDoc);

    /// @notice The beneficiary, or an operator of the advising or confirming bank as nominated
    /// bank, presents documents drawing `amount` against a released export declaration.
    /// @dev Emits {DocumentsPresented}. Art. 6d, 14c, 30, 31.
    function present(
        uint256 id,
        uint128 amount,
        bytes32 transportDoc,
        uint256 declarationId,
        bytes32[] calldata documents
    ) external returns (uint32 presentationId);

    // ------------------------------------------------------------- examination (Art. 14, 16)
    /// @notice The examining bank refuses, in one notice listing every discrepancy, by the end of
    /// the fifth banking day after the day of presentation: the deadline fixed at presentation,
    /// stopped while the system was paused. A confirming bank that presented as nominated bank
    /// does not examine its own presentation ({LetterOfCreditOwnPresentation}).
    /// Emits {PresentationRefused}.
    function refuse(
        uint256 id,
        uint32 presentationId,
        uint16[] calldata discrepancies,
        bytes32 notice,
        Disposal disposal
    ) external;

    /// @notice The applicant waives the discrepancies of a refused presentation whose documents
    /// are still held. Emits {DiscrepanciesWaived}.
    function waive(uint256 id, uint32 presentationId) external;

    /// @notice The examining bank declines the applicant's waiver and returns the documents,
    /// by the examination deadline: seeking a waiver does not extend it (Art. 16b).
    /// @dev Emits {WaiverDeclined}; {LetterOfCreditPrecluded} after the deadline.
    function declineWaiver(uint256 id, uint32 presentationId) external;

    /// @notice The examining bank honours a presentation under examination or waived, also
    /// after the examination deadline. Not its own presentation as nominated bank.
    /// @dev Emits {PresentationHonoured}; a sight drawing is paid at once.
    function honour(uint256 id, uint32 presentationId) external;

    /// @notice The presenter claims honour once the examination deadline has passed (stopped
    /// while paused) of a presentation neither honoured nor refused (Art. 16f), or refused and
    /// then waived by the applicant without the bank declining the waiver in time (Art. 16b:
    /// the waiver does not extend the deadline).
    /// @dev Emits {PresentationHonoured} with `precluded` true.
    function claimPrecluded(uint256 id, uint32 presentationId) external;

    // ------------------------------------------------------------------ maturity, expiry
    /// @notice Pay a deferred-payment or acceptance drawing at or after maturity (anyone).
    function settleAtMaturity(uint256 id, uint32 drawingId) external;

    /// @notice The current payee of an unsettled drawing transfers its claim (to a financing or
    /// discounting bank). Emits {ClaimTransferred}.
    function transferClaim(uint256 id, uint32 drawingId, address newPayee) external;

    /// @notice After expiry ({presentationExpiry}), with no presentation under examination and
    /// no pending amendment whose new expiry has not passed (the beneficiary may still accept
    /// it, Art. 10), return the undrawn escrow to the issuing bank (anyone). Outstanding
    /// deferred drawings stay funded; a pending amendment lapses and its top-up returns.
    function releaseExpired(uint256 id) external;

    // -------------------------------------------------------------------------- views
    function creditOf(uint256 id) external view returns (Credit memory);

    function amendmentOf(uint256 id) external view returns (Amendment memory);

    /// @notice The bank's obligation under a deferred-payment or acceptance drawing.
    /// @dev Reverts with {LetterOfCreditUnknownDrawing} for sight drawings (paid at once).
    function drawingOf(uint256 id, uint32 drawingId)
        external
        view
        returns (
            address payee,
            uint128 amount,
            uint64 maturity,
            bool settled,
            uint256 declarationId
        );

    /// @notice Shipped-on-board date of a recorded transport document (0 if none).
    function shippedOnBoardOf(uint256 id, bytes32 transportDoc) external view returns (uint64);

    function creditCount() external view returns (uint256);

    /// @notice `amount * (10000 + toleranceBp) / 10000`, rounded down (Art. 30).
    function maxDrawable(uint128 amount, uint16 toleranceBp) external pure returns (uint256);

    /// @notice `amount * (10000 - toleranceBp) / 10000`, rounded up (Art. 30).
    function minDrawable(uint128 amount, uint16 toleranceBp) external pure returns (uint256);

    /// @notice The last second a presentation may be made for a shipment on `shippedOnBoard`:
    /// the end of the 21st calendar day after the day of shipment (Art. 14c) or, if the banks
    /// are closed that day, of the first following banking day (Art. 29a), plus the seconds the
    /// system has been paused since the shipment (Art. 36). Never after the credit's expiry
    /// ({presentationExpiry}).
    function presentationDeadline(uint64 shippedOnBoard) external view returns (uint64);

    /// @notice The last second a presentation may be made under credit `id` by its expiry:
    /// the expiry or, if the banks are closed on its day, the end of the first following banking
    /// day (Art. 29a), plus the seconds the system has been paused since 38 days before the
    /// expiry (Art. 36); the undrawn escrow can be released after it.
    function presentationExpiry(uint256 id) external view returns (uint64);

    /// @notice The examination deadline a presentation made at `presentedAt` would get from
    /// today's calendar: the end of the fifth banking day following the day of presentation
    /// (Art. 14b, 16d), where a presentation on a closed day or at or after 17:00 Shanghai
    /// counts as made on the next banking day (Art. 33).
    function examinationDeadline(uint64 presentedAt) external view returns (uint64);
}
