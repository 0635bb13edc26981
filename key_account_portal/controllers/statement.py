# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re

from odoo import _, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import pager as portal_pager

from . import common

STATEMENTS_PER_PAGE = 20
STATEMENT_LINES_PER_PAGE = 80
STATEMENT_REPORT = "key_account_settlement.key_account_statement_report_action"
# Messages of a successful answer, shown after the redirect (?answered=...)
ANSWERS = ("confirmed", "disputed")


class KeyAccountPortalStatement(common.KeyAccountPortal):
    """The key account's statements (对账单): list, detail, PDF, and the
    customer's answer (confirm or dispute) through the statement's own
    methods."""

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------
    def _ka_statement_check(self, statement_id, write=False):
        """The statement ``statement_id`` (sudo) the user may see: sent to
        his key account (record rules, then the commercial entity again).
        ``write=True``: the key account must be approved as well, and the
        user hold the finance role (reading: finance or admin)."""
        customer = self._ka_customer(
            write=write, role="finance" if write else common.FINANCE_READ_ROLES
        )
        statement_sudo = self._document_check_access(
            "key.account.statement", statement_id
        )
        if statement_sudo.partner_id != customer or statement_sudo.state == "draft":
            raise AccessError(_("This statement is not one of your company's."))
        return statement_sudo

    def _ka_statement_domain(self, customer):
        return [("partner_id", "=", customer.id), ("state", "!=", "draft")]

    # ------------------------------------------------------------------
    # /my/home
    # ------------------------------------------------------------------
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "key_account_statement_count" in counters:
            partner = request.env.user.partner_id
            values["key_account_statement_count"] = (
                request.env["key.account.statement"].search_count(
                    [
                        ("partner_id", "=", partner.commercial_partner_id.id),
                        ("state", "=", "sent"),
                    ]
                )
                if self._ka_has_role(common.FINANCE_READ_ROLES)
                else 0
            )
        return values

    # ------------------------------------------------------------------
    # Pages
    # ------------------------------------------------------------------
    @http.route(
        ["/my/key-account/statements", "/my/key-account/statements/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def key_account_statements(self, page=1, **kw):
        try:
            customer = self._ka_customer(role=common.FINANCE_READ_ROLES)
        except AccessError:
            return request.redirect("/my")
        Statement = request.env["key.account.statement"]
        domain = self._ka_statement_domain(customer)
        pager = portal_pager(
            url="/my/key-account/statements",
            total=Statement.search_count(domain),
            page=page,
            step=STATEMENTS_PER_PAGE,
        )
        statements = Statement.search(
            domain, limit=STATEMENTS_PER_PAGE, offset=pager["offset"]
        )
        return request.render(
            "key_account_portal.portal_key_account_statements",
            {
                "page_name": "key_account_statements",
                "statements": statements.sudo(),
                "pager": pager,
            },
        )

    @http.route(
        [
            "/my/key-account/statements/<int:statement_id>",
            "/my/key-account/statements/<int:statement_id>/page/<int:page>",
        ],
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def key_account_statement(self, statement_id, page=1, answered=None, **kw):
        try:
            statement_sudo = self._ka_statement_check(statement_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        message = False
        if answered == "confirmed":
            message = _("Thank you: you confirmed the statement.")
        elif answered == "disputed":
            message = _(
                "Your dispute was sent: your account manager checks it and "
                "sends you a corrected statement."
            )
        return self._ka_statement_page(statement_sudo, page=page, message=message)

    def _ka_statement_page(
        self, statement_sudo, page=1, message=False, error=False, reason=""
    ):
        """Render the statement page: its figures, the page ``page`` of its
        lines and, while it waits for an answer, the answer forms."""
        Line = request.env["key.account.statement.line"].sudo()
        domain = [("statement_id", "=", statement_sudo.id)]
        pager = portal_pager(
            url=f"/my/key-account/statements/{statement_sudo.id}",
            total=Line.search_count(domain),
            page=page,
            step=STATEMENT_LINES_PER_PAGE,
        )
        lines = Line.search(
            domain, limit=STATEMENT_LINES_PER_PAGE, offset=pager["offset"]
        )
        can_answer = (
            statement_sudo.state == "sent"
            and request.env.user.partner_id._key_account_portal_access() == "active"
        )
        return request.render(
            "key_account_portal.portal_key_account_statement",
            {
                "page_name": "key_account_statement",
                "statement": statement_sudo,
                "lines": lines,
                "pager": pager,
                "first_page": pager["page"]["num"] == 1,
                "last_page": pager["page"]["num"] >= pager["page_count"],
                "can_answer": can_answer,
                # an out-of-date statement is disputed, or waits to be
                # re-issued: the model refuses its confirmation
                "can_confirm": can_answer and not statement_sudo.is_out_of_date,
                "message": message,
                "error": error,
                "reason": reason,
            },
        )

    @http.route(
        "/my/key-account/statements/<int:statement_id>/pdf",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def key_account_statement_pdf(self, statement_id, download=False, **kw):
        try:
            statement_sudo = self._ka_statement_check(statement_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        lang = request.env.user.lang or request.env.lang
        pdf = (
            request.env["ir.actions.report"]
            .sudo()
            .with_company(statement_sudo.company_id)
            .with_context(lang=lang)
            ._render_qweb_pdf(
                STATEMENT_REPORT,
                statement_sudo.ids,
                data={"report_type": "pdf", "key_account_portal_lang": lang},
            )[0]
        )
        filename = "{}.pdf".format(re.sub(r"\W+", "_", statement_sudo.name))
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                (
                    "Content-Disposition",
                    content_disposition(
                        filename,
                        disposition_type="attachment" if download else "inline",
                    ),
                ),
            ],
        )

    # ------------------------------------------------------------------
    # Answers
    # ------------------------------------------------------------------
    def _ka_statement_answer(self, statement_id, answer, reason=""):
        """Check, then run ``answer(statement_sudo)`` in a savepoint; a
        refusal (account not approved, statement answered already, bad
        input) is shown on the statement page with nothing written."""
        try:
            statement_sudo = self._ka_statement_check(statement_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        try:
            # the account must be approved to answer
            self._ka_statement_check(statement_id, write=True)
            with request.env.cr.savepoint():
                result = answer(statement_sudo)
        except (AccessError, UserError) as error:
            # show what the database holds after the rollback
            request.env.invalidate_all()
            return self._ka_statement_page(
                statement_sudo, error=error.args[0], reason=reason
            )
        return request.redirect(
            f"/my/key-account/statements/{statement_sudo.id}?answered={result}"
        )

    @http.route(
        "/my/key-account/statements/<int:statement_id>/confirm",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def key_account_statement_confirm(self, statement_id, **kw):
        def confirm(statement_sudo):
            statement_sudo.action_customer_confirm()
            return "confirmed"

        return self._ka_statement_answer(statement_id, confirm)

    @http.route(
        "/my/key-account/statements/<int:statement_id>/dispute",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def key_account_statement_dispute(self, statement_id, reason="", **kw):
        # the statement checks the lines (its own, as numbers) and the reason
        line_ids = request.httprequest.form.getlist("line_ids")

        def dispute(statement_sudo):
            statement_sudo.action_customer_dispute(line_ids, reason)
            return "disputed"

        return self._ka_statement_answer(statement_id, dispute, reason=reason)
