# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from xmlrpc.client import Fault

from odoo.tests import HttpCase, tagged

from .common import CourierTestMixin, b64, xlsx_bytes


@tagged("post_install", "-at_install")
class TestCourierXmlRpc(CourierTestMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_courier()
        cls._setup_omni_companies()
        group = "omni_courier.group_courier_user"
        cls.courier_user = cls._create_omni_user("courier_rpc", cls.company, group)
        cls.courier_user_b = cls._create_omni_user("courier_rpc_b", cls.company_b, group)
        cls.salesman = cls._create_omni_user("courier_rpc_salesman", cls.company, "sales_team.group_sale_salesman")

    def _call(self, user, model, method, *args, **kwargs):
        password = user.login + "-Pass-123"
        uid = self.xmlrpc_common.login(self.env.cr.dbname, user.login, password)
        self.assertEqual(uid, user.id)
        return self.xmlrpc_object.execute_kw(self.env.cr.dbname, uid, password, model, method, list(args), kwargs)

    def test_import_over_xmlrpc(self):
        content = b64(xlsx_bytes(self.STATEMENT_ROWS))
        statement_id = self._call(self.courier_user, "courier.statement", "import_file", "SF", "sf.xlsx", content)
        self.assertIsInstance(statement_id, int)
        lines = self._call(
            self.courier_user,
            "courier.statement.line",
            "search_read",
            [("statement_id", "=", statement_id)],
            fields=["tracking_no", "state"],
        )
        states = sorted((line["tracking_no"], line["state"]) for line in lines)
        self.assertIn(("SF1004", "weight_diff"), states)
        self.assertIn(("SF1006", "missing"), states)
        self.assertEqual(len(states), 9)
        # the same file again: the same statement, nothing doubled
        again = self._call(self.courier_user, "courier.statement", "import_file", "SF", "copy.xlsx", content)
        self.assertEqual(again, statement_id)
        count = self._call(
            self.courier_user, "courier.statement.line", "search_count", [("statement_id", "=", statement_id)]
        )
        self.assertEqual(count, 9)
        # another company's user sees nothing of it
        with self.assertRaises(Fault):
            self._call(self.courier_user_b, "courier.statement", "read", [statement_id], fields=["name"])
        self.assertEqual(self._call(self.courier_user_b, "courier.statement.line", "search_count", []), 0)

    def test_bad_file_message_over_xmlrpc(self):
        rows = [list(r) for r in self.STATEMENT_ROWS[:2]]
        rows[1][4] = "abc"
        with self.assertRaises(Fault) as err:
            self._call(self.courier_user, "courier.statement", "import_file", "SF", "sf.xlsx", b64(xlsx_bytes(rows)))
        self.assertIn("Row 3, column 运费: 'abc' is not a number", err.exception.faultString)
        self.assertFalse(self.env["courier.statement"].search([]))

    def test_salesman_reads_couriers_without_fields(self):
        # salesmen pick carriers on sale orders (Odoo's own right): our rate card comes along
        [row] = self._call(self.salesman, "delivery.carrier", "read", [self.carrier.id])
        self.assertEqual(row["omni_courier_code"], "SF")
        self.assertEqual(len(row["omni_rate_ids"]), len(self.carrier.omni_rate_ids))
