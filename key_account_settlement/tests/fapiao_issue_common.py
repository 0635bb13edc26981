# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import csv
import io
from datetime import date

from odoo import Command
from odoo.tests import new_test_user

from .common_statement import KeyAccountStatementCommon

HEADERS_ZH = (
    "流水号",
    "发票号码",
    "发票代码",
    "开票日期",
    "金额",
    "税额",
    "价税合计",
    "发票状态",
)


class KeyAccountFapiaoIssueCommon(KeyAccountStatementCommon):
    """Posted invoices of a key account and fapiao requests made of them
    (records created directly, as the request build would), the list of
    issued fapiao the tax system exports."""

    _serial = 0

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer("KA Fapiao Customer")
        cls.manager = new_test_user(
            cls.env,
            login="ka_fapiao_manager",
            name="KA Fapiao Manager",
            groups="account.group_account_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.salesman = new_test_user(
            cls.env,
            login="ka_fapiao_salesman",
            name="KA Fapiao Salesman",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.issue_day = date(2026, 10, 8)

    @classmethod
    def _next_serial(cls):
        KeyAccountFapiaoIssueCommon._serial += 1
        return f"KAFP{KeyAccountFapiaoIssueCommon._serial:06d}"

    @classmethod
    def _request(cls, invoices, state="exported", fapiao_type="electronic", split=1):
        """A request of ``invoices`` with ``split`` fapiao (the invoice lines
        dealt round), each in ``state``."""
        company = invoices[:1].company_id or cls.company
        request = cls.env["key.account.fapiao.request"].create(
            {
                "name": f"FR/TEST/{cls._next_serial()}",
                "company_id": company.id,
                "partner_id": invoices[:1].commercial_partner_id.id,
                "invoice_ids": [Command.set(invoices.ids)],
                "fapiao_type": fapiao_type,
                "buyer_title": invoices[:1].commercial_partner_id.name,
                "currency_id": company.currency_id.id,
                "state": "draft" if state == "draft" else "exported",
            }
        )
        lines = invoices.invoice_line_ids.filtered(
            lambda l: l.display_type == "product"
        )
        groups = [lines[i::split] for i in range(split)]
        fapiao_vals = []
        for group in groups:
            sign = -1 if group[:1].move_id.move_type == "out_refund" else 1
            untaxed = sign * sum(group.mapped("price_subtotal"))
            total = sign * sum(group.mapped("price_total"))
            fapiao_vals.append(
                {
                    "request_id": request.id,
                    "serial": cls._next_serial(),
                    "state": state,
                    "amount_untaxed": untaxed,
                    "amount_tax": total - untaxed,
                    "amount_total": total,
                    "line_ids": [
                        Command.create(
                            {
                                "move_line_id": line.id,
                                "item_name": line.name,
                                "tax_code": "1010101010000000000",
                                "quantity": sign * line.quantity,
                                "price_unit": line.price_unit,
                                "amount_untaxed": sign * line.price_subtotal,
                                "amount_tax": sign
                                * (line.price_total - line.price_subtotal),
                            }
                        )
                        for line in group
                    ],
                }
            )
        cls.env["key.account.fapiao"].create(fapiao_vals)
        return request

    @staticmethod
    def _number(index):
        return f"2644200000{index:010d}"

    @classmethod
    def _row(cls, fapiao, number, status="正常", day=None, **amounts):
        return [
            fapiao.serial,
            number,
            amounts.get("code", ""),
            (day or cls.issue_day).isoformat(),
            f"{amounts.get('untaxed', fapiao.amount_untaxed):.2f}",
            f"{amounts.get('tax', fapiao.amount_tax):.2f}",
            f"{amounts.get('total', fapiao.amount_total):.2f}",
            status,
        ]

    @staticmethod
    def _csv(rows, headers=HEADERS_ZH):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(headers)
        writer.writerows(rows)
        return out.getvalue().encode("utf-8-sig")

    def _import(self, rows, user=None, headers=HEADERS_ZH):
        Fapiao = self.env["key.account.fapiao"]
        if user:
            Fapiao = Fapiao.with_user(user)
        parsed = Fapiao._issue_parse_file(self._csv(rows, headers), "issued.csv")
        return Fapiao.with_company(self.company)._issue_import_apply(parsed)

    def _prepare(self, rows):
        Fapiao = self.env["key.account.fapiao"].with_company(self.company)
        parsed = Fapiao._issue_parse_file(self._csv(rows), "issued.csv")
        return Fapiao._issue_import_prepare(parsed)
