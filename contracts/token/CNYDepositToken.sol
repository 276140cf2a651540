// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {IAllianceRegistry} from "../../interfaces/IAllianceRegistry.sol";
import {AllianceRegistry} from "../alliance/AllianceRegistry.sol";

/// @title E-Port CNY deposit token (eCNY), in fen.
/// @notice Commercial-bank members issue it 1:1 against CNY deposits they hold, each within the
/// issuance cap the central bank sets for it, and burn it when they pay the deposit out. Only
/// addresses the alliance registry allows (active member operators, active participants,
/// system contracts) may send or receive it; the central bank may freeze an account, which then
/// can neither send, receive, spend an allowance, approve, mint nor redeem; nothing moves while
/// the alliance has paused the system.
/// @dev The freeze flags live in the registry, in each account's one slot, so a transfer learns
/// everything it checks with one registry call ({AllianceRegistry-tokenAccess}). The token must
/// be registered as a system contract to set them ({AllianceRegistry-setFrozen}).
contract CNYDepositToken is ERC20, ERC20Permit {
    struct Issuance {
        uint128 cap;
        uint128 outstanding; // minted minus redeemed by this bank
    }

    AllianceRegistry public immutable registry;

    mapping(uint16 bankMemberId => Issuance) private _issuance;

    event Minted(
        uint16 indexed bankMemberId,
        address indexed to,
        bytes32 indexed depositRef,
        address operator,
        uint256 amount
    );
    event Redeemed(
        uint16 indexed bankMemberId,
        address indexed operator,
        bytes32 indexed withdrawalRef,
        uint256 amount
    );
    event IssuanceCapSet(
        uint16 indexed bankMemberId, uint256 cap, uint16 indexed centralBankMemberId
    );
    event AccountFrozen(
        address indexed account, bytes32 reasonHash, uint16 indexed centralBankMemberId
    );
    event AccountUnfrozen(address indexed account, uint16 indexed centralBankMemberId);

    error TokenSystemPaused();
    error TokenNotCommercialBank(address caller);
    error TokenNotCentralBank(address caller);
    error TokenZeroAmount();
    error TokenZeroAddress();
    error TokenCapExceeded(uint16 bankMemberId, uint256 cap, uint256 outstandingAfter);
    error TokenRedeemExceedsOutstanding(uint16 bankMemberId, uint256 outstanding, uint256 amount);
    error TokenNotActiveCommercialBank(uint16 bankMemberId);
    error TokenCapBelowOutstanding(uint16 bankMemberId, uint256 cap, uint256 outstanding);
    error TokenCapTooLarge(uint256 cap);
    error TokenAccountNotAllowed(address account);
    error TokenAccountFrozen(address account);
    error TokenAccountAlreadyFrozen(address account);
    error TokenAccountNotFrozen(address account);

    constructor(AllianceRegistry registry_)
        ERC20("E-Port CNY Deposit Token", "eCNY")
        ERC20Permit("E-Port CNY Deposit Token")
    {
        registry = registry_;
    }

    /// @notice Two decimals: one unit is one fen.
    function decimals() public pure override returns (uint8) {
        return 2;
    }

    /// @notice Issuance cap and outstanding issuance of bank member `bankMemberId`.
    function issuanceOf(uint16 bankMemberId)
        external
        view
        returns (uint256 cap, uint256 outstanding)
    {
        Issuance memory i = _issuance[bankMemberId];
        return (i.cap, i.outstanding);
    }

    /// @notice True if the central bank has frozen `account`.
    function isFrozen(address account) external view returns (bool) {
        return registry.isFrozen(account);
    }

    // ---------------------------------------------------------- commercial banks

    /// @notice Issue `amount` fen to `to` against a deposit the caller's bank holds
    /// (`depositRef`: hash of the bank's deposit record). Commercial-bank operators only,
    /// within their bank's cap. Emits {Minted}.
    function mint(address to, uint256 amount, bytes32 depositRef) external {
        uint16 bank = _checkMember(IAllianceRegistry.MemberKind.CommercialBank);
        if (amount == 0) revert TokenZeroAmount();
        Issuance memory i = _issuance[bank];
        uint256 after_ = i.outstanding + amount;
        if (after_ > i.cap) revert TokenCapExceeded(bank, i.cap, after_);
        // after_ <= cap < 2**128
        _issuance[bank].outstanding = uint128(after_);
        _mint(to, amount);
        emit Minted(bank, to, depositRef, msg.sender, amount);
    }

    /// @notice Burn `amount` fen the caller holds as its bank pays the deposit out
    /// (`withdrawalRef`: hash of the bank's withdrawal record). Commercial-bank operators only,
    /// up to their bank's outstanding issuance. Emits {Redeemed}.
    function redeem(uint256 amount, bytes32 withdrawalRef) external {
        uint16 bank = _checkMember(IAllianceRegistry.MemberKind.CommercialBank);
        if (amount == 0) revert TokenZeroAmount();
        Issuance storage i = _issuance[bank];
        uint256 outstanding = i.outstanding;
        if (amount > outstanding) revert TokenRedeemExceedsOutstanding(bank, outstanding, amount);
        unchecked {
            i.outstanding = uint128(outstanding - amount); // checked just above
        }
        _burn(msg.sender, amount);
        emit Redeemed(bank, msg.sender, withdrawalRef, amount);
    }

    // -------------------------------------------------------------- central bank

    /// @notice Set the issuance cap of active commercial-bank member `bankMemberId`; never
    /// below what it has outstanding. Central-bank operators only. Emits {IssuanceCapSet}.
    function setIssuanceCap(uint16 bankMemberId, uint256 cap) external {
        uint16 cb = _checkMember(IAllianceRegistry.MemberKind.CentralBank);
        (IAllianceRegistry.MemberKind kind, bool active,,) = registry.memberOf(bankMemberId);
        if (!active || kind != IAllianceRegistry.MemberKind.CommercialBank) {
            revert TokenNotActiveCommercialBank(bankMemberId);
        }
        if (cap > type(uint128).max) revert TokenCapTooLarge(cap);
        Issuance storage i = _issuance[bankMemberId];
        if (cap < i.outstanding) revert TokenCapBelowOutstanding(bankMemberId, cap, i.outstanding);
        i.cap = uint128(cap);
        emit IssuanceCapSet(bankMemberId, cap, cb);
    }

    /// @notice Freeze `account`: it can neither send, receive, spend an allowance (as the
    /// spender), approve (nor permit), mint (as a bank operator) nor redeem. `reasonHash` is the
    /// hash of the central bank's order. Central-bank operators only. Emits {AccountFrozen}.
    function freeze(address account, bytes32 reasonHash) external {
        uint16 cb = _checkMember(IAllianceRegistry.MemberKind.CentralBank);
        if (account == address(0)) revert TokenZeroAddress();
        if (registry.setFrozen(account, true)) revert TokenAccountAlreadyFrozen(account);
        emit AccountFrozen(account, reasonHash, cb);
    }

    /// @notice Lift a freeze. Central-bank operators only. Emits {AccountUnfrozen}.
    function unfreeze(address account) external {
        uint16 cb = _checkMember(IAllianceRegistry.MemberKind.CentralBank);
        if (!registry.setFrozen(account, false)) revert TokenAccountNotFrozen(account);
        emit AccountUnfrozen(account, cb);
    }

    // ------------------------------------------------------------------ internal

    function _checkMember(IAllianceRegistry.MemberKind wanted) internal view returns (uint16) {
        (IAllianceRegistry.MemberKind kind, uint16 memberId,, bool systemPaused) =
            registry.accessOf(msg.sender);
        if (kind != wanted) {
            if (wanted == IAllianceRegistry.MemberKind.CentralBank) {
                revert TokenNotCentralBank(msg.sender);
            }
            revert TokenNotCommercialBank(msg.sender);
        }
        if (systemPaused) revert TokenSystemPaused();
        return memberId;
    }

    /// @dev Every balance change (transfer, transferFrom, mint, burn) passes here: one registry
    /// call checks the pause, that both sides may hold tokens, and that neither the caller
    /// (sender, spender of an allowance, minting or redeeming bank operator) nor either side
    /// is frozen.
    function _update(address from, address to, uint256 value) internal override {
        (bool systemPaused, address notAllowed, address frozen) =
            registry.tokenAccess(msg.sender, from, to);
        if (systemPaused) revert TokenSystemPaused();
        if (notAllowed != address(0)) revert TokenAccountNotAllowed(notAllowed);
        // The token is a system contract (to set freezes) but keeps no balance: tokens sent to
        // it could never move again.
        if (to == address(this)) revert TokenAccountNotAllowed(to);
        if (frozen != address(0)) revert TokenAccountFrozen(frozen);
        super._update(from, to, value);
    }

    /// @dev Approvals (`approve`, `permit`) also stop while paused, and a frozen owner gives
    /// none. `_spendAllowance` calls this with `emitEvent` false inside a transfer that
    /// `_update` already checks (the spender included).
    function _approve(address owner, address spender, uint256 value, bool emitEvent)
        internal
        override
    {
        if (emitEvent) {
            (bool systemPaused,, address frozen) =
                registry.tokenAccess(owner, address(0), address(0));
            if (systemPaused) revert TokenSystemPaused();
            if (frozen != address(0)) revert TokenAccountFrozen(frozen);
        }
        super._approve(owner, spender, value, emitEvent);
    }
}
