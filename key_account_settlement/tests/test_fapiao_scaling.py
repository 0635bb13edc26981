# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from .fapiao_common import KeyAccountFapiaoCommon


class TestFapiaoScaling(KeyAccountFapiaoCommon):
    """Building, splitting and exporting a request takes as many queries for
    200 invoice lines as for 20."""

    def _queries(self, invoices, lines_each):
        """Queries to build and export a request of ``invoices`` invoices of
        ``lines_each`` lines (exact taxes: one fapiao whatever the size, the
        tax split is tested elsewhere)."""
        customer = self._create_customer(f"KA Scaling Buyer {invoices}")
        moves = self.env["account.move"]
        for _index in range(invoices):
            moves |= self._post(
                customer,
                [
                    (
                        self.product_a if line % 2 else self.product_b,
                        1 + line,
                        100,
                        self.tax_13 if line % 3 else self.tax_9,
                        10 if line % 4 == 0 else 0,
                    )
                    for line in range(lines_each)
                ],
            )
        self.env.flush_all()
        self.env.invalidate_all()
        moves = moves.browse(moves.ids).with_user(self.accountant)
        Request = self.Request.with_user(self.accountant)
        before = self.env.cr.sql_log_count
        request = Request._key_account_build(moves)
        request.action_export()
        self.env.flush_all()
        count = self.env.cr.sql_log_count - before
        self.assertAddsUp(request, moves)
        return count

    def test_queries_do_not_grow_with_lines(self):
        self._queries(1, 2)  # warm-up (first mail, sequence and attachment paths)
        small = self._queries(2, 10)
        large = self._queries(20, 10)
        self.assertEqual(small, large)
