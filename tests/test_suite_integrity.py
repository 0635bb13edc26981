"""Every key-account addon here is installed and fully translated into zh_CN."""

import io
from pathlib import Path

import polib

from odoo.tests.common import TransactionCase, tagged
from odoo.tools.translate import trans_export

REPO = Path(__file__).resolve().parents[1]
MODULES = sorted(p.parent.name for p in REPO.glob("key_account_*/__manifest__.py"))


@tagged("post_install", "-at_install")
class TestSuiteIntegrity(TransactionCase):
    def test_every_module_is_installed(self):
        self.assertTrue(MODULES, "no key_account_* addon found next to tests/")
        installed = (
            self.env["ir.module.module"]
            .search([("name", "in", MODULES), ("state", "=", "installed")])
            .mapped("name")
        )
        self.assertEqual(sorted(installed), MODULES)

    def test_zh_cn_catalogs_are_complete(self):
        for module in MODULES:
            with self.subTest(module=module):
                i18n = REPO / module / "i18n"
                for name in (f"{module}.pot", "zh_CN.po"):
                    self.assertTrue(
                        (i18n / name).is_file(), f"{module}: no i18n/{name}"
                    )
                pot = polib.pofile(str(i18n / f"{module}.pot"))
                po = polib.pofile(str(i18n / "zh_CN.po"))
                translated = {e.msgid for e in po if e.msgstr and not e.obsolete}
                missing = sorted(e.msgid for e in pot if e.msgid not in translated)
                self.assertFalse(
                    missing, f"{module}: zh_CN.po lacks {len(missing)}: {missing[:5]}"
                )

    def test_zh_cn_catalogs_cover_the_code(self):
        """The catalogs cover what the installed code says today, not only an
        older template: export each module's terms and look them up."""
        for module in MODULES:
            with self.subTest(module=module):
                buffer = io.BytesIO()
                trans_export(False, [module], buffer, "po", self.env.cr)
                exported = polib.pofile(buffer.getvalue().decode())
                po = polib.pofile(str(REPO / module / "i18n" / "zh_CN.po"))
                translated = {e.msgid for e in po if e.msgstr and not e.obsolete}
                missing = sorted(e.msgid for e in exported if e.msgid not in translated)
                self.assertFalse(
                    missing,
                    f"{module}: zh_CN.po lacks {len(missing)} terms of the code "
                    f"(regenerate the .pot and translate): {missing[:5]}",
                )
