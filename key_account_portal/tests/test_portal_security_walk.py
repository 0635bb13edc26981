# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The security walk: every route of key_account_portal, read from the live
routing map, called as the portal user of customer A with customer B's
record ids and access tokens, as the public user and as the portal user of
the suspended customer C (with C's own ids and with B's). No response shows
B's data, every such request is refused precisely (no 500), and the database
does not change. The owner A on his own records is the positive control.

A route of the module missing from ``ROUTES`` fails the walk: add its entry
(how to fill its URL arguments and its form for a bundle of records)."""

import logging
import uuid
from datetime import date
from types import SimpleNamespace
from urllib.parse import urlsplit

from odoo import Command
from odoo.http import Request
from odoo.tests import tagged

from odoo.addons.key_account_base.tests.common import make_uscc

from .common import KeyAccountPortalCommon
from .portal_security_walk import (
    Route,
    build_url,
    found_markers,
    location_path,
    module_routes,
    response_text,
    route_methods,
    snapshot,
    snapshot_diff,
    watched_tables,
    with_query,
)

_logger = logging.getLogger(__name__)

REFUSED_STATUSES = (403, 404)
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
# The message of a suspended account that tries to change something
# (controllers/common.py ``_ka_customer(write=True)``).
NOT_APPROVED = "is not approved"
# The message of a contact whose role does not allow the action
# (res.partner._key_account_portal_check).
ROLE_REFUSED = "does not allow this"
DISABLED = "was disabled by your"


def _csv(t):
    """A valid recipient list of one row in the back office's template."""
    return (
        "姓名/Name,手机/Phone,省/Province,市/City,区/District,详细地址/Street,"
        "部门/Department,分支机构/Branch,商品编码/Product Reference,数量/Quantity\n"
        f"走查收件人,13700001111,上海市,上海市,浦东新区,世纪大道 1 号,行政部,,"
        f"{t.product.default_code},1\n"
    ).encode()


# ----------------------------------------------------------------------
# The table: one entry per route pattern of the module. ``t`` is a bundle of
# one customer's records (see KeyAccountPortalWalkCommon._walk_bundle):
# customer, order (confirmed, delivered), draft (draft order), allocations,
# recipients, statement, statement_lines, contract, portal_import, product.
# ----------------------------------------------------------------------
def _order(t):
    return {"order_id": t.order.id}


def _draft(t):
    return {"order_id": t.draft.id}


def _statement(t):
    return {"statement_id": t.statement.id}


def _colleague(t):
    return {"partner_id": t.colleague.id}


# A searches his own pages for B's recipient: the part of the name after
# its two-character prefix (the page shows the search text itself).
def _search_b_recipient_in_draft(a, b):
    search = b.recipients[:1].name[2:]
    return {"order_id": a.draft.id, "page": 1}, {"search": search}


def _search_b_recipient_in_order(a, b):
    search = b.recipients[:1].name[2:]
    return {"order_id": a.order.id, "page": 1}, {"search": search}


ROUTES = {
    # H-apply: public by design (its POST is tested in TestPortalApplySpam)
    "/key-account/apply": Route(scoped=False, public=True, walk_post=False),
    "/key-account/apply/thanks": Route(scoped=False, public=True),
    # H-order
    "/my/key-account/catalog": Route(
        scoped=False, marker=lambda t: t.product.default_code
    ),
    "/my/key-account/catalog/page/<int:page>": Route(
        scoped=False,
        args=lambda t: {"page": 1},
        marker=lambda t: t.product.default_code,
    ),
    "/my/key-account/orders/new": Route(
        scoped=False,
        form=lambda t: {"token": uuid.uuid4().hex, f"qty_{t.product.id}": 3},
        owner_post=("sale_order",),
    ),
    "/my/key-account/orders/<int:order_id>/lines": Route(
        args=_draft,
        form=lambda t: {
            "quick_pad": f"{t.product.default_code} 5",
            f"line_qty_{t.draft.order_line[:1].id}": 9,
        },
        owner_post=("sale_order_line",),
    ),
    "/my/key-account/orders/<int:order_id>/delivery": Route(
        args=_draft,
        form=lambda t: {
            "key_account_delivery_grouping": "department",
            "key_account_packaging": "gift_wrap",
            "key_account_packaging_note": "走查包装",
            "key_account_logistics_note": "走查物流",
        },
        owner_post=("sale_order",),
    ),
    "/my/key-account/orders/<int:order_id>/submit": Route(
        args=_draft, form=lambda t: {}, owner_post=("sale_order",)
    ),
    "/my/key-account/orders/<int:order_id>/reorder": Route(
        args=_order,
        form=lambda t: {"token": uuid.uuid4().hex},
        owner_post=("sale_order",),
    ),
    # H-recipients
    "/my/key-account/orders/<int:order_id>/recipients/upload": Route(
        args=_draft,
        token=True,
        token_record=lambda t: t.draft,
        marker=lambda t: t.draft.name,
        form=lambda t: {"import_mode": "add"},
        files=lambda t: {"recipients_file": ("walk.csv", _csv(t), "text/csv")},
        owner_post=("key_account_allocation",),
        extra={"upload_field": "recipients_file", "upload_ext": ".csv"},
    ),
    "/my/key-account/orders/<int:order_id>/recipients/import/<int:import_id>": Route(
        args=lambda t: {"order_id": t.draft.id, "import_id": t.portal_import.id},
        token=True,
        token_record=lambda t: t.draft,
        marker=lambda t: t.portal_import.filename,
        # the progress as JSON (the page polls it)
        extra={"get_variants": [{"format": "json"}]},
    ),
    "/my/key-account/recipients/template.xlsx": Route(scoped=False),
    "/my/key-account/recipients/template.csv": Route(scoped=False),
    "/my/key-account/orders/<int:order_id>/recipients/pick": Route(
        args=_draft,
        token=True,
        token_record=lambda t: t.draft,
        marker=lambda t: t.recipients[:1].name,
        form=lambda t: {
            "recipient_ids": t.recipients.ids,
            "product_id": t.product.id,
            "quantity": 1,
        },
        owner_post=("key_account_allocation",),
        # B's recipients picked into A's own draft
        extra={
            "cross": lambda a, b: (
                {"order_id": a.draft.id},
                {
                    "recipient_ids": b.recipients.ids,
                    "product_id": a.product.id,
                    "quantity": 1,
                },
            ),
            "cross_get": _search_b_recipient_in_draft,
        },
    ),
    "/my/key-account/orders/<int:order_id>/recipients/pick/page/<int:page>": Route(
        args=lambda t: {"order_id": t.draft.id, "page": 1},
        token=True,
        token_record=lambda t: t.draft,
        marker=lambda t: t.recipients[:1].name,
        extra={"cross_get": _search_b_recipient_in_draft},
    ),
    # H-follow
    "/my/key-account/orders": Route(scoped=False, marker=lambda t: t.order.name),
    "/my/key-account/orders/page/<int:page>": Route(
        scoped=False, args=lambda t: {"page": 1}, marker=lambda t: t.order.name
    ),
    "/my/key-account/orders/<int:order_id>": Route(
        args=_order, token=True, marker=lambda t: t.order.name
    ),
    "/my/key-account/orders/<int:order_id>/page/<int:page>": Route(
        args=lambda t: {"order_id": t.order.id, "page": 1},
        token=True,
        marker=lambda t: t.order.name,
    ),
    "/my/key-account/orders/<int:order_id>/recipients": Route(
        args=_order,
        token=True,
        marker=lambda t: t.recipients[:1].name,
        extra={"cross_get": _search_b_recipient_in_order},
    ),
    "/my/key-account/orders/<int:order_id>/recipients/page/<int:page>": Route(
        args=lambda t: {"order_id": t.order.id, "page": 1},
        token=True,
        marker=lambda t: t.recipients[:1].name,
    ),
    "/my/key-account/orders/<int:order_id>/accept": Route(
        args=_order,
        token=True,
        form=lambda t: {"allocation_ids": t.allocations[:1].ids},
        owner_post=("key_account_allocation",),
        extra={
            "cross": lambda a, b: (
                {"order_id": a.order.id},
                {"allocation_ids": b.allocations[:1].ids},
            )
        },
    ),
    "/my/key-account/orders/<int:order_id>/discrepancy": Route(
        args=_order,
        token=True,
        form=lambda t: {
            "allocation_ids": t.allocations[:1].ids,
            "discrepancy_type": "damage",
            "note": "走查：外包装破损",
        },
        owner_post=("key_account_allocation",),
        extra={
            "upload_field": "photo",
            "upload_param": "key_account_portal.photo_max_mb",
            "upload_ext": ".jpg",
            "upload_content": lambda t: b"\xff\xd8\xff\xe0",
            "cross": lambda a, b: (
                {"order_id": a.order.id},
                {
                    "allocation_ids": b.allocations[:1].ids,
                    "discrepancy_type": "damage",
                    "note": "走查",
                },
            ),
        },
    ),
    "/my/key-account/orders/<int:order_id>/report.xlsx": Route(
        args=_order, token=True, marker=lambda t: t.recipients[:1].name
    ),
    # H-contract
    "/my/key-account/contract": Route(scoped=False, marker=lambda t: t.contract.name),
    "/my/key-account/contract/page/<int:page>": Route(
        scoped=False, args=lambda t: {"page": 1}, marker=lambda t: t.contract.name
    ),
    "/my/key-account/statements": Route(
        scoped=False, marker=lambda t: t.statement.name
    ),
    "/my/key-account/statements/page/<int:page>": Route(
        scoped=False, args=lambda t: {"page": 1}, marker=lambda t: t.statement.name
    ),
    "/my/key-account/statements/<int:statement_id>": Route(
        args=_statement, marker=lambda t: t.statement.name
    ),
    "/my/key-account/statements/<int:statement_id>/page/<int:page>": Route(
        args=lambda t: {"statement_id": t.statement.id, "page": 1},
        marker=lambda t: t.statement.name,
    ),
    "/my/key-account/statements/<int:statement_id>/pdf": Route(
        args=_statement, marker=lambda t: t.statement.name
    ),
    "/my/key-account/fapiao/<int:fapiao_id>/files/<int:attachment_id>": Route(
        args=lambda t: {"fapiao_id": t.fapiao.id, "attachment_id": t.fapiao_file.id},
        marker=lambda t: f"%PDF KA-{t.key}",
    ),
    "/my/key-account/statements/<int:statement_id>/fapiao-request": Route(
        args=_statement,
        form=lambda t: {},
        note="the statement must be confirmed: tested in test_portal_fapiao.py",
    ),
    "/my/key-account/statements/<int:statement_id>/confirm": Route(
        args=_statement, form=lambda t: {}, owner_post=("key_account_statement",)
    ),
    "/my/key-account/statements/<int:statement_id>/dispute": Route(
        args=_statement,
        form=lambda t: {
            "reason": "走查：金额不符",
            "line_ids": t.statement_lines[:1].ids,
        },
        owner_post=("key_account_statement",),
        extra={
            "cross": lambda a, b: (
                {"statement_id": a.statement.id},
                {"reason": "走查", "line_ids": b.statement_lines[:1].ids},
            )
        },
    ),
    # H-organisation (administrator)
    "/my/organisation": Route(scoped=False, marker=lambda t: t.colleague.name),
    "/my/organisation/invite": Route(
        scoped=False,
        form=lambda t: {
            "name": "走查新同事",
            "email": f"walk.{uuid.uuid4().hex[:8]}@example.com",
            "role_buyer": "1",
        },
        owner_post=("res_partner",),
        extra={
            "cross": lambda a, b: (
                {},
                {
                    "name": "走查",
                    "email": "walk.cross@example.com",
                    "department_id": b.department.id,
                },
            )
        },
    ),
    "/my/organisation/colleagues/<int:partner_id>": Route(
        args=_colleague, marker=lambda t: t.colleague.name
    ),
    "/my/organisation/colleagues/<int:partner_id>/roles": Route(
        args=_colleague,
        form=lambda t: {"role_buyer": "1", "role_finance": "1"},
        owner_post=("res_partner",),
        extra={
            "cross": lambda a, b: (
                {"partner_id": a.colleague.id},
                {"role_buyer": "1", "department_id": b.department.id},
            )
        },
    ),
    "/my/organisation/colleagues/<int:partner_id>/disable": Route(
        args=_colleague, form=lambda t: {}, owner_post=("res_partner",)
    ),
    "/my/organisation/colleagues/<int:partner_id>/enable": Route(
        args=_colleague, form=lambda t: {}
    ),
    "/my/organisation/departments": Route(
        scoped=False, marker=lambda t: t.department.name
    ),
    "/my/organisation/departments/save": Route(
        scoped=False,
        form=lambda t: {"name": "走查部门"},
        owner_post=("key_account_department",),
        extra={
            "cross": lambda a, b: (
                {},
                {"department_id": b.department.id, "name": "走查改名"},
            )
        },
    ),
    "/my/organisation/departments/<int:department_id>/archive": Route(
        args=lambda t: {"department_id": t.department.id},
        form=lambda t: {},
        owner_post=("key_account_department",),
    ),
    "/my/organisation/locations": Route(scoped=False, marker=lambda t: t.location.name),
    "/my/organisation/locations/save": Route(
        scoped=False,
        form=lambda t: {"name": "走查仓", "street": "走查路 1 号", "city": "上海"},
        owner_post=("res_partner",),
        extra={
            "cross": lambda a, b: (
                {},
                {
                    "location_id": b.location.id,
                    "name": "走查改名",
                    "street": "x",
                    "city": "y",
                },
            )
        },
    ),
    "/my/organisation/locations/<int:location_id>/archive": Route(
        args=lambda t: {"location_id": t.location.id},
        form=lambda t: {},
        owner_post=("res_partner",),
    ),
    # H-finance (finance or administrator)
    "/my/key-account/receivables": Route(
        scoped=False, marker=lambda t: t.customer.name
    ),
    "/my/key-account/rebates": Route(scoped=False, marker=lambda t: t.customer.name),
    # H-approvals (approver) and budgets (read: admin, finance, buyer; set:
    # admin), key_account_portal/controllers/approval.py and budget.py
    "/my/approvals": Route(scoped=False),
    "/my/approvals/page/<int:page>": Route(scoped=False, args=lambda t: {"page": 1}),
    "/my/approvals/<int:approval_id>/decide": Route(
        args=lambda t: {"approval_id": t.approval.id},
        form=lambda t: {"decision": "reject", "reason": "走查"},
    ),
    "/my/budgets": Route(scoped=False, marker=lambda t: t.department.name),
    "/my/budgets/page/<int:page>": Route(
        scoped=False, args=lambda t: {"page": 1}, marker=lambda t: t.department.name
    ),
    "/my/budgets/save": Route(
        scoped=False,
        form=lambda t: {"budget_id": str(t.budget.id), "amount": "4321"},
        owner_post=("key_account_budget",),
        extra={
            "cross": lambda a, b: ({}, {"budget_id": str(b.budget.id), "amount": "1"})
        },
    ),
}


class KeyAccountPortalWalkCommon(KeyAccountPortalCommon):
    """The portal fixtures with distinctive markers on every record of B,
    a draft and a delivered order, a sent statement with a line, a contract
    and (when the module has the model) a recipient import per customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # C's orders are made while it is approved, then it is suspended again
        cls.customer_c.with_user(cls.ka_manager).action_key_account_reinstate()
        cls.draft_a = cls._create_portal_order(
            cls.customer_a, [2, 1], start=50, confirm=False
        )
        cls.draft_b = cls._create_portal_order(
            cls.customer_b, [2, 1], start=550, confirm=False
        )
        cls.order_c = cls._create_portal_order(cls.customer_c, [1, 2], start=800)
        cls.draft_c = cls._create_portal_order(
            cls.customer_c, [1], start=850, confirm=False
        )
        cls.customer_c.with_user(cls.ka_manager).action_key_account_suspend()
        cls._walk_deliver(cls.order_a | cls.order_b | cls.order_c)
        cls.walk = {
            "A": cls._walk_bundle(
                "A", cls.customer_a, cls.order_a, cls.draft_a, cls.contract_a
            ),
            "B": cls._walk_bundle(
                "B", cls.customer_b, cls.order_b, cls.draft_b, cls.contract_b
            ),
            "C": cls._walk_bundle(
                "C", cls.customer_c, cls.order_c, cls.draft_c, cls.contract_c
            ),
        }
        cls.b_markers = cls._walk_markers(cls.walk["B"], cls.portal_b)

    @classmethod
    def _walk_deliver(cls, orders):
        pickings = orders.picking_ids
        for move in pickings.move_ids:
            move.quantity = move.product_uom_qty
        pickings.move_ids.picked = True
        pickings.with_context(skip_backorder=True, skip_sms=True).button_validate()

    @classmethod
    def _walk_bundle(cls, key, customer, order, draft, contract):
        """The records of one customer the walk points at, renamed with
        distinctive markers (``KA-<key>-...``)."""
        order.sudo().write(
            {"name": f"KA-{key}-ORD-7701", "client_order_ref": f"KA-{key}-PO-7702"}
        )
        draft.sudo().write({"name": f"KA-{key}-DRAFT-7703"})
        contract.sudo().write({"name": f"KA-{key}-CONTRACT-7704"})
        order._portal_ensure_token()
        draft._portal_ensure_token()
        statement = (
            cls.env["key.account.statement"]
            .sudo()
            .create(
                {
                    "name": f"KA-{key}-STMT-7705",
                    "partner_id": customer.id,
                    "company_id": cls.company.id,
                    "date_from": date(2026, 9, 1),
                    "date_to": date(2026, 9, 30),
                    "state": "sent",
                    # its figures agree with the ledger (no journal item of
                    # the customer): an out-of-date statement is not confirmed
                    "line_ids": [
                        Command.create(
                            {
                                "sequence": 1,
                                "date": date(2026, 9, 15),
                                "ref": f"KA-{key}-INVREF-7706",
                                "line_type": "invoice",
                                "debit": 321.0,
                                "balance": 321.0,
                            }
                        )
                    ],
                }
            )
        )
        # the organisation: the portal user administers, buys and pays; a
        # colleague, a department and a delivery location with markers
        portal_user = customer.child_ids.user_ids[:1]
        portal_user.partner_id.write(
            {
                "key_account_role_admin": True,
                "key_account_role_buyer": True,
                "key_account_role_finance": True,
            }
        )
        department = cls.env["key.account.department"].create(
            {"name": f"KA-{key}-DEPT-7708", "customer_id": customer.id}
        )
        colleague = cls.env["res.partner"].create(
            {
                "name": f"KA-{key}-COLLEAGUE-7709",
                "parent_id": customer.id,
                "type": "contact",
                "email": f"ka-{key.lower()}-colleague-7709@example.com",
                "key_account_role_buyer": True,
                "key_account_department_id": department.id,
            }
        )
        location = cls.env["res.partner"].create(
            {
                "name": f"KA-{key}-LOCATION-7710",
                "parent_id": customer.id,
                "type": "delivery",
                "street": f"KA-{key}-STREET-7711",
                "city": "上海",
            }
        )
        # a department budget, and a step of the draft's approval that the
        # colleague decides (key_account_portal/models/sale_order_approval.py)
        budget = cls.env["key.account.budget"].create(
            {
                "department_id": department.id,
                "period_type": "year",
                "date_from": date(2026, 1, 1),
                "amount": 7713.0,
            }
        )
        approval = (
            cls.env["key.account.approval"]
            .sudo()
            .with_context(key_account_approval_flow=True)
            .create(
                {
                    "order_id": draft.id,
                    "customer_id": customer.id,
                    "submission": 1,
                    "step": 1,
                    "name": f"KA-{key}-STEP-7712",
                    "approver_ids": [Command.set(colleague.ids)],
                    "state": "pending",
                }
            )
        )
        # an issued fapiao with its file, of a statement the customer
        # confirmed (key_account_portal/controllers/fapiao.py)
        fapiao, fapiao_file = cls._walk_fapiao(key, customer)
        bundle = SimpleNamespace(
            key=key,
            fapiao=fapiao,
            fapiao_file=fapiao_file,
            budget=budget,
            approval=approval,
            colleague=colleague,
            department=department,
            location=location,
            customer=customer,
            order=order,
            draft=draft,
            allocations=order.key_account_allocation_ids,
            recipients=order.key_account_allocation_ids.recipient_id,
            draft_recipients=draft.key_account_allocation_ids.recipient_id,
            statement=statement,
            statement_lines=statement.line_ids,
            contract=contract,
            product=cls.product,
            portal_import=cls.env["res.partner"].browse(),
        )
        if "key.account.portal.import" in cls.env:
            bundle.portal_import = cls._walk_portal_import(key, draft)
        return bundle

    @classmethod
    def _walk_fapiao(cls, key, customer):
        env = cls.env(su=True)
        request = env["key.account.fapiao.request"].create(
            {
                "name": f"KA-{key}-FPREQ-7716",
                "partner_id": customer.id,
                "company_id": cls.company.id,
                "fapiao_type": "electronic",
                "currency_id": cls.company.currency_id.id,
                "state": "issued",
            }
        )
        number = f"2644200000000{abs(hash(key)) % 10**7:07d}"
        fapiao = env["key.account.fapiao"].create(
            {
                "request_id": request.id,
                "serial": f"KA-{key}-SERIAL-7714",
                "fapiao_number": number,
                "state": "issued",
                "issue_date": date(2026, 10, 8),
                "amount_untaxed": 100.0,
                "amount_tax": 13.0,
                "amount_total": 113.0,
            }
        )
        attachment = env["ir.attachment"].create(
            {
                "name": f"KA-{key}-FAPIAO-7715.pdf",
                "raw": b"%PDF KA-" + key.encode(),
                "res_model": "key.account.fapiao",
                "res_id": fapiao.id,
            }
        )
        fapiao.attachment_ids = [Command.link(attachment.id)]
        return fapiao, attachment

    @classmethod
    def _walk_portal_import(cls, key, order):
        Import = cls.env["key.account.portal.import"].sudo()
        user = order.partner_id.commercial_partner_id.child_ids.user_ids[:1]
        vals = {
            "order_id": order.id,
            "company_id": order.company_id.id,
            "user_id": user.id,
            "filename": f"KA-{key}-IMPORT-7707.csv",
            "state": "done",
            "row_count": 1,
            "imported_count": 1,
        }
        return Import.create({k: v for k, v in vals.items() if k in Import._fields})

    @classmethod
    def _walk_markers(cls, t, user):
        """Strings that only B's records carry."""
        markers = {
            t.customer.name,
            t.customer.key_account_code,
            user.name,
            user.login + "@example.com",
            t.order.name,
            t.order.client_order_ref,
            t.draft.name,
            t.contract.name,
            t.statement.name,
            t.fapiao.serial,
            t.fapiao.fapiao_number,
            f"%PDF KA-{t.key}",
            *t.statement_lines.mapped("ref"),
            t.colleague.name,
            t.colleague.email,
            t.department.name,
            t.location.name,
            t.location.street,
        }
        if t.portal_import:
            markers.add(t.portal_import.filename)
        for recipient in t.recipients | t.draft_recipients:
            markers.add(recipient.name)
            for phone in (recipient.phone, recipient.mobile):
                if phone:
                    markers.add(phone)
                    digits = "".join(c for c in phone if c.isdigit())
                    markers.add(digits[-11:])
        return sorted(m for m in markers if m)


@tagged("post_install", "-at_install")
class TestPortalSecurityWalk(KeyAccountPortalWalkCommon):
    # ------------------------------------------------------------------
    # Sessions and requests
    # ------------------------------------------------------------------
    def _walk_login(self, actor):
        """Log in as ``actor`` ("A", "C" or "public")."""
        if actor == "public":
            self.authenticate(None, None)
        else:
            login = {"A": "ka_portal_a", "B": "ka_portal_b", "C": "ka_portal_c"}[actor]
            self.authenticate(login, login)
        self.walk_actor = actor

    def _walk_request(self, method, url, data=None, files=None, csrf=True):
        self.walk_requests = getattr(self, "walk_requests", 0) + 1
        full = self.base_url() + url
        if method == "GET":
            return self.opener.get(full, allow_redirects=False, timeout=60)
        data = dict(data or {})
        if csrf:
            data["csrf_token"] = Request.csrf_token(self)
        return self.opener.post(
            full, data=data, files=files, allow_redirects=False, timeout=60
        )

    def _walk_follow(self, response):
        location = response.headers.get("Location", "")
        if location.startswith("/"):
            location = self.base_url() + location
        return self.opener.get(location, allow_redirects=True, timeout=60)

    # ------------------------------------------------------------------
    # Expectations
    # ------------------------------------------------------------------
    def _walk_no_b_data(self, case, response):
        leaked = found_markers(response_text(response), self.b_markers)
        self.assertFalse(
            leaked,
            f"{case}: the response (status {response.status_code}) shows B's "
            f"data {leaked}",
        )

    def _walk_refused(self, case, response, own_page_ok=False):
        """A refusal: 403/404, or a redirect to a page without B's data, or
        (``own_page_ok``: a suspended user on his own record) his own page
        saying that the account is not approved."""
        status = response.status_code
        self.assertNotEqual(status, 500, f"{case}: server error (500)")
        self._walk_no_b_data(case, response)
        if self.walk_actor == "public":
            self.assertIn(status, REDIRECT_STATUSES, f"{case}: status {status}")
            self.assertEqual(
                location_path(response),
                "/web/login",
                f"{case}: redirected to {response.headers.get('Location')}",
            )
            return
        if status in REFUSED_STATUSES:
            return
        if status in REDIRECT_STATUSES:
            followed = self._walk_follow(response)
            self.assertIn(
                followed.status_code,
                (200, *REFUSED_STATUSES),
                f"{case}: the redirect to {response.headers.get('Location')} "
                f"ends with status {followed.status_code}",
            )
            self._walk_no_b_data(f"{case} -> {followed.url}", followed)
            return
        if own_page_ok and status == 200:
            self.assertIn(
                NOT_APPROVED,
                response.text,
                f"{case}: status 200 without the message that the account is "
                "not approved",
            )
            return
        self.fail(
            f"{case}: status {status} is no refusal (expected 403/404 or a "
            "redirect to a page without B's data)"
        )

    def _walk_case(self, case, check, *args):
        """Run ``check(case, *args)`` in a savepoint; the database must not
        change."""
        cr = self.env.cr
        cr.execute("SAVEPOINT ka_security_walk")
        try:
            before = snapshot(self.env, self.walk_tables)
            check(case, *args)
            changes = snapshot_diff(before, snapshot(self.env, self.walk_tables))
            self.assertFalse(changes, f"{case}: the database changed: {changes}")
        finally:
            cr.execute("ROLLBACK TO SAVEPOINT ka_security_walk")
            self.env.invalidate_all()

    def _walk_owner_case(self, case, expected, check, *args):
        """Run ``check(case, *args)`` in a savepoint; the database must
        change (``expected``: True, or the tables that must change)."""
        cr = self.env.cr
        cr.execute("SAVEPOINT ka_security_walk")
        try:
            before = snapshot(self.env, self.walk_tables)
            check(case, *args)
            changes = snapshot_diff(before, snapshot(self.env, self.walk_tables))
            tables = expected if isinstance(expected, tuple) else ()
            changed = {change.split(":")[0] for change in changes}
            self.assertTrue(
                changes and changed.issuperset(tables),
                f"{case}: the owner's POST changed {changes or 'nothing'}, "
                f"expected a change of {tables or 'the database'}: the form "
                "the walk sends is not the route's real form (fix its entry "
                "in ROUTES)",
            )
        finally:
            cr.execute("ROLLBACK TO SAVEPOINT ka_security_walk")
            self.env.invalidate_all()

    # ------------------------------------------------------------------
    # Building the requests of a route for a bundle
    # ------------------------------------------------------------------
    def _walk_url(self, pattern, spec, t, args=None):
        args = args if args is not None else (spec.args(t) if spec.args else {})
        try:
            return build_url(pattern, args)
        except KeyError as missing:
            self.fail(
                f"route {pattern}: its entry in ROUTES gives no value for "
                f"<{missing.args[0]}>"
            )

    def _walk_get_url(self, pattern, spec, t, token=True):
        url = self._walk_url(pattern, spec, t)
        params = dict(spec.query(t)) if spec.query else {}
        if spec.token and token:
            record = spec.token_record(t) if spec.token_record else t.order
            params["access_token"] = record.access_token
        return with_query(url, params)

    def _walk_form(self, spec, t):
        data = dict(spec.form(t)) if spec.form else {}
        if spec.token:
            record = spec.token_record(t) if spec.token_record else t.order
            data["access_token"] = record.access_token
        files = spec.files(t) if spec.files else None
        return data, files

    # ------------------------------------------------------------------
    # The walk
    # ------------------------------------------------------------------
    def _walk_routes(self):
        routes = module_routes(self.env)
        missing = [pattern for pattern in routes if pattern not in ROUTES]
        self.assertFalse(
            missing,
            "\n".join(
                f"route {pattern} has no entry in the security walk: add one"
                for pattern in missing
            ),
        )
        absent = sorted(set(ROUTES) - set(routes))
        if absent:
            _logger.info("security walk: no route (yet) for %s", ", ".join(absent))
        return routes

    def test_walk(self):
        routes = self._walk_routes()
        self.walk_tables = watched_tables(self.env)
        _logger.info("security walk: tables watched %s", ", ".join(self.walk_tables))
        A, B, C = self.walk["A"], self.walk["B"], self.walk["C"]
        # compile the assets once: rendering the first page stores them
        self._walk_login("A")
        self.url_open("/my")
        walked = []
        for actor in ("public", "A", "C"):
            self._walk_login(actor)
            for pattern, routings in routes.items():
                spec = ROUTES[pattern]
                for method, routing in route_methods(routings):
                    if method == "POST" and not spec.walk_post:
                        continue
                    walked.append((actor, method, pattern))
                    with self.subTest(route=pattern, actor=actor, method=method):
                        self._walk_route(actor, method, pattern, routing, spec, A, B, C)
        _logger.info(
            "security walk: %s routes and methods, %s requests",
            len({(method, pattern) for _actor, method, pattern in walked}),
            self.walk_requests,
        )

    def _walk_route(self, actor, method, pattern, routing, spec, A, B, C):
        public_route = routing.get("auth") == "public"
        if method == "GET":
            targets = [("B", B)]
            if actor == "A":
                targets.append(("A", A))
            elif actor == "C":
                targets.append(("C", C))
            variants = [{}, *spec.extra.get("get_variants", ())]
            if spec.token:
                variants.append(None)  # B's ids without B's token
            # the variants (other formats of the page) for B's records
            for key, t, variant in (
                (target_key, target, v)
                for target_key, target in targets
                for v in (variants if target_key == "B" else [{}])
            ):
                url = self._walk_get_url(pattern, spec, t, token=variant is not None)
                url = with_query(url, variant)
                case = f"{actor} GET {url} ({pattern}, records of {key})"
                with self.subTest(case=case):
                    self._walk_case(
                        case,
                        self._walk_check_get,
                        *(actor, key, url, spec, t, public_route),
                    )
            if actor == "A" and spec.extra.get("cross_get"):
                args, params = spec.extra["cross_get"](A, B)
                case = f"A GET {pattern} {params} (A's record searched for B's data)"
                with self.subTest(case=case):
                    url = self._walk_url(pattern, spec, A, args=args)
                    url = with_query(url, params)
                    self._walk_case(case, self._walk_check_cross_get, url)
            return
        # POST
        targets = [("B", B)] if spec.scoped else []
        if actor == "C" or (actor == "public" and not spec.scoped):
            targets.append(("C", C))
        for key, t in targets:
            url = self._walk_url(pattern, spec, t)
            data, files = self._walk_form(spec, t)
            for csrf in (True, False):
                case = (
                    f"{actor} POST {url} ({pattern}, records of {key}"
                    f"{'' if csrf else ', no CSRF token'})"
                )
                with self.subTest(case=case):
                    self._walk_case(
                        case,
                        self._walk_check_post,
                        *(actor, key, url, data, files, csrf),
                    )
        if actor == "A" and spec.extra.get("cross"):
            args, data = spec.extra["cross"](A, B)
            url = self._walk_url(pattern, spec, A, args=args)
            case = f"A POST {url} ({pattern}, A's record with B's ids {data})"
            with self.subTest(case=case):
                self._walk_case(case, self._walk_check_cross, url, data)
        if actor == "A" and spec.owner_post:
            url = self._walk_url(pattern, spec, A)
            data, files = self._walk_form(spec, A)
            case = f"A POST {url} ({pattern}, own records: positive control)"
            with self.subTest(case=case):
                self._walk_owner_case(
                    case, spec.owner_post, self._walk_check_owner_post, url, data, files
                )

    def _walk_check_get(self, case, actor, key, url, spec, t, public_route):
        response = self._walk_request("GET", url)
        self.assertNotEqual(response.status_code, 500, f"{case}: server error")
        self._walk_no_b_data(case, response)
        if (actor == "public" and not public_route) or (key == "B" and spec.scoped):
            self._walk_refused(case, response)
        elif key == "B" or public_route:
            # a page of the user's own (or no) records: shown, without B
            self.assertEqual(response.status_code, 200, f"{case}: status")
        elif key == "A":
            # positive control: the owner sees his own records
            self.assertEqual(response.status_code, 200, f"{case}: status")
            marker = spec.marker(t) if spec.marker else None
            if marker:
                self.assertIn(
                    marker,
                    response_text(response),
                    f"{case}: the owner's page does not show {marker}",
                )
        else:
            # C reads its own documents (or is sent away): never a 500
            self.assertIn(
                response.status_code,
                (200, *REFUSED_STATUSES, *REDIRECT_STATUSES),
                f"{case}: status",
            )

    def _walk_check_post(self, case, actor, key, url, data, files, csrf):
        response = self._walk_request("POST", url, data, files, csrf=csrf)
        if not csrf and actor != "public":
            self.assertNotEqual(response.status_code, 500, f"{case}: server error")
            self._walk_no_b_data(case, response)
            self.assertEqual(
                response.status_code,
                400,
                f"{case}: a POST without CSRF token is refused with 400",
            )
            return
        self._walk_refused(case, response, own_page_ok=key == actor)

    def _walk_check_cross(self, case, url, data):
        response = self._walk_request("POST", url, data)
        self.assertNotEqual(response.status_code, 500, f"{case}: server error")
        self._walk_no_b_data(case, response)
        if response.status_code in REDIRECT_STATUSES:
            self._walk_no_b_data(case, self._walk_follow(response))

    def _walk_check_cross_get(self, case, url):
        response = self._walk_request("GET", url)
        self.assertEqual(response.status_code, 200, f"{case}: status")
        self._walk_no_b_data(case, response)

    def _walk_check_owner_post(self, case, url, data, files):
        response = self._walk_request("POST", url, data, files)
        self.assertIn(
            response.status_code, (200, *REDIRECT_STATUSES), f"{case}: status"
        )
        self._walk_no_b_data(case, response)

    def test_walk_junk_parameters(self):
        """Every GET route of the owner with junk in the parameters the pages
        read (search, filters, sorting, formats, flash counters): no server
        error, nothing written, and the text sent back is escaped."""
        routes = self._walk_routes()
        self.walk_tables = watched_tables(self.env)
        A = self.walk["A"]
        junk = "%'\"<script>ka_walk()</script>"
        params = {
            name: junk
            for name in (
                "search",
                "filterby",
                "sortby",
                "category",
                "format",
                "page",
                "imported",
                "added",
                "answered",
                "accepted",
                "reported",
                "download",
            )
        }
        self._walk_login("A")
        self.url_open("/my")
        for pattern, routings in routes.items():
            spec = ROUTES[pattern]
            if "GET" not in dict(route_methods(routings)):
                continue
            with self.subTest(route=pattern):
                url = with_query(self._walk_get_url(pattern, spec, A), params)
                self._walk_case(f"A GET {url}", self._walk_check_junk, url)

    def _walk_check_junk(self, case, url):
        response = self._walk_request("GET", url)
        self.assertNotEqual(response.status_code, 500, f"{case}: server error")
        self.assertNotIn(
            "<script>ka_walk()",
            response.text,
            f"{case}: the page sends the parameter back unescaped",
        )

    # ------------------------------------------------------------------
    # Route declarations
    # ------------------------------------------------------------------
    def test_routes_declare_auth_and_csrf(self):
        """No route of the module is auth="none"; every route says its
        methods; every POST keeps CSRF."""
        for pattern, routings in module_routes(self.env).items():
            for routing in routings:
                self._check_routing(pattern, routing)

    def _check_routing(self, pattern, routing):
        with self.subTest(route=pattern, methods=routing.get("methods")):
            self.assertIn(
                pattern,
                ROUTES,
                f"route {pattern} has no entry in the security walk: add one",
            )
            self.assertNotEqual(routing.get("auth"), "none", pattern)
            self.assertIn(routing.get("auth"), ("user", "public"), pattern)
            self.assertTrue(
                routing.get("methods"),
                f"{pattern}: declare methods=['GET'] or ['POST']",
            )
            if "POST" in routing["methods"]:
                self.assertTrue(
                    routing.get("csrf", True),
                    f"{pattern}: a POST route keeps its CSRF protection",
                )
            if routing.get("auth") == "public":
                self.assertTrue(ROUTES[pattern].public, pattern)

    def test_walk_sees_its_own_markers(self):
        """The markers are on the records (a walk with wrong markers would
        pass for nothing)."""
        B = self.walk["B"]
        for marker in (B.order.name, B.statement.name, B.recipients[0].name):
            self.assertIn(marker, self.b_markers)
        self.assertEqual(len(B.recipients), 3)
        self.assertEqual(set(B.order.picking_ids.mapped("state")), {"done"})
        self.assertEqual(B.draft.state, "draft")
        self.assertEqual(B.statement.state, "sent")
        self.assertEqual(self.customer_c.key_account_state, "suspended")


@tagged("post_install", "-at_install")
class TestPortalUploadLimits(KeyAccountPortalWalkCommon):
    """A file over the configured limit is refused with the message naming
    the limit, and nothing is created, on every upload route of the walk's
    table (``extra["upload_field"]``)."""

    def test_upload_over_the_limit_is_refused(self):
        routes = module_routes(self.env)
        uploads = {
            pattern: spec
            for pattern, spec in ROUTES.items()
            if spec.extra.get("upload_field") and pattern in routes
        }
        self.assertTrue(uploads, "the walk's table names no upload route of the module")
        tables = watched_tables(self.env)
        A = self.walk["A"]
        self.authenticate("ka_portal_a", "ka_portal_a")
        self.url_open("/my")  # assets compiled before the snapshots
        for pattern, spec in uploads.items():
            param = spec.extra.get("upload_param", "key_account_portal.upload_max_mb")
            self.env["ir.config_parameter"].sudo().set_param(param, "0.1")
            field = spec.extra["upload_field"]
            filename = "walk" + spec.extra.get("upload_ext", ".csv")
            # over 0.1 MB, in the route's accepted format
            content = spec.extra.get("upload_content", _csv)(A)
            content += b"#" * (150 * 1024)
            url = build_url(pattern, spec.args(A) if spec.args else {})
            data = dict(spec.form(A)) if spec.form else {}
            data["csrf_token"] = Request.csrf_token(self)
            with self.subTest(route=pattern):
                before = snapshot(self.env, tables)
                response = self.opener.post(
                    self.base_url() + url,
                    data=data,
                    files={field: (filename, content, "application/octet-stream")},
                    timeout=60,
                )
                self.assertNotEqual(response.status_code, 500, pattern)
                self.assertIn(
                    f"{filename} is larger than 0.1 MB",
                    response.text,
                    f"{pattern}: the page does not say that the file is over the limit",
                )
                changes = snapshot_diff(before, snapshot(self.env, tables))
                self.assertFalse(changes, f"{pattern}: created {changes}")


@tagged("post_install", "-at_install")
class TestPortalApplyWalk(KeyAccountPortalWalkCommon):
    """The public application is the one route that writes for anyone (by
    design): a honeypot hit, a rate-limited address and a credit code that
    is already registered create nothing (the attempt log of the rate limit
    aside) and tell nothing of the registered customer B."""

    ATTEMPTS = "key_account_portal_application_attempt"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("key_account_portal.application_company_id", cls.company.id)
        params.set_param("key_account_portal.apply_max_per_ip_hour", 100)
        params.set_param("key_account_portal.apply_max_per_code_day", 100)

    def setUp(self):
        super().setUp()
        self.assertIn("/key-account/apply", module_routes(self.env))
        self.tables = watched_tables(self.env)
        self.tables.pop(self.ATTEMPTS, None)

    def _form(self, **overrides):
        return {
            "company_name": "走查申请有限公司",
            "credit_code": make_uscc(700000001),
            "legal_representative": "王芳",
            "registered_capital": "5,000,000",
            "key_account_type": "enterprise",
            "state_id": str(self.env.ref("base.state_cn_BJ").id),
            "city": "北京市",
            "street": "海淀区中关村大街 1 号",
            "phone": "010-62000000",
            "contact_name": "李娜",
            "contact_mobile": "138 0013 8000",
            "contact_email": "li.na@walk-example.com",
            "invoice_type": "vat_special",
            "bank_name": "中国工商银行北京海淀支行",
            "bank_account": "6222 0200 1234 5678",
            **overrides,
        }

    def _apply(self, form):
        self.url_open("/key-account/apply")  # assets compiled, session made
        data = dict(form, csrf_token=Request.csrf_token(self))
        pdf = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
        before = snapshot(self.env, self.tables)
        response = self.opener.post(
            self.base_url() + "/key-account/apply",
            data=data,
            files={"licence": ("licence.pdf", pdf, "application/pdf")},
            timeout=60,
        )
        changes = snapshot_diff(before, snapshot(self.env, self.tables))
        self.assertNotEqual(response.status_code, 500)
        leaked = found_markers(response_text(response), self.b_markers)
        self.assertFalse(leaked, f"the application page shows B's data {leaked}")
        return response, changes

    def test_honeypot_creates_nothing(self):
        self.authenticate(None, None)
        response, changes = self._apply(self._form(website="http://spam.example"))
        self.assertFalse(changes, f"a honeypot hit wrote {changes}")
        self.assertTrue(response.url.endswith("/key-account/apply/thanks"))

    def test_rate_limited_address_creates_nothing(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "key_account_portal.apply_max_per_ip_hour", 1
        )
        self.env["key.account.portal.application.attempt"].sudo().create(
            {"ip_address": "127.0.0.1"}
        )
        self.authenticate(None, None)
        attempts = snapshot(self.env, {self.ATTEMPTS: True})
        response, changes = self._apply(self._form())
        self.assertFalse(changes, f"a rate-limited application wrote {changes}")
        self.assertEqual(attempts, snapshot(self.env, {self.ATTEMPTS: True}))
        self.assertIn("Too many applications", response.text)

    def test_registered_code_tells_nothing_of_its_customer(self):
        for actor in ("public", "A"):
            with self.subTest(actor=actor):
                if actor == "public":
                    self.authenticate(None, None)
                else:
                    self.authenticate("ka_portal_a", "ka_portal_a")
                form = self._form(credit_code=self.customer_b.company_registry)
                response, changes = self._apply(form)
                self.assertFalse(changes, f"a duplicate application wrote {changes}")
                self.assertIn("already registered", response.text)


# A 1x1 PNG: the signature core's quotation acceptance asks for.
SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
    "60e6kgAAAABJRU5ErkJggg=="
)


@tagged("post_install", "-at_install")
class TestPortalCoreSaleRoutes(KeyAccountPortalWalkCommon):
    """Core's sale portal routes (``/my/orders/<id>``, its signature and its
    decline) reach key-account orders too: another customer's access token
    shows nothing of the order, and no one signs, confirms or declines a
    key-account order there (it is submitted to the review pool from the
    key-account pages, and a suspended account changes nothing)."""

    def setUp(self):
        super().setUp()
        self.tables = watched_tables(self.env)
        self.authenticate("ka_portal_a", "ka_portal_a")
        self.url_open("/my")  # assets compiled before the snapshots

    def _login(self, actor):
        logins = {"A": "ka_portal_a", "C": "ka_portal_c", "public": None}
        self.authenticate(logins[actor], logins[actor])

    def test_another_customers_token_shows_nothing(self):
        B = self.walk["B"]
        for actor in ("A", "C", "public"):
            for order in (B.order, B.draft):
                url = f"/my/orders/{order.id}?access_token={order.access_token}"
                with self.subTest(actor=actor, url=url):
                    self._login(actor)
                    before = snapshot(self.env, self.tables)
                    response = self.opener.get(self.base_url() + url, timeout=60)
                    self.assertNotEqual(response.status_code, 500)
                    leaked = found_markers(response_text(response), self.b_markers)
                    self.assertFalse(
                        leaked, f"{actor} GET {url} shows B's data {leaked}"
                    )
                    changes = snapshot_diff(before, snapshot(self.env, self.tables))
                    self.assertFalse(changes, f"{actor} GET {url} wrote {changes}")

    def test_no_one_signs_or_declines_a_key_account_order(self):
        A, B, C = self.walk["A"], self.walk["B"], self.walk["C"]
        cases = [
            ("public", B.draft),  # B's token in anyone's hands
            ("A", B.draft),
            ("C", C.draft),  # a suspended account
            ("A", A.draft),  # the owner: the review pool, not a signature
        ]
        for actor, order in cases:
            for action in ("accept", "decline"):
                with self.subTest(actor=actor, order=order.name, action=action):
                    self._login(actor)
                    self.env.cr.execute("SAVEPOINT ka_core_sale")
                    try:
                        self._check_sign_or_decline(actor, order, action)
                    finally:
                        self.env.cr.execute("ROLLBACK TO SAVEPOINT ka_core_sale")
                        self.env.invalidate_all()

    def _check_sign_or_decline(self, actor, order, action):
        token = order.access_token
        url = f"{self.base_url()}/my/orders/{order.id}/{action}"
        before = snapshot(self.env, self.tables)
        if action == "accept":
            response = self.opener.post(
                f"{url}?access_token={token}",
                json={
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "access_token": token,
                        "name": "走查签名",
                        "signature": SIGNATURE,
                    },
                },
                timeout=60,
            )
        else:
            response = self.opener.post(
                url,
                data={
                    "access_token": token,
                    "decline_message": "走查拒绝",
                    "csrf_token": Request.csrf_token(self),
                },
                timeout=60,
                # the refusal itself, not core's quotation page it redirects
                # to (its owner viewing it logs "Quotation viewed")
                allow_redirects=False,
            )
        self.assertNotEqual(response.status_code, 500)
        self.env.invalidate_all()
        self.assertEqual(
            order.state,
            "draft",
            f"{actor} changed {order.name} to {order.state} with core's "
            f"quotation {action} (/my/orders/<id>/{action})",
        )
        changes = snapshot_diff(before, snapshot(self.env, self.tables))
        self.assertFalse(changes, f"{actor} {action} wrote {changes}")


ALL_ROLES = frozenset({"admin", "buyer", "approver", "finance"})


def allowed_roles(pattern, method):
    """The roles that may use the route ``pattern`` with ``method`` (README,
    "Portal roles")."""
    if pattern.startswith("/my/organisation"):
        return {"admin"}
    if pattern.startswith("/my/approvals"):
        return {"approver"}
    if pattern.startswith("/my/budgets"):
        return {"admin"} if method == "POST" else {"admin", "finance", "buyer"}
    if pattern.startswith("/my/key-account/statements"):
        return {"finance"} if method == "POST" else {"finance", "admin"}
    if pattern in ("/my/key-account/receivables", "/my/key-account/rebates"):
        return {"finance", "admin"}
    if (
        "/catalog" in pattern
        or "/recipients/template." in pattern
        or pattern == "/my/key-account/orders/new"
    ):
        return {"buyer"}
    if method == "POST":
        # ordering, recipients, import, acceptance
        return {"buyer"}
    # reading the company's orders, recipients, imports and contract
    return set(ALL_ROLES)


@tagged("post_install", "-at_install")
class TestPortalRoleWalk(KeyAccountPortalWalkCommon):
    """Each role of A against what that role must not do, on every route of
    the module: a contact holding only that role (and a disabled contact
    holding every role) is refused (403/404, a redirect elsewhere, or its
    own page with the role message) and nothing is written."""

    _walk_url = TestPortalSecurityWalk._walk_url
    _walk_get_url = TestPortalSecurityWalk._walk_get_url
    _walk_form = TestPortalSecurityWalk._walk_form
    _walk_request = TestPortalSecurityWalk._walk_request
    _walk_case = TestPortalSecurityWalk._walk_case

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.role_users = {}
        for role in sorted(ALL_ROLES):
            login = f"ka_walk_role_{role}"
            user = cls._create_portal_user(cls.customer_a, login, f"走查{role}")
            user.partner_id.write({f"key_account_role_{role}": True})
            cls.role_users[role] = login
        disabled = cls._create_portal_user(
            cls.customer_a, "ka_walk_role_disabled", "走查停用"
        )
        disabled.partner_id.write(
            {
                **{f"key_account_role_{role}": True for role in ALL_ROLES},
                "key_account_portal_disabled": True,
            }
        )
        cls.role_users["disabled"] = "ka_walk_role_disabled"
        cls.customer_a.key_account_approver_may_buy = True

    def test_role_walk(self):
        routes = module_routes(self.env)
        self.walk_tables = watched_tables(self.env)
        A = self.walk["A"]
        refused = 0
        for key, login in self.role_users.items():
            roles = frozenset() if key == "disabled" else {key}
            self.authenticate(login, login)
            self.walk_actor = key
            for pattern, routings in routes.items():
                spec = ROUTES[pattern]
                if spec.public:
                    continue
                for method, _routing in route_methods(routings):
                    if roles & allowed_roles(pattern, method):
                        continue
                    refused += 1
                    case = f"{key} {method} {pattern} (A's own records)"
                    with self.subTest(case=case):
                        self._walk_case(
                            case, self._role_check, method, pattern, spec, A
                        )
        self.assertGreater(refused, 40)

    def _role_check(self, case, method, pattern, spec, A):
        if method == "GET":
            url = self._walk_get_url(pattern, spec, A, token=False)
            response = self._walk_request("GET", url)
        else:
            url = self._walk_url(pattern, spec, A)
            data, files = self._walk_form(spec, A)
            response = self._walk_request("POST", url, data, files)
        status = response.status_code
        self.assertNotEqual(status, 500, f"{case}: server error")
        if status == 200 and (
            ROLE_REFUSED in response.text or DISABLED in response.text
        ):
            return
        self.assertIn(
            status,
            (*REFUSED_STATUSES, *REDIRECT_STATUSES),
            f"{case}: status {status} is no refusal",
        )
        if status in REDIRECT_STATUSES:
            self.assertNotEqual(
                location_path(response),
                urlsplit(url).path,
                f"{case}: redirected to the page itself",
            )
