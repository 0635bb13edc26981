# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The rebate run: settlements of every contract and ended rebate period.

What it guarantees:
- periods are calendar periods (quarters, halves, years) within the
  contract's validity; a settlement per contract and period, never two (the
  run skips settled periods, the database refuses a second live one);
- running twice creates nothing new: computed settlements are recomputed,
  approved and credited ones are never changed;
- the invoiced amounts of every contract and period come from one SQL
  aggregation: the number of queries does not depend on the number of
  invoices;
- a credit note posted after a period was settled is booked as an adjustment
  line of the next settlement computed for the contract; when that makes the
  amount to credit negative, approval charges it back by an invoice;
- after a change of the contract's rebate period, a new period partly settled
  under the old one is settled for its days not settled yet, and computed
  settlements of the old periods are cancelled: no day is skipped or counted
  twice;
- a settlement computed again after its credit note was cancelled counts
  back the late changes of its period already booked on later settlements.
"""

import logging
from collections import defaultdict
from datetime import date, timedelta

import psycopg2
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

PERIOD_MONTHS = {"quarterly": 3, "half_yearly": 6, "yearly": 12}
SETTLED_STATES = ("approved", "credited")


def calendar_period(rebate_period, day):
    """(first day, last day, key) of the calendar period holding ``day``."""
    months = PERIOD_MONTHS[rebate_period]
    index = (day.month - 1) // months
    start = date(day.year, index * months + 1, 1)
    end = start + relativedelta(months=months, days=-1)
    if rebate_period == "quarterly":
        key = f"{day.year}-Q{index + 1}"
    elif rebate_period == "half_yearly":
        key = f"{day.year}-H{index + 1}"
    else:
        key = f"{day.year}"
    return start, end, key


def tier_for(tiers, base):
    """The tier reached by ``base`` among ``tiers`` (sorted by amount_from),
    or an empty recordset."""
    reached = tiers.browse()
    for tier in tiers:
        if base >= tier.amount_from and base > 0:
            reached = tier
    return reached


class KeyAccountRebateSettlement(models.Model):
    _inherit = "key.account.rebate.settlement"

    # ------------------------------------------------------------------
    # Periods and amounts
    # ------------------------------------------------------------------
    @api.model
    def _rebate_periods(self, contract, until, covered=()):
        """[(date_from, date_to, key)] of the periods of ``contract`` ended by
        ``until`` (included), in order.

        ``covered``: (date_from, date_to) of the days already settled (under
        an earlier rebate period of the contract). A calendar period partly
        covered gives its parts not covered, with the period's key; a period
        wholly covered gives nothing."""
        covered = sorted(covered)
        periods = []
        day = contract.date_start
        while day <= min(contract.date_end, until):
            start, end, key = calendar_period(contract.rebate_period or "yearly", day)
            date_to = min(end, contract.date_end)
            if date_to > until:
                break
            cursor = max(start, contract.date_start)
            for other_from, other_to in covered:
                if other_to < cursor or other_from > date_to:
                    continue
                if other_from > cursor:
                    periods.append((cursor, other_from - timedelta(days=1), key))
                cursor = max(cursor, other_to + timedelta(days=1))
            if cursor <= date_to:
                periods.append((cursor, date_to, key))
            day = end + timedelta(days=1)
        return periods

    @api.model
    def _cumulative_start(self, contract, day):
        """Start of the cumulative window of the period ending on ``day``: the
        calendar year, or the contract's start when it started later."""
        return max(date(day.year, 1, 1), contract.date_start)

    def _tier_window(self, contract, mode, date_from, date_to):
        if mode == "cumulative":
            return (contract.id, self._cumulative_start(contract, date_to), date_to)
        return (contract.id, date_from, date_to)

    @api.model
    def _invoiced_amounts(self, windows):
        """{(contract id, date_from, date_to): untaxed amount of the contract's
        posted customer invoices minus credit notes dated in the window, in
        the contract's currency} for all ``windows`` in one query.

        Invoices in the contract's currency count their own amount; others
        their company-currency amount (at the invoice's own rate), converted
        at the window's end when the contract is in another currency than its
        company. Rebate credit notes do not count.
        """
        windows = sorted(set(windows))
        result = defaultdict(float)
        if not windows:
            return result
        self.env["account.move"].flush_model(
            [
                "key_account_contract_id",
                "key_account_rebate_settlement_id",
                "state",
                "move_type",
                "invoice_date",
                "currency_id",
                "company_id",
                "amount_untaxed",
                "amount_untaxed_signed",
            ]
        )
        query = SQL(
            """SELECT w.contract_id, w.date_from, w.date_to, m.currency_id,
                      SUM(CASE WHEN m.move_type = 'out_refund'
                               THEN -m.amount_untaxed ELSE m.amount_untaxed END),
                      SUM(m.amount_untaxed_signed)
                 FROM unnest(%s::int[], %s::date[], %s::date[])
                          AS w(contract_id, date_from, date_to)
                 JOIN account_move m
                   ON m.key_account_contract_id = w.contract_id
                  AND m.invoice_date BETWEEN w.date_from AND w.date_to
                WHERE m.state = 'posted'
                  AND m.move_type IN ('out_invoice', 'out_refund')
                  AND m.key_account_rebate_settlement_id IS NULL
             GROUP BY w.contract_id, w.date_from, w.date_to, m.currency_id""",
            [w[0] for w in windows],
            [w[1] for w in windows],
            [w[2] for w in windows],
        )
        rows = self.env.execute_query(query)
        contracts = self.env["key.account.contract"].browse({row[0] for row in rows})
        contracts.fetch(["currency_id", "company_id"])
        for (
            contract_id,
            date_from,
            date_to,
            currency_id,
            amount,
            amount_company,
        ) in rows:
            contract = contracts.browse(contract_id)
            if currency_id == contract.currency_id.id:
                value = amount or 0.0
            else:
                value = contract.company_id.currency_id._convert(
                    amount_company or 0.0,
                    contract.currency_id,
                    contract.company_id,
                    date_to,
                    round=False,
                )
            result[(contract_id, date_from, date_to)] += value
        return result

    def _rebate_on(self, contract, tiers, base):
        """(tier, rate, rebate) of ``base`` for ``contract``."""
        tier = tier_for(tiers, base)
        rate = tier.rate if tier else 0.0
        return tier, rate, contract.currency_id.round(base * rate / 100.0)

    # ------------------------------------------------------------------
    # The run
    # ------------------------------------------------------------------
    @api.model
    def _get_rebate_contracts(self, until, companies=None, contracts=None):
        domain = [
            ("state", "in", ("active", "expired", "terminated")),
            ("rebate_tier_ids", "!=", False),
            ("date_start", "<=", until),
        ]
        if companies is not None:
            domain.append(("company_id", "in", companies.ids))
        if contracts is not None:
            domain.append(("id", "in", contracts.ids))
        return self.env["key.account.contract"].sudo().search(domain)

    @api.model
    def _run_rebates(self, until, contracts=None, companies=None):
        """Compute the settlements of ``contracts`` (default: every contract
        with rebate tiers, of ``companies`` when given) for their periods
        ended by ``until``. Returns the settlements created or recomputed.

        Settled periods are kept: computed settlements are recomputed,
        approved and credited ones are never touched. The number of queries
        depends on the number of contracts and settlements, not invoices.
        """
        until = fields.Date.to_date(until)
        Settlement = self.sudo().with_context(
            tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
        )
        contracts = self._get_rebate_contracts(until, companies, contracts)
        if not contracts:
            return Settlement.browse()
        contracts.fetch(
            [
                "date_start",
                "date_end",
                "rebate_period",
                "rebate_mode",
                "company_id",
                "currency_id",
                "partner_id",
            ]
        )
        all_tiers = contracts.rebate_tier_ids.sorted(lambda t: (t.amount_from, t.id))
        tiers_of = all_tiers.grouped("contract_id")
        existing = Settlement.search(
            [("contract_id", "in", contracts.ids), ("state", "!=", "cancelled")],
            order="date_from, id",
        )
        existing.fetch(
            [
                "contract_id",
                "currency_id",
                "date_from",
                "date_to",
                "state",
                "rebate_mode",
                "amount_tier_base",
                "amount_previous",
                "amount_due",
            ]
        )
        booked_lines = self._booked_adjustment_lines(existing)
        existing_of = existing.grouped("contract_id")

        # 1. Plan: the periods to create or recompute, per contract.
        plans = {}
        windows = set()
        stale = Settlement.browse()
        for contract in contracts:
            mine = existing_of.get(contract, Settlement.browse())
            targets, old = self._plan_rebate_periods(
                contract, mine, until, booked_lines
            )
            if old:
                stale |= old
                existing_of[contract] = mine = mine - old
            if not targets:
                continue
            plans[contract] = targets
            for date_from, date_to, _key, _settlement in targets:
                windows.add((contract.id, date_from, date_to))
                windows.add(
                    self._tier_window(
                        contract, contract.rebate_mode, date_from, date_to
                    )
                )
            for settlement in mine.filtered(lambda s: s.state in SETTLED_STATES):
                windows.add(
                    self._tier_window(
                        contract,
                        settlement.rebate_mode,
                        settlement.date_from,
                        settlement.date_to,
                    )
                )
        if stale:
            self._cancel_stale_settlements(stale)
        if not plans:
            return Settlement.browse()
        amounts = self._invoiced_amounts(windows)

        targets_existing = Settlement.browse(
            s.id for targets in plans.values() for *_rest, s in targets if s
        )
        booked, old_auto = self._booked_adjustments(booked_lines, targets_existing)

        # 2. Compute, per contract in date order.
        now = fields.Datetime.now()
        to_create = []
        to_write = []
        for contract, targets in plans.items():
            for settlement, vals in self._rebate_values(
                contract,
                tiers_of.get(contract, all_tiers.browse()),
                existing_of.get(contract, Settlement.browse()),
                targets,
                amounts,
                booked,
                old_auto,
            ):
                vals["date_computed"] = now
                if settlement:
                    to_write.append((settlement, vals))
                else:
                    to_create.append(vals)
        for settlement, vals in to_write:
            settlement.write(vals)
        result = Settlement.browse([settlement.id for settlement, _vals in to_write])
        if to_create:
            try:
                with self.env.cr.savepoint():
                    result |= Settlement.create(to_create)
                    Settlement.flush_model()
            except psycopg2.errors.ExclusionViolation:
                raise UserError(
                    self.env._(
                        "Another rebate computation settled some of these periods "
                        "at the same time. Run Compute Rebates again: it keeps the "
                        "settlements already made."
                    )
                ) from None
        _logger.info(
            "Rebate run until %s: %s settlements created, %s recomputed",
            until,
            len(to_create),
            len(to_write),
        )
        return result

    def _plan_rebate_periods(self, contract, mine, until, booked_lines):
        """([(date_from, date_to, key, settlement)], stale settlements) of
        ``contract``: the periods to settle now, new (empty settlement) or
        computed settlements to recompute, and the computed settlements that
        no longer match a period of the contract (its rebate period or dates
        changed), to cancel. ``mine``: its live settlements.

        Days settled stay settled: approved and credited settlements, the
        computed ones a later settlement of the year counted (cumulative), and
        computed ones whose late changes other settlements booked (their
        credit note was cancelled) cover their days; the periods of the
        contract are what they leave uncovered (``_rebate_periods``)."""
        # cumulative: the last settled period of each year; periods before
        # it are frozen (its deduction counted on them)
        settled_until = defaultdict(lambda: date.min)
        for settlement in mine:
            if settlement.state in SETTLED_STATES:
                year = settlement.date_to.year
                settled_until[year] = max(settled_until[year], settlement.date_to)
        booked_sources = {line.source_settlement_id for line in booked_lines}
        # days that stay as settled: approved and credited settlements, and
        # the computed ones a later settlement of the year counted
        fixed = mine.filtered(
            lambda s: (
                s.state in SETTLED_STATES
                or (
                    contract.rebate_mode == "cumulative"
                    and s.date_to < settled_until[s.date_to.year]
                )
            )
        )
        computed = mine - fixed
        periods = self._rebate_periods(
            contract, contract.date_end, [(s.date_from, s.date_to) for s in fixed]
        )
        # computed settlements whose late changes later settlements booked
        # (their credit note was cancelled) keep their days when their period
        # is no longer one of the contract's
        keys = {(p[0], p[1]) for p in periods}
        held = computed.filtered(
            lambda s: s in booked_sources and (s.date_from, s.date_to) not in keys
        )
        if held:
            fixed |= held
            computed -= held
            periods = self._rebate_periods(
                contract, contract.date_end, [(s.date_from, s.date_to) for s in fixed]
            )
            keys = {(p[0], p[1]) for p in periods}
        by_period = {(s.date_from, s.date_to): s for s in computed}
        stale = computed.filtered(lambda s: (s.date_from, s.date_to) not in keys)
        targets = [
            (
                date_from,
                date_to,
                key,
                by_period.get((date_from, date_to), self.browse()),
            )
            for date_from, date_to, key in periods
            if date_to <= until
        ]
        return targets, stale

    def _cancel_stale_settlements(self, stale):
        """Cancel the computed settlements of periods the contract no longer
        has (nothing was credited on them)."""
        stale.write({"state": "cancelled"})
        for settlement in stale:
            settlement.message_post(
                body=self.env._(
                    "Cancelled by the rebate computation: the rebate periods of "
                    "contract %(contract)s changed, its days are settled in the "
                    "new periods.",
                    contract=settlement.contract_id.name,
                )
            )
        stale.flush_recordset()

    def _booked_adjustment_lines(self, existing):
        """The late-change adjustments booked on live settlements for the
        settlements of ``existing`` (one query)."""
        lines = (
            self.env["key.account.rebate.settlement.adjustment"]
            .sudo()
            .search(
                [
                    ("source_settlement_id", "in", existing.ids),
                    ("settlement_id.state", "!=", "cancelled"),
                ]
            )
        )
        lines.fetch(
            ["settlement_id", "source_settlement_id", "amount", "base_difference"]
        )
        return lines

    def _booked_adjustments(self, booked_lines, recomputed):
        """({source settlement: [amount, base difference]} of the late-change
        adjustments ``booked_lines`` on settlements other than
        ``recomputed``, {recomputed settlement: [its automatic adjustment
        ids]})."""
        booked = defaultdict(lambda: [0.0, 0.0])
        for adjustment in booked_lines:
            if adjustment.settlement_id in recomputed:
                continue
            booked[adjustment.source_settlement_id][0] += adjustment.amount
            booked[adjustment.source_settlement_id][1] += adjustment.base_difference
        old_auto = defaultdict(list)
        for adjustment in recomputed.adjustment_ids.filtered("source_settlement_id"):
            old_auto[adjustment.settlement_id].append(adjustment.id)
        return booked, old_auto

    def _rebate_values(self, contract, tiers, mine, targets, amounts, booked, old_auto):
        """Yield (settlement or empty, values) for the ``targets`` of
        ``contract``, in date order."""
        currency = contract.currency_id
        target_ids = {s.id for *_rest, s in targets if s}
        # rebate due of the other live settlements, for the deduction
        entries = [(s.date_from, s.amount_due) for s in mine if s.id not in target_ids]
        pending = sorted(targets, key=lambda t: t[0])
        done_due = []  # (date_to, due) of the targets computed so far
        mode = contract.rebate_mode or "per_period"
        for date_from, date_to, key, settlement in pending:
            tier_base = amounts[self._tier_window(contract, mode, date_from, date_to)]
            tier, rate, rebate = self._rebate_on(contract, tiers, tier_base)
            previous = 0.0
            if mode == "cumulative":
                start = self._cumulative_start(contract, date_to)
                previous = sum(
                    due
                    for other_from, due in entries
                    if start <= other_from < date_from
                ) + sum(due for other_to, due in done_due if other_to >= start)
            due = currency.round(rebate - previous)
            done_due.append((date_to, due))
            adjustments = self._late_adjustments(
                contract, tiers, mine, date_from, amounts, booked, pending
            )
            if settlement and not currency.is_zero(booked[settlement][0]):
                adjustments.append(self._counted_back_adjustment(settlement, booked))
            vals = {
                "rebate_mode": mode,
                "amount_base": currency.round(
                    amounts[(contract.id, date_from, date_to)]
                ),
                "amount_tier_base": currency.round(tier_base),
                "tier_id": tier.id,
                "rate": rate,
                "amount_rebate": rebate,
                "amount_previous": previous,
                "amount_due": due,
                "adjustment_ids": [
                    fields.Command.delete(adjustment_id)
                    for adjustment_id in old_auto.get(settlement, [])
                ]
                + [fields.Command.create(adj) for adj in adjustments],
            }
            if not settlement:
                vals.update(
                    {
                        "contract_id": contract.id,
                        "company_id": contract.company_id.id,
                        "currency_id": currency.id,
                        "date_from": date_from,
                        "date_to": date_to,
                        "period_key": key,
                    }
                )
            yield settlement, vals

    def _counted_back_adjustment(self, settlement, booked):
        """Values of the adjustment of ``settlement``, computed again from
        today's invoices after its credit note was cancelled, that counts back
        the late changes of its period other settlements already booked (they
        were credited there: the recomputed rebate holds them again)."""
        currency = settlement.currency_id
        amount, base = booked[settlement]
        booked[settlement] = [0.0, 0.0]
        return {
            "source_settlement_id": settlement.id,
            "name": self.env._(
                "Late changes of %(name)s (%(period)s) already booked on later "
                "settlements (%(amount)s), counted back: the rebate is computed "
                "again from today's invoices",
                name=settlement.name,
                period=settlement.period_key,
                amount=currency.round(amount),
            ),
            "base_settled": currency.round(settlement.amount_tier_base + base),
            "base_now": currency.round(settlement.amount_tier_base),
            "amount": currency.round(-amount),
        }

    def _late_adjustments(
        self, contract, tiers, mine, date_from, amounts, booked, pending
    ):
        """Adjustment values for the settled periods of ``contract`` before
        ``date_from`` whose rebate, recomputed from today's invoices, differs
        from what was settled and already adjusted. Updates the booked sums.

        Per period: every approved or credited settlement. Cumulative: the last
        settlement of each year, when settled, and not of the year of
        ``date_from`` (whose recomputed tier base already holds the change)."""
        currency = contract.currency_id
        live = [(s.date_from, s.date_to) for s in mine] + [
            (t[0], t[1]) for t in pending
        ]
        values = []
        for source in mine:
            if source.state not in SETTLED_STATES or source.date_to >= date_from:
                continue
            if source.rebate_mode == "cumulative":
                if source.date_to.year == date_from.year:
                    continue
                if any(
                    other_to.year == source.date_to.year
                    and other_from > source.date_from
                    for other_from, other_to in live
                ):
                    continue
            base_now = amounts[
                self._tier_window(
                    contract, source.rebate_mode, source.date_from, source.date_to
                )
            ]
            _tier, rate_now, rebate_now = self._rebate_on(contract, tiers, base_now)
            if source.rebate_mode == "cumulative":
                rebate_now -= source.amount_previous
            difference = currency.round(
                rebate_now - source.amount_due - booked[source][0]
            )
            if currency.is_zero(difference):
                continue
            base_settled = source.amount_tier_base + booked[source][1]
            base_difference = currency.round(base_now - base_settled)
            booked[source][0] += difference
            booked[source][1] += base_difference
            rate_settled = f"{tier_for(tiers, base_settled).rate or 0.0:g}"
            rate_label = f"{rate_now:g}"
            values.append(
                {
                    "source_settlement_id": source.id,
                    "name": self.env._(
                        "Late change of %(name)s (%(period)s): untaxed base "
                        "%(settled)s → %(now)s, rate %(rate_settled)s%% → "
                        "%(rate_now)s%%",
                        name=source.name,
                        period=source.period_key,
                        settled=currency.round(base_settled),
                        now=currency.round(base_now),
                        rate_settled=rate_settled,
                        rate_now=rate_label,
                    ),
                    "base_settled": currency.round(base_settled),
                    "base_now": currency.round(base_now),
                    "amount": difference,
                }
            )
        return values

    @api.model
    def _cron_compute_rebates(self):
        """Scheduled action: settle the periods ended yesterday or before."""
        self._run_rebates(fields.Date.context_today(self) - timedelta(days=1))
