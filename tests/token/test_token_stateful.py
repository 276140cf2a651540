"""Random sequences of mints, redemptions, transfers, approvals, transfers from allowances, cap
changes and freezes against a model."""

from brownie.test import strategy

from tests.helpers import (
    BOCOM_CAP,
    BOCOM_ID,
    ICBC_CAP,
    ICBC_ID,
    digest,
    reverts_with,
    run_state_machine,
)

REF = digest("ref")


class TokenMachine:
    bank_index = strategy("uint8", max_value=1)
    holder_index = strategy("uint8", max_value=6)
    other_index = strategy("uint8", max_value=6)
    spender_index = strategy("uint8", max_value=6)
    amount = strategy("uint256", max_value=BOCOM_CAP // 2)
    small_amount = strategy("uint256", max_value=10_000)
    cap = strategy("uint256", max_value=BOCOM_CAP)

    def __init__(cls, token, pboc, banks, holders):
        cls.token = token
        cls.pboc = pboc
        cls.banks = banks  # [(operator, member id)]
        # Holders: bank operators, participants and one outsider (never allowed).
        cls.holders = holders

    def setup(self):
        self.balances = {str(a): 0 for a in self.holders}
        self.caps = {BOCOM_ID: BOCOM_CAP, ICBC_ID: ICBC_CAP}
        self.outstanding = {BOCOM_ID: 0, ICBC_ID: 0}
        self.frozen = set()
        self.allowances = {}

    def _allowed(self, account):
        return account != self.holders[-1]  # the outsider

    def _blocked(self, caller, *accounts):
        """The error (and its argument) a balance change between `accounts` (the non-zero sides)
        made by `caller` (sender, spender or bank operator) must fail with, or None."""
        for account in accounts:
            if not self._allowed(account):
                return ("TokenAccountNotAllowed", account)
        for account in (caller, *accounts):
            if str(account) in self.frozen:
                return ("TokenAccountFrozen", account)
        return None

    def rule_mint(self, bank_index, holder_index, amount):
        bank, member_id = self.banks[bank_index]
        to = self.holders[holder_index]
        after = self.outstanding[member_id] + amount
        if amount == 0:
            with reverts_with("TokenZeroAmount"):
                self.token.mint(to, amount, REF, {"from": bank})
        elif after > self.caps[member_id]:
            with reverts_with("TokenCapExceeded", member_id, self.caps[member_id], after):
                self.token.mint(to, amount, REF, {"from": bank})
        elif blocked := self._blocked(bank, to):
            with reverts_with(*blocked):
                self.token.mint(to, amount, REF, {"from": bank})
        else:
            self.token.mint(to, amount, REF, {"from": bank})
            self.outstanding[member_id] = after
            self.balances[str(to)] += amount

    def rule_redeem(self, bank_index, small_amount):
        bank, member_id = self.banks[bank_index]
        held = self.balances[str(bank)]
        if small_amount == 0:
            with reverts_with("TokenZeroAmount"):
                self.token.redeem(small_amount, REF, {"from": bank})
        elif small_amount > self.outstanding[member_id]:
            with reverts_with("TokenRedeemExceedsOutstanding"):
                self.token.redeem(small_amount, REF, {"from": bank})
        elif blocked := self._blocked(bank, bank):
            with reverts_with(*blocked):
                self.token.redeem(small_amount, REF, {"from": bank})
        elif small_amount > held:
            with reverts_with("ERC20InsufficientBalance", bank, held, small_amount):
                self.token.redeem(small_amount, REF, {"from": bank})
        else:
            self.token.redeem(small_amount, REF, {"from": bank})
            self.outstanding[member_id] -= small_amount
            self.balances[str(bank)] -= small_amount

    def rule_transfer(self, holder_index, other_index, small_amount):
        sender, to = self.holders[holder_index], self.holders[other_index]
        held = self.balances[str(sender)]
        if blocked := self._blocked(sender, sender, to):
            with reverts_with(*blocked):
                self.token.transfer(to, small_amount, {"from": sender})
        elif small_amount > held:
            with reverts_with("ERC20InsufficientBalance", sender, held, small_amount):
                self.token.transfer(to, small_amount, {"from": sender})
        else:
            self.token.transfer(to, small_amount, {"from": sender})
            self.balances[str(sender)] -= small_amount
            self.balances[str(to)] += small_amount

    def rule_approve(self, holder_index, spender_index, small_amount):
        owner, spender = self.holders[holder_index], self.holders[spender_index]
        if str(owner) in self.frozen:
            with reverts_with("TokenAccountFrozen", owner):
                self.token.approve(spender, small_amount, {"from": owner})
        else:
            self.token.approve(spender, small_amount, {"from": owner})
            self.allowances[(str(owner), str(spender))] = small_amount

    def rule_transfer_from(self, holder_index, other_index, spender_index, small_amount):
        owner, to = self.holders[holder_index], self.holders[other_index]
        spender = self.holders[spender_index]
        allowance = self.allowances.get((str(owner), str(spender)), 0)
        held = self.balances[str(owner)]
        args = (owner, to, small_amount, {"from": spender})
        if small_amount > allowance:
            with reverts_with("ERC20InsufficientAllowance", spender, allowance, small_amount):
                self.token.transferFrom(*args)
        elif blocked := self._blocked(spender, owner, to):
            with reverts_with(*blocked):
                self.token.transferFrom(*args)
        elif small_amount > held:
            with reverts_with("ERC20InsufficientBalance", owner, held, small_amount):
                self.token.transferFrom(*args)
        else:
            self.token.transferFrom(*args)
            self.allowances[(str(owner), str(spender))] = allowance - small_amount
            self.balances[str(owner)] -= small_amount
            self.balances[str(to)] += small_amount

    def rule_set_cap(self, bank_index, cap):
        _, member_id = self.banks[bank_index]
        if cap < self.outstanding[member_id]:
            with reverts_with("TokenCapBelowOutstanding", member_id, cap):
                self.token.setIssuanceCap(member_id, cap, {"from": self.pboc})
        else:
            self.token.setIssuanceCap(member_id, cap, {"from": self.pboc})
            self.caps[member_id] = cap

    def rule_toggle_freeze(self, holder_index):
        account = self.holders[holder_index]
        if str(account) in self.frozen:
            self.token.unfreeze(account, {"from": self.pboc})
            self.frozen.remove(str(account))
        else:
            self.token.freeze(account, REF, {"from": self.pboc})
            self.frozen.add(str(account))

    def invariant_balances_match_the_model(self):
        for account in self.holders:
            assert self.token.balanceOf(account) == self.balances[str(account)]

    def invariant_allowances_match_the_model(self):
        for (owner, spender), allowance in self.allowances.items():
            assert self.token.allowance(owner, spender) == allowance

    def invariant_total_supply_is_the_sum_of_balances(self):
        total = self.token.totalSupply()
        assert total == sum(self.token.balanceOf(a) for a in self.holders)

    def invariant_each_bank_stays_within_its_cap(self):
        for _, member_id in self.banks:
            cap, outstanding = self.token.issuanceOf(member_id)
            assert (cap, outstanding) == (self.caps[member_id], self.outstanding[member_id])
            assert outstanding <= cap

    def invariant_outstanding_issuance_is_the_total_supply(self):
        outstanding = sum(self.token.issuanceOf(m)[1] for _, m in self.banks)
        assert outstanding == self.token.totalSupply()


def test_token_accounting_holds_under_random_operations(
    token, pboc, bocom, icbc, exporter, importer, carrier, declarant, outsider
):
    run_state_machine(
        TokenMachine,
        token,
        pboc,
        [(bocom, BOCOM_ID), (icbc, ICBC_ID)],
        [bocom, icbc, exporter, importer, carrier, declarant, outsider],
        settings={"max_examples": 20, "stateful_step_count": 20},
    )
