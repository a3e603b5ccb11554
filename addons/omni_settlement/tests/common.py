# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import json
from decimal import Decimal
from pathlib import Path

from odoo.tests import TransactionCase

from odoo.addons.omni_channel.tools import guard

# the real statements of the samples (one per platform, November 2026) and their truth files
SAMPLES = Path("/work/shared/samples/settlements")
LOCAL_SAMPLES = Path(__file__).parent / "data"
FILES = {
    "TMALL01": ("tmall", "alipay_TMALL01_2026-11.csv"),
    "JD01": ("jd", "jd_JD01_2026-11.xlsx"),
    "PDD01": ("pinduoduo", "pdd_PDD01_2026-11.csv"),
    "DY01": ("douyin", "douyin_DY01_2026-11.csv"),
}
# truth class -> kind of our line
TRUTH_KINDS = {"order_payment": "sale", "refund": "refund", "fee": "fee", "payout": "payout"}


def sample_path(name):
    local = LOCAL_SAMPLES / name
    return local if local.is_file() else SAMPLES / name


def b64(content):
    return base64.b64encode(content).decode()


def truth(code):
    name = FILES[code][1].rsplit(".", 1)[0] + ".truth.json"
    return json.loads(sample_path(name).read_text())


class SettlementCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.channels = {
            code: cls.env["omni.channel"].create({"name": f"Shop {code}", "code": code, "platform": platform})
            for code, (platform, _name) in FILES.items()
        }
        cls.orders = {code: cls._make_orders(code) for code in FILES}

    @classmethod
    def _make_orders(cls, code, state="shipped"):
        """The shop's order book of the sample (truth 'orders') as shipped platform orders."""
        book = truth(code)["orders"]
        orders = guard.internal(cls.env["omni.order"]).create(
            [
                {
                    "channel_id": cls.channels[code].id,
                    "platform_order_no": order["order"],
                    "paid_amount": float(Decimal(order["paid"])),
                    "state": state,
                    "source": "file",
                }
                for order in book
            ]
        )
        return {order.platform_order_no: order.with_env(cls.env) for order in orders}

    def import_sample(self, code, name=None):
        content = sample_path(name or FILES[code][1]).read_bytes()
        return self.import_bytes(code, name or FILES[code][1], content)

    def import_bytes(self, code, name, content):
        sid = self.env["omni.settlement"].import_file(code, name, b64(content))
        return self.env["omni.settlement"].browse(sid)
