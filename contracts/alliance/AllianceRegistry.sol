// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAllianceRegistry} from "../../interfaces/IAllianceRegistry.sol";

/// @title The E-Port alliance registry.
/// @notice Members (customs, the central bank, government departments, commercial banks) act
/// through operator addresses; they register participants and govern the alliance by a strict
/// majority of active members. See {IAllianceRegistry}.
/// @dev Everything `accessOf`, `canHoldTokens` and `tokenAccess` need about an address lives in
/// ONE storage slot (`Account`): an operator's member kind is copied into it, removing a member
/// clears its operators' records, and the eCNY freeze flag sits there too, so authorising a
/// call costs two SLOADs (account and pause flag). An address is either an operator or a
/// participant, never both. A participant's roles change only through the member that
/// registered it, a suspension is lifted only by the member that imposed it; a vote can do both.
contract AllianceRegistry is IAllianceRegistry {
    /// @notice What a governance proposal does. `data` is the ABI encoding of:
    /// AdmitMember (MemberKind kind, bytes32 nameHash, address[] operators),
    /// RemoveMember (uint16 memberId), AddOperator and RemoveOperator (uint16 memberId,
    /// address operator), ReplaceOperator (uint16 memberId, address oldOperator,
    /// address newOperator), SetSystemContract (address target, bool enabled),
    /// Pause and Unpause (empty), SetParticipantRoles (address account, uint8 roles),
    /// ReinstateParticipant (address account). New actions are appended: numbers never change.
    enum Action {
        AdmitMember,
        RemoveMember,
        AddOperator,
        RemoveOperator,
        ReplaceOperator,
        SetSystemContract,
        Pause,
        Unpause,
        SetParticipantRoles,
        ReinstateParticipant
    }

    struct Account {
        uint16 memberId; // the member this address operates for (0: not an operator)
        MemberKind kind; // that member's kind, copied here so authorising is one read
        uint8 roles; // participant role bits (0: not a participant)
        uint16 registeredBy; // member that registered the participant: only it changes the roles
        uint16 suspendedBy; // member that suspended the participant (0: not suspended)
        bool systemContract;
        bool frozen; // eCNY frozen by the central bank (set through the token, a system contract)
    }

    struct Member {
        MemberKind kind;
        bool active;
        bytes32 nameHash;
        address[] operators;
    }

    struct Proposal {
        Action action;
        uint16 proposer;
        bool executed;
        uint64 deadline;
        uint16[] voters; // members that voted yes, recounted against active members
        bytes data;
    }

    uint8 public constant EXPORTER = 1;
    uint8 public constant IMPORTER = 2;
    uint8 public constant CARRIER = 4;
    uint8 public constant DECLARANT = 8;
    uint8 public constant ALL_ROLES = EXPORTER | IMPORTER | CARRIER | DECLARANT;
    uint64 public constant VOTING_PERIOD = 7 days;
    uint256 public constant MAX_OPERATORS = 8;

    /// @dev One past pause of the whole system, [start, end) in seconds.
    struct PausePeriod {
        uint40 start;
        uint40 end;
    }

    // One slot: bootstrapper, member counters, pause flag and when the current pause began.
    address private _bootstrapper;
    uint16 private _lastMemberId;
    uint16 private _activeMembers;
    bool private _paused;
    uint40 private _pausedAt;
    /// @dev Every ended pause, oldest first (pauses are rare: a handful in a chain's life).
    PausePeriod[] private _pauses;

    uint256 private _proposalCount;
    mapping(address account => Account) private _accounts;
    mapping(uint16 memberId => Member) private _members;
    mapping(uint256 proposalId => Proposal) private _proposals;
    mapping(uint256 proposalId => mapping(uint16 memberId => bool)) private _voted;

    event MemberAdmitted(uint16 indexed memberId, MemberKind kind, bytes32 nameHash);
    event MemberRemoved(uint16 indexed memberId);
    event OperatorAdded(uint16 indexed memberId, address indexed operator);
    event OperatorRemoved(uint16 indexed memberId, address indexed operator);
    event ParticipantRegistered(address indexed account, uint8 roles, uint16 indexed memberId);
    event ParticipantSuspended(address indexed account, uint16 indexed memberId);
    event ParticipantReinstated(address indexed account, uint16 indexed memberId);
    event ParticipantRolesSetByVote(
        address indexed account, uint8 roles, uint256 indexed proposalId
    );
    event ParticipantReinstatedByVote(address indexed account, uint256 indexed proposalId);
    event FrozenSet(address indexed account, bool frozen, address indexed systemContract);
    event SystemContractSet(address indexed target, bool enabled);
    event SystemPaused(uint256 indexed proposalId);
    event SystemUnpaused(uint256 indexed proposalId);
    event BootstrapFinished(address indexed bootstrapper);
    event Proposed(
        uint256 indexed proposalId, uint16 indexed memberId, Action action, bytes data
    );
    event Voted(uint256 indexed proposalId, uint16 indexed memberId);
    event Executed(uint256 indexed proposalId);

    error AllianceNotBootstrapper(address caller);
    error AllianceBootstrapFinished();
    error AllianceNoMembers();
    error AllianceNotMemberOperator(address caller);
    error AllianceSystemPaused();
    error AllianceZeroAddress();
    error AllianceInvalidKind();
    error AllianceInvalidRoles(uint8 roles);
    error AllianceAccountIsOperator(address account);
    error AllianceAccountIsParticipant(address account);
    error AllianceUnknownParticipant(address account);
    error AllianceParticipantAlreadySuspended(address account);
    error AllianceParticipantNotSuspended(address account);
    error AllianceParticipantSuspended(address account, uint16 suspendedBy);
    error AllianceNotRegistrar(address account, uint16 registeredBy);
    error AllianceNotSuspender(address account, uint16 suspendedBy);
    error AllianceNotSystemContract(address caller);
    error AllianceUnknownMember(uint16 memberId);
    error AllianceLastMember(uint16 memberId);
    error AllianceNoOperators();
    error AllianceTooManyOperators(uint16 memberId, uint256 count);
    error AllianceDuplicateOperator(address operator);
    error AllianceNotOperatorOf(uint16 memberId, address operator);
    error AllianceLastOperator(uint16 memberId, address operator);
    error AllianceSystemContractAlreadySet(address target, bool enabled);
    error AllianceAlreadyPaused();
    error AllianceNotPaused();
    error AllianceBadProposalData(Action action);
    error AllianceUnknownProposal(uint256 proposalId);
    error AllianceProposalExpired(uint256 proposalId, uint64 deadline);
    error AllianceProposalAlreadyExecuted(uint256 proposalId);
    error AllianceAlreadyVoted(uint256 proposalId, uint16 memberId);
    error AllianceNoMajority(uint256 proposalId, uint256 yesVotes, uint256 activeMembers);

    constructor() {
        _bootstrapper = msg.sender;
    }

    // ------------------------------------------------------------------ views

    /// @inheritdoc IAllianceRegistry
    function accessOf(address account)
        external
        view
        returns (MemberKind kind, uint16 memberId, uint8 roles, bool systemPaused)
    {
        Account memory a = _accounts[account];
        kind = a.kind;
        memberId = a.memberId;
        if (a.suspendedBy == 0) roles = a.roles;
        systemPaused = _paused;
    }

    /// @inheritdoc IAllianceRegistry
    function canHoldTokens(address account) external view returns (bool) {
        return _canHold(_accounts[account]);
    }

    /// @notice What a token balance change or approval needs to know, in one call: the pause
    /// flag, the first of `from`, `to` that may not hold tokens, and the first of `operator`
    /// (the caller of the token: sender, spender, minting bank or approving owner), `from`,
    /// `to` that the central bank froze. The zero address (mint and burn side) is always
    /// allowed and never frozen, and is what `notAllowed` and `frozen` are when none is.
    /// @dev One SLOAD per distinct non-zero address plus the pause flag.
    function tokenAccess(address operator, address from, address to)
        external
        view
        returns (bool systemPaused, address notAllowed, address frozen)
    {
        systemPaused = _paused;
        bool fromFrozen;
        bool toFrozen;
        if (from != address(0)) {
            bool allowed;
            (allowed, fromFrozen) = _holdAndFrozen(from);
            if (!allowed) return (systemPaused, from, address(0));
        }
        if (to != address(0)) {
            bool allowed;
            (allowed, toFrozen) = _holdAndFrozen(to);
            if (!allowed) return (systemPaused, to, address(0));
        }
        bool operatorFrozen;
        if (operator == from) operatorFrozen = fromFrozen;
        else if (operator == to) operatorFrozen = toFrozen;
        else operatorFrozen = _accounts[operator].frozen;
        if (operatorFrozen) frozen = operator;
        else if (fromFrozen) frozen = from;
        else if (toFrozen) frozen = to;
    }

    /// @notice True if the central bank froze `account`'s eCNY (see {setFrozen}).
    function isFrozen(address account) external view returns (bool) {
        return _accounts[account].frozen;
    }

    /// @inheritdoc IAllianceRegistry
    function paused() external view returns (bool) {
        return _paused;
    }

    /// @inheritdoc IAllianceRegistry
    function pausedBetween(uint256 from, uint256 to) external view returns (uint256 total) {
        if (to <= from) return 0;
        if (_paused) total = _overlap(_pausedAt, block.timestamp, from, to);
        // Newest first; stop at the first pause that ended before `from`.
        for (uint256 i = _pauses.length; i > 0; --i) {
            PausePeriod memory p = _pauses[i - 1];
            if (p.end <= from) break;
            total += _overlap(p.start, p.end, from, to);
        }
    }

    /// @notice Every ended pause of the system, oldest first, and the start of the current one
    /// (0 when the system is not paused).
    function pauseHistory()
        external
        view
        returns (PausePeriod[] memory periods, uint256 currentSince)
    {
        return (_pauses, _pausedAt);
    }

    /// @notice The bootstrapper, or the zero address once the bootstrap has finished.
    function bootstrapper() external view returns (address) {
        return _bootstrapper;
    }

    /// @notice Member `memberId` (kind None for an id never issued).
    function memberOf(uint16 memberId)
        external
        view
        returns (MemberKind kind, bool active, bytes32 nameHash, address[] memory operators)
    {
        Member storage m = _members[memberId];
        return (m.kind, m.active, m.nameHash, m.operators);
    }

    /// @notice The highest member id issued so far (ids start at 1 and are never reused).
    function lastMemberId() external view returns (uint16) {
        return _lastMemberId;
    }

    /// @notice The number of active members, whose strict majority decides proposals.
    function activeMemberCount() external view returns (uint16) {
        return _activeMembers;
    }

    /// @notice The participant record of `account` (roles 0 if never registered).
    /// @return roles the role bits, kept while suspended
    /// @return suspended true while a suspension stands
    /// @return registeredBy the member that registered it: only it (or a vote) changes the roles
    /// @return suspendedBy the member that suspended it (0 if not suspended): only it (or a vote)
    /// lifts the suspension
    function participantOf(address account)
        external
        view
        returns (uint8 roles, bool suspended, uint16 registeredBy, uint16 suspendedBy)
    {
        Account memory a = _accounts[account];
        return (a.roles, a.suspendedBy != 0, a.registeredBy, a.suspendedBy);
    }

    /// @notice True if the alliance registered `target` as a system contract.
    function isSystemContract(address target) external view returns (bool) {
        return _accounts[target].systemContract;
    }

    /// @notice The number of proposals made so far (ids start at 1).
    function proposalCount() external view returns (uint256) {
        return _proposalCount;
    }

    /// @notice Proposal `proposalId`; `yesVotes` counts only members that are still active.
    function proposalOf(uint256 proposalId)
        external
        view
        returns (
            Action action,
            uint16 proposer,
            bool executed,
            uint64 deadline,
            uint256 yesVotes,
            bytes memory data
        )
    {
        Proposal storage p = _proposals[proposalId];
        if (p.deadline == 0) revert AllianceUnknownProposal(proposalId);
        return (p.action, p.proposer, p.executed, p.deadline, _yesVotes(p), p.data);
    }

    /// @notice True if member `memberId` voted yes on proposal `proposalId`.
    function hasVoted(uint256 proposalId, uint16 memberId) external view returns (bool) {
        return _voted[proposalId][memberId];
    }

    // -------------------------------------------------------------- bootstrap

    /// @inheritdoc IAllianceRegistry
    function bootstrapMember(MemberKind kind, bytes32 nameHash, address[] calldata operators)
        external
        returns (uint16 memberId)
    {
        _checkBootstrapper();
        return _admitMember(kind, nameHash, operators, true);
    }

    /// @inheritdoc IAllianceRegistry
    function bootstrapSystemContract(address target, bool enabled) external {
        _checkBootstrapper();
        _setSystemContract(target, enabled, true);
    }

    /// @inheritdoc IAllianceRegistry
    function finishBootstrap() external {
        _checkBootstrapper();
        if (_activeMembers == 0) revert AllianceNoMembers();
        _bootstrapper = address(0);
        emit BootstrapFinished(msg.sender);
    }

    // ----------------------------------------------------------- participants

    /// @inheritdoc IAllianceRegistry
    function registerParticipant(address account, uint8 roles) external {
        uint16 memberId = _checkOperatorNotPaused();
        if (account == address(0)) revert AllianceZeroAddress();
        if (roles == 0 || roles & ~ALL_ROLES != 0) revert AllianceInvalidRoles(roles);
        Account storage a = _accounts[account];
        if (a.memberId != 0) revert AllianceAccountIsOperator(account);
        if (a.roles == 0) {
            a.registeredBy = memberId;
        } else {
            // Re-registration changes roles: a suspension is not a way round it, and only the
            // registering member answers for the participant (a removed one: only a vote).
            uint16 suspendedBy = a.suspendedBy;
            if (suspendedBy != 0) revert AllianceParticipantSuspended(account, suspendedBy);
            uint16 registeredBy = a.registeredBy;
            if (registeredBy != memberId) revert AllianceNotRegistrar(account, registeredBy);
        }
        a.roles = roles;
        emit ParticipantRegistered(account, roles, memberId);
    }

    /// @inheritdoc IAllianceRegistry
    function suspendParticipant(address account) external {
        uint16 memberId = _checkOperatorNotPaused();
        Account storage a = _accounts[account];
        if (a.roles == 0) revert AllianceUnknownParticipant(account);
        if (a.suspendedBy != 0) revert AllianceParticipantAlreadySuspended(account);
        a.suspendedBy = memberId;
        emit ParticipantSuspended(account, memberId);
    }

    /// @inheritdoc IAllianceRegistry
    function reinstateParticipant(address account) external {
        uint16 memberId = _checkOperatorNotPaused();
        Account storage a = _accounts[account];
        if (a.roles == 0) revert AllianceUnknownParticipant(account);
        uint16 suspendedBy = a.suspendedBy;
        if (suspendedBy == 0) revert AllianceParticipantNotSuspended(account);
        // Member ids are never reused: a removed suspender's suspension takes a vote.
        if (suspendedBy != memberId) revert AllianceNotSuspender(account, suspendedBy);
        a.suspendedBy = 0;
        emit ParticipantReinstated(account, memberId);
    }

    // ------------------------------------------------------------------ token

    /// @notice Set the eCNY freeze flag of `account`; returns the flag it had. Only a system
    /// contract may: the token calls it for the central bank (`CNYDepositToken.freeze`), which
    /// checks the caller and the reason. Kept here, in the account's slot, so a transfer reads
    /// the freeze with the rest in one call ({tokenAccess}). Emits {FrozenSet} on a change.
    function setFrozen(address account, bool frozen) external returns (bool wasFrozen) {
        if (!_accounts[msg.sender].systemContract) revert AllianceNotSystemContract(msg.sender);
        if (account == address(0)) revert AllianceZeroAddress();
        Account storage a = _accounts[account];
        wasFrozen = a.frozen;
        if (wasFrozen == frozen) return wasFrozen;
        a.frozen = frozen;
        emit FrozenSet(account, frozen, msg.sender);
    }

    // ------------------------------------------------------------- governance

    /// @notice Propose `action` (encoded `data`, see {Action}); the proposer's member votes yes
    /// at once, and the proposal executes as soon as a strict majority of active members has
    /// voted yes. Works while the system is paused. Reverts with the error the action would
    /// raise if it cannot be executed now.
    function propose(Action action, bytes calldata data) external returns (uint256 proposalId) {
        uint16 memberId = _checkOperator();
        proposalId = ++_proposalCount;
        _apply(action, data, proposalId, false);
        Proposal storage p = _proposals[proposalId];
        p.action = action;
        p.proposer = memberId;
        p.deadline = uint64(block.timestamp) + VOTING_PERIOD;
        p.data = data;
        p.voters.push(memberId);
        _voted[proposalId][memberId] = true;
        emit Proposed(proposalId, memberId, action, data);
        emit Voted(proposalId, memberId);
        _tryExecute(proposalId, p);
    }

    /// @notice Vote yes on an open proposal for the caller's member; executes it if this vote
    /// makes the majority. Works while the system is paused.
    function vote(uint256 proposalId) external {
        uint16 memberId = _checkOperator();
        Proposal storage p = _openProposal(proposalId);
        if (_voted[proposalId][memberId]) revert AllianceAlreadyVoted(proposalId, memberId);
        _voted[proposalId][memberId] = true;
        p.voters.push(memberId);
        emit Voted(proposalId, memberId);
        _tryExecute(proposalId, p);
    }

    /// @notice Execute an open proposal that has a majority without a new vote (after the
    /// alliance shrank, earlier yes-votes may now be a majority). Any active member operator.
    function execute(uint256 proposalId) external {
        _checkOperator();
        Proposal storage p = _openProposal(proposalId);
        if (!_tryExecute(proposalId, p)) {
            revert AllianceNoMajority(proposalId, _yesVotes(p), _activeMembers);
        }
    }

    // --------------------------------------------------------------- internal

    /// @dev Seconds of [start, end) inside [from, to).
    function _overlap(uint256 start, uint256 end, uint256 from, uint256 to)
        internal
        pure
        returns (uint256)
    {
        uint256 lo = start > from ? start : from;
        uint256 hi = end < to ? end : to;
        return hi > lo ? hi - lo : 0;
    }

    function _checkBootstrapper() internal view {
        address b = _bootstrapper;
        if (b == address(0)) revert AllianceBootstrapFinished();
        if (msg.sender != b) revert AllianceNotBootstrapper(msg.sender);
    }

    function _checkOperator() internal view returns (uint16 memberId) {
        memberId = _accounts[msg.sender].memberId;
        if (memberId == 0) revert AllianceNotMemberOperator(msg.sender);
    }

    function _checkOperatorNotPaused() internal view returns (uint16 memberId) {
        memberId = _checkOperator();
        if (_paused) revert AllianceSystemPaused();
    }

    /// @dev Whether `account` may hold tokens and whether it is frozen, from one read of its slot.
    function _holdAndFrozen(address account) internal view returns (bool allowed, bool frozen) {
        Account memory a = _accounts[account];
        return (_canHold(a), a.frozen);
    }

    function _canHold(Account memory a) internal pure returns (bool) {
        return a.memberId != 0 || (a.roles != 0 && a.suspendedBy == 0) || a.systemContract;
    }

    function _openProposal(uint256 proposalId) internal view returns (Proposal storage p) {
        p = _proposals[proposalId];
        if (p.deadline == 0) revert AllianceUnknownProposal(proposalId);
        if (p.executed) revert AllianceProposalAlreadyExecuted(proposalId);
        if (block.timestamp > p.deadline) revert AllianceProposalExpired(proposalId, p.deadline);
    }

    /// @dev Yes-votes of members still active: a removed member's vote no longer counts.
    function _yesVotes(Proposal storage p) internal view returns (uint256 yes) {
        uint256 n = p.voters.length;
        for (uint256 i; i < n; ++i) {
            if (_members[p.voters[i]].active) ++yes;
        }
    }

    function _tryExecute(uint256 proposalId, Proposal storage p) internal returns (bool) {
        if (_yesVotes(p) * 2 <= _activeMembers) return false;
        p.executed = true;
        _apply(p.action, p.data, proposalId, true);
        emit Executed(proposalId);
        return true;
    }

    /// @dev Checks `action` against the current state and, if `commit`, carries it out. The
    /// same code validates at proposal time and executes on the deciding vote.
    function _apply(Action action, bytes memory data, uint256 proposalId, bool commit) internal {
        uint256 len = data.length;
        if (action == Action.AdmitMember) {
            if (len < 128) revert AllianceBadProposalData(action);
            (MemberKind kind, bytes32 nameHash, address[] memory operators) =
                abi.decode(data, (MemberKind, bytes32, address[]));
            _admitMember(kind, nameHash, operators, commit);
        } else if (action == Action.RemoveMember) {
            if (len != 32) revert AllianceBadProposalData(action);
            _removeMember(abi.decode(data, (uint16)), commit);
        } else if (action == Action.AddOperator) {
            if (len != 64) revert AllianceBadProposalData(action);
            (uint16 memberId, address operator) = abi.decode(data, (uint16, address));
            _addOperator(memberId, operator, commit);
        } else if (action == Action.RemoveOperator) {
            if (len != 64) revert AllianceBadProposalData(action);
            (uint16 memberId, address operator) = abi.decode(data, (uint16, address));
            _removeOperator(memberId, operator, commit);
        } else if (action == Action.ReplaceOperator) {
            if (len != 96) revert AllianceBadProposalData(action);
            (uint16 memberId, address oldOperator, address newOperator) =
                abi.decode(data, (uint16, address, address));
            _replaceOperator(memberId, oldOperator, newOperator, commit);
        } else if (action == Action.SetSystemContract) {
            if (len != 64) revert AllianceBadProposalData(action);
            (address target, bool enabled) = abi.decode(data, (address, bool));
            _setSystemContract(target, enabled, commit);
        } else if (action == Action.Pause) {
            if (len != 0) revert AllianceBadProposalData(action);
            if (_paused) revert AllianceAlreadyPaused();
            if (commit) {
                _paused = true;
                _pausedAt = uint40(block.timestamp);
                emit SystemPaused(proposalId);
            }
        } else if (action == Action.Unpause) {
            if (len != 0) revert AllianceBadProposalData(action);
            if (!_paused) revert AllianceNotPaused();
            if (commit) {
                _paused = false;
                _pauses.push(PausePeriod(_pausedAt, uint40(block.timestamp)));
                _pausedAt = 0;
                emit SystemUnpaused(proposalId);
            }
        } else if (action == Action.SetParticipantRoles) {
            if (len != 64) revert AllianceBadProposalData(action);
            // Decoded as words so that values out of range get the named error.
            (uint256 account, uint256 roles) = abi.decode(data, (uint256, uint256));
            if (account >> 160 != 0 || roles >> 8 != 0) revert AllianceBadProposalData(action);
            _setParticipantRoles(address(uint160(account)), uint8(roles), proposalId, commit);
        } else {
            if (len != 32) revert AllianceBadProposalData(action);
            uint256 account = abi.decode(data, (uint256));
            if (account >> 160 != 0) revert AllianceBadProposalData(action);
            _reinstateByVote(address(uint160(account)), proposalId, commit);
        }
    }

    /// @dev The alliance changes a participant's roles; a suspension stays, and so does the
    /// registering member.
    function _setParticipantRoles(address account, uint8 roles, uint256 proposalId, bool commit)
        internal
    {
        if (roles == 0 || roles & ~ALL_ROLES != 0) revert AllianceInvalidRoles(roles);
        Account storage a = _accounts[account];
        if (a.roles == 0) revert AllianceUnknownParticipant(account);
        if (!commit) return;
        a.roles = roles;
        emit ParticipantRolesSetByVote(account, roles, proposalId);
    }

    /// @dev The alliance lifts a suspension, whoever imposed it.
    function _reinstateByVote(address account, uint256 proposalId, bool commit) internal {
        Account storage a = _accounts[account];
        if (a.roles == 0) revert AllianceUnknownParticipant(account);
        if (a.suspendedBy == 0) revert AllianceParticipantNotSuspended(account);
        if (!commit) return;
        a.suspendedBy = 0;
        emit ParticipantReinstatedByVote(account, proposalId);
    }

    function _admitMember(
        MemberKind kind,
        bytes32 nameHash,
        address[] memory operators,
        bool commit
    ) internal returns (uint16 memberId) {
        if (kind == MemberKind.None) revert AllianceInvalidKind();
        uint256 n = operators.length;
        if (n == 0) revert AllianceNoOperators();
        if (n > MAX_OPERATORS) revert AllianceTooManyOperators(_lastMemberId + 1, n);
        for (uint256 i; i < n; ++i) {
            _checkNewOperator(operators[i]);
            for (uint256 j; j < i; ++j) {
                if (operators[j] == operators[i]) revert AllianceDuplicateOperator(operators[i]);
            }
        }
        if (!commit) return 0;
        memberId = ++_lastMemberId;
        ++_activeMembers;
        Member storage m = _members[memberId];
        m.kind = kind;
        m.active = true;
        m.nameHash = nameHash;
        emit MemberAdmitted(memberId, kind, nameHash);
        for (uint256 i; i < n; ++i) {
            _attachOperator(memberId, kind, operators[i]);
            m.operators.push(operators[i]);
        }
    }

    function _removeMember(uint16 memberId, bool commit) internal {
        Member storage m = _activeMember(memberId);
        if (_activeMembers == 1) revert AllianceLastMember(memberId);
        if (!commit) return;
        m.active = false;
        --_activeMembers;
        address[] storage ops = m.operators;
        // Clearing every operator record is what makes the removal take effect at once while
        // `accessOf` stays a single read; a member has at most MAX_OPERATORS operators.
        for (uint256 i = ops.length; i > 0; --i) {
            _detachOperator(memberId, ops[i - 1]);
            ops.pop();
        }
        emit MemberRemoved(memberId);
    }

    function _addOperator(uint16 memberId, address operator, bool commit) internal {
        Member storage m = _activeMember(memberId);
        if (m.operators.length >= MAX_OPERATORS) {
            revert AllianceTooManyOperators(memberId, m.operators.length + 1);
        }
        _checkNewOperator(operator);
        if (!commit) return;
        m.operators.push(operator);
        _attachOperator(memberId, m.kind, operator);
    }

    function _removeOperator(uint16 memberId, address operator, bool commit) internal {
        Member storage m = _activeMember(memberId);
        uint256 index = _operatorIndex(m, memberId, operator);
        if (m.operators.length == 1) revert AllianceLastOperator(memberId, operator);
        if (!commit) return;
        m.operators[index] = m.operators[m.operators.length - 1];
        m.operators.pop();
        _detachOperator(memberId, operator);
    }

    function _replaceOperator(
        uint16 memberId,
        address oldOperator,
        address newOperator,
        bool commit
    ) internal {
        Member storage m = _activeMember(memberId);
        uint256 index = _operatorIndex(m, memberId, oldOperator);
        _checkNewOperator(newOperator);
        if (!commit) return;
        m.operators[index] = newOperator;
        _detachOperator(memberId, oldOperator);
        _attachOperator(memberId, m.kind, newOperator);
    }

    function _setSystemContract(address target, bool enabled, bool commit) internal {
        if (target == address(0)) revert AllianceZeroAddress();
        Account storage a = _accounts[target];
        if (a.systemContract == enabled) revert AllianceSystemContractAlreadySet(target, enabled);
        if (!commit) return;
        a.systemContract = enabled;
        emit SystemContractSet(target, enabled);
    }

    function _activeMember(uint16 memberId) internal view returns (Member storage m) {
        m = _members[memberId];
        if (!m.active) revert AllianceUnknownMember(memberId);
    }

    function _operatorIndex(Member storage m, uint16 memberId, address operator)
        internal
        view
        returns (uint256)
    {
        if (_accounts[operator].memberId == memberId) {
            uint256 n = m.operators.length;
            for (uint256 i; i < n; ++i) {
                if (m.operators[i] == operator) return i;
            }
        }
        revert AllianceNotOperatorOf(memberId, operator);
    }

    function _checkNewOperator(address operator) internal view {
        if (operator == address(0)) revert AllianceZeroAddress();
        Account memory a = _accounts[operator];
        if (a.memberId != 0) revert AllianceAccountIsOperator(operator);
        if (a.roles != 0) revert AllianceAccountIsParticipant(operator);
    }

    function _attachOperator(uint16 memberId, MemberKind kind, address operator) internal {
        Account storage a = _accounts[operator];
        a.memberId = memberId;
        a.kind = kind;
        emit OperatorAdded(memberId, operator);
    }

    function _detachOperator(uint16 memberId, address operator) internal {
        Account storage a = _accounts[operator];
        a.memberId = 0;
        a.kind = MemberKind.None;
        emit OperatorRemoved(memberId, operator);
    }
}
