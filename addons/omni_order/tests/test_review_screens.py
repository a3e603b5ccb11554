# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.tests import Form, TransactionCase

from .common import OmniOrderTestMixin


class TestReviewScreens(OmniOrderTestMixin, TransactionCase):
    """The channel overview's counts and links, and the review queue's
    Merge and Map SKU buttons."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_order()
        cls.Order = cls.env["omni.order"]

    def _import(self, *orders):
        return self.Order.browse([r["order_id"] for r in self.Order.import_orders("TMALL01", list(orders))])

    def test_overview_counts_per_channel(self):
        with freeze_time("2026-11-11 08:00:00"):
            self.channel.auto_confirm = False
            new = self._import(self._order("OV1"))
            self.channel.auto_confirm = True
            unknown = self._import(self._order("OV2", lines=[{"platform_sku": "NOPE", "quantity": "1"}]))
            confirmed = self._import(self._order("OV3", receiver_name="王芳", address="人民路1号"))
        self.assertEqual((new.state, unknown.state, confirmed.state), ("to_review", "exception", "confirmed"))
        with freeze_time("2026-11-11 09:00:00"):
            self.channel.invalidate_recordset()
            self.assertEqual(
                (
                    self.channel.overview_review_count,
                    self.channel.overview_exception_count,
                    self.channel.overview_to_ship_count,
                    self.channel.overview_overdue_count,
                ),
                (1, 1, 1, 0),
            )
        with freeze_time("2026-11-14 09:00:00"):  # 48 h promise passed for all three
            self.channel.invalidate_recordset()
            self.assertEqual(self.channel.overview_overdue_count, 3)

    def test_overview_count_links_to_its_list(self):
        action = self.channel.with_context(overview_filter="filter_exception").action_open_overview_orders()
        self.assertEqual(action["res_model"], "omni.order")
        self.assertEqual(action["context"], {"search_default_channel_id": self.channel.id,
                                             "search_default_filter_exception": 1})  # fmt: skip
        action = self.channel.with_context(overview_filter="active_test").action_open_overview_orders()
        self.assertNotIn("search_default_active_test", action["context"], "only the overview's filters")

    def test_merge_button_of_the_note(self):
        self.channel.auto_confirm = False
        a, b = self._import(self._order("MB1"), self._order("MB2"))
        self.assertEqual(a.merge_candidate_count, 1)
        a.action_merge_candidates()
        self.assertEqual(b.merged_into_id, a)

    def test_map_unknown_sku_from_the_order(self):
        order = self._import(self._order("MAP1", lines=[{"platform_sku": "TM-NEW-SKU", "quantity": "2",
                                                          "unit_price": "52.5"}]))  # fmt: skip
        self.assertEqual(order.state, "exception")
        line = order.line_ids
        self.assertFalse(line.is_mapped)
        action = line.action_map_sku()
        form = Form(self.env[action["res_model"]].with_context(**action["context"]), view=action["views"][0][0])
        form.product_id = self.honey
        form.save()
        line.invalidate_recordset()
        self.assertTrue(line.is_mapped)
        order.action_recheck()
        self.assertNotIn("unknown_sku", order.exception_codes or "")

    def test_due_today_filter_is_before_the_cut_off(self):
        self.channel.auto_confirm = False
        with freeze_time("2026-11-11 01:00:00"):
            early, late = self._import(
                self._order("DT1", order_time="2026-11-11 10:00:00"),
                self._order("DT2", order_time="2026-11-11 17:00:00", receiver_name="王芳"),
            )
        view = self.env.ref("omni_order.omni_order_view_search")
        self.assertIn('name="filter_due_today"', view.arch)
        # the filter's domain, with context_today() on 2026-11-11
        domain = [("ship_target_date", "<=", "2026-11-11"), ("channel_id", "=", self.channel.id)]
        self.assertEqual(self.Order.search(domain), early)

    def test_unknown_unit_code_is_one_message_and_nothing_imported_is_refused(self):
        import base64

        header = "平台单位编码,平台订单号,平台商家编码,数量,单价,实付金额\n"
        rows = "".join(f"NOPE01,X-{n},TM-HONEY-500G,1,30,30\n" for n in range(1, 6))
        summary = self.Order.import_file("orders.csv", base64.b64encode((header + rows).encode()).decode())
        self.assertEqual(len(summary["errors"]), 1, summary["errors"])
        self.assertIn("Rows 2-6: no channel with unit code 'NOPE01'", summary["errors"][0]["message"])
        import_file = self.env["omni.import.file"].browse(summary["import_file_id"])
        self.assertEqual(import_file.state, "failed")
        self.assertIn("Nothing was imported", import_file.message)
