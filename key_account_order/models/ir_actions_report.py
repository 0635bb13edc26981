# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import lxml.html
from markupsafe import Markup

from odoo import models

ARTICLE_XPATH = (
    "//div[contains(concat(' ', normalize-space(@class), ' '), ' article ')]"
)


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _prepare_html(self, html, report_model=False):
        """With ``key_account_one_body`` in the context, every document of a
        multi-record report goes into one HTML body, each on a new page.

        Core hands wkhtmltopdf one body per record, which only a wkhtmltopdf
        built with patched Qt renders; Debian's does not (``Exit with code
        1``). One body renders there too, in one call: a thousand delivery
        slips in one process instead of a thousand. The per-record header
        and footer switching of patched Qt is lost, which a print of the
        same company's slips does not need."""
        bodies, res_ids, header, footer, args = super()._prepare_html(
            html, report_model=report_model
        )
        if not self.env.context.get("key_account_one_body") or len(bodies) < 2:
            return bodies, res_ids, header, footer, args
        return [self._key_account_join_bodies(bodies)], [None], header, footer, args

    def _key_account_join_bodies(self, bodies):
        xpath = ARTICLE_XPATH
        root = lxml.html.fromstring(str(bodies[0]))
        first = root.xpath(xpath)
        parent = first[0].getparent() if first else root.xpath("//body")[0]
        for body in bodies[1:]:
            for article in lxml.html.fromstring(str(body)).xpath(xpath):
                style = article.get("style") or ""
                article.set("style", f"page-break-before: always; {style}".strip())
                parent.append(article)
        return Markup("<!DOCTYPE html>" + lxml.html.tostring(root, encoding="unicode"))
