# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase
from odoo.tools import mute_logger

from .common import OmniChannelTestMixin


class TestOmniChannel(OmniChannelTestMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_omni_companies()
        cls.Channel = cls.env["omni.channel"]

    def test_unit_code_normalised_to_upper_case(self):
        channel = self.Channel.create({"name": "Web shop", "code": "  web-01 ", "company_id": self.company_a.id})
        self.assertEqual(channel.code, "WEB-01")
        channel.write({"code": "call_1"})
        self.assertEqual(channel.code, "CALL_1")

    def test_unit_code_format_refused(self):
        for bad in ("TM ALL", "天猫01", "TM.01", "TM/01", ""):
            with self.subTest(code=bad), self.assertRaises(ValidationError) as err:
                self.Channel.create({"name": "Bad", "code": bad, "company_id": self.company_a.id})
            if bad:
                self.assertIn(bad.strip().upper(), str(err.exception))

    def test_duplicate_unit_code_same_company_refused(self):
        with self.assertRaises(ValidationError) as err:
            self.Channel.create({"name": "Second Tmall", "code": "tmall01", "company_id": self.company_a.id})
        message = str(err.exception)
        self.assertIn("TMALL01", message)
        self.assertIn("Tmall A", message)
        self.assertIn("Omni Test A", message)

    def test_duplicate_unit_code_of_archived_channel_refused(self):
        self.channel_a.active = False
        with self.assertRaises(ValidationError):
            self.Channel.create({"name": "Reuse", "code": "TMALL01", "company_id": self.company_a.id})

    def test_duplicate_unit_code_in_one_batch_refused(self):
        with self.assertRaises(ValidationError) as err:
            self.Channel.create(
                [
                    {"name": "One", "code": "PDD01", "company_id": self.company_a.id},
                    {"name": "Two", "code": "PDD01", "company_id": self.company_a.id},
                ]
            )
        self.assertIn("PDD01", str(err.exception))

    def test_renaming_to_taken_unit_code_refused(self):
        other = self.Channel.create({"name": "Web", "code": "WEB", "company_id": self.company_a.id})
        with self.assertRaises(ValidationError) as err:
            other.write({"code": "tmall01"})
        self.assertIn("Tmall A", str(err.exception))
        other.write({"code": "WEB"})  # rewriting its own code is fine
        self.channel_b.write({"code": "TMALL01"})  # free in company B

    def test_sql_constraint_guards_unit_code(self):
        # the database refuses a duplicate even when the Python check is bypassed
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env.cr.execute(
                "INSERT INTO omni_channel (name, code, platform, company_id, active) VALUES (%s, %s, %s, %s, true)",
                ("Raw", "TMALL01", "tmall", self.company_a.id),
            )

    def test_same_unit_code_in_other_company_allowed(self):
        channel = self.Channel.create({"name": "Tmall B", "code": "TMALL01", "company_id": self.company_b.id})
        self.assertEqual(channel.code, "TMALL01")
        self.assertEqual(channel.company_id, self.company_b)

    def test_default_warehouse_is_company_warehouse(self):
        channel = self.Channel.with_company(self.company_b).create({"name": "Store", "code": "STORE1"})
        self.assertEqual(channel.company_id, self.company_b)
        self.assertEqual(channel.warehouse_id, self.warehouse_b)

    def test_warehouse_of_other_company_refused(self):
        with self.assertRaises(UserError):
            self.Channel.create(
                {
                    "name": "Cross",
                    "code": "CROSS1",
                    "company_id": self.company_a.id,
                    "warehouse_id": self.warehouse_b.id,
                }
            )

    def test_display_name_and_search_by_code(self):
        self.assertEqual(self.channel_a.display_name, "[TMALL01] Tmall A")
        found = self.Channel.name_search("TMALL0")
        self.assertIn(self.channel_a.id, [row[0] for row in found])

    def test_get_by_code(self):
        self.assertEqual(self.Channel.with_company(self.company_a)._get_by_code("tmall01"), self.channel_a)
        with self.assertRaises(ValidationError) as err:
            self.Channel.with_company(self.company_a)._get_by_code("JD01")
        self.assertIn("JD01", str(err.exception))

    def test_chinese_user_reads_chinese_labels_and_messages(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["omni_channel"], ["zh_CN"], overwrite=True)
        env_zh = self.env(context=dict(self.env.context, lang="zh_CN"))
        self.assertEqual(env_zh["omni.channel"]._fields["code"]._description_string(env_zh), "单位编码")
        with self.assertRaises(ValidationError) as err:
            env_zh["omni.channel"].create({"name": "重复", "code": "TMALL01", "company_id": self.company_a.id})
        self.assertIn("单位编码“TMALL01”已被公司“Omni Test A”的渠道“Tmall A”使用", str(err.exception))
