# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A stand-in waybill service for the framework's tests: the primitives of
readme/PROVIDERS.md installed on ``delivery.carrier`` for the core's
``fixed`` provider while a test runs, backed by a small in-memory service
(numbers by request key, balance, cancelled numbers, calls)."""

from contextlib import ExitStack
from unittest.mock import patch

from odoo.addons.omni_base.tools import guard
from odoo.addons.omni_order.tests.common import OmniOrderTestMixin

from ..services import WaybillError, WaybillTimeout


class WaybillStandIn:
    """In-memory waybill service: numbers are ZT0000000001... by request
    key (asking again with a key returns its number), ``balance`` numbers
    left, ``refuse`` a reason for every request, ``timeout_after_issue``
    issues the numbers and then answers nothing."""

    def __init__(self, prefix="ZT7", batch_size=10, encrypted_platforms=("tmall", "taobao")):
        self.prefix = prefix
        self.default_size = batch_size
        self.default_platforms = encrypted_platforms
        self.reset()

    def reset(self):
        self.size = self.default_size
        self.platforms = self.default_platforms
        self.numbers = {}
        self.cancelled = set()
        self.calls = []
        self.balance = 1000
        self.refuse = None
        self.refuse_query = None
        self.refuse_keys = {}
        self.timeout_after_issue = False
        self.counter = 0

    # primitives (self is the stand-in, carrier the delivery.carrier)
    def issue(self, carrier, account, parcels):
        self.calls.append(("issue", [p["request_key"] for p in parcels]))
        if self.refuse:
            raise WaybillError(self.refuse, code="isv.refused")
        results = []
        for parcel in parcels:
            key = parcel["request_key"]
            if key in self.refuse_keys:
                results.append({"request_key": key, "error": self.refuse_keys[key]})
                continue
            if key not in self.numbers:
                if self.balance <= 0:
                    raise WaybillError("电子面单余额不足 (waybill balance exhausted)", code="BALANCE_NOT_ENOUGH")
                self.balance -= 1
                self.counter += 1
                self.numbers[key] = f"{self.prefix}{self.counter:09d}"
            number = self.numbers[key]
            results.append({"request_key": key, "number": number, "print_data": {"number": number, "key": key}})
        if self.timeout_after_issue:
            self.timeout_after_issue = False
            raise WaybillTimeout("no answer within 15 s")
        return results

    def query(self, carrier, account, parcels):
        self.calls.append(("query", [p["request_key"] for p in parcels]))
        if self.refuse_query:
            raise WaybillError(self.refuse_query)
        return [
            {"request_key": p["request_key"], "number": self.numbers[p["request_key"]], "print_data": {}}
            for p in parcels
            if p["request_key"] in self.numbers and self.numbers[p["request_key"]] not in self.cancelled
        ]

    def cancel(self, carrier, account, waybills):
        self.calls.append(("cancel", waybills.mapped("number")))
        if self.refuse:
            raise WaybillError(self.refuse)
        self.cancelled |= set(waybills.mapped("number"))
        return True

    def install(self, env, delivery_type="fixed"):
        """Patch the primitives onto delivery.carrier; returns the ExitStack."""
        cls = type(env["delivery.carrier"])
        stand_in = self
        methods = {
            "issue": lambda carrier, account, parcels: stand_in.issue(carrier, account, parcels),
            "query": lambda carrier, account, parcels: stand_in.query(carrier, account, parcels),
            "cancel": lambda carrier, account, waybills: stand_in.cancel(carrier, account, waybills),
            "batch_size": lambda carrier: stand_in.size,
            "encrypted_platforms": lambda carrier: stand_in.platforms,
            "print_task": lambda carrier, waybills: {
                "url": "ws://127.0.0.1:13528",
                "payload": {"cmd": "print", "documents": [{"documentID": w.number} for w in waybills]},
            },
        }
        stack = ExitStack()
        for name, method in methods.items():
            stack.enter_context(patch.object(cls, f"_{delivery_type}_waybill_{name}", method, create=True))
        return stack


class WaybillTestMixin(OmniOrderTestMixin):
    """A Tmall channel that ships with couriers, carriers ZTO through the
    stand-in service (``fixed`` provider while patched) and ZTO by hand,
    a service account, and helpers to make packed deliveries."""

    @classmethod
    def _setup_waybill(cls):
        cls._setup_omni_order()
        env = cls.env
        cls.channel.ships_without_courier = False
        cls.service = WaybillStandIn()
        cls.addClassCleanup(cls.service.install(env).close)
        product = env["product.product"].create({"name": "Freight", "type": "service"})
        Carrier = env["delivery.carrier"]
        cls.zto_service = Carrier.create(
            {"name": "ZTO (e-waybill)", "delivery_type": "fixed", "omni_courier_code": "ZTO",
             "product_id": product.id, "company_id": cls.company.id, "tracking_url": "https://t.example/<shipmenttrackingnumber>"}
        )  # fmt: skip
        cls.zto_manual = Carrier.create(
            {"name": "ZTO (labels)", "delivery_type": "base_on_rule", "omni_courier_code": "ZTO",
             "product_id": product.id, "company_id": cls.company.id, "omni_tracking_pattern": "ZT"}
        )  # fmt: skip
        cls.account = env["omni.waybill.account"].create(
            {"name": "Stand-in account", "service": "fixed", "company_id": cls.company.id, "app_key": "k"}
        )
        cls.Picking = env["stock.picking"]

    def setUp(self):
        super().setUp()
        self.service.reset()

    @classmethod
    def _delivery(cls, number, carrier=None, weight=1.2, **order_values):
        [result] = cls.env["omni.order"].import_orders("TMALL01", [cls._order(number, **order_values)])
        order = cls.env["omni.order"].browse(result["order_id"])
        picking = order.sale_order_id.picking_ids
        assert len(picking) == 1, (number, result)
        vals = {"omni_parcel_weight": weight}
        if carrier is not None:
            vals["carrier_id"] = carrier.id
        picking.write(vals)
        return picking

    @staticmethod
    def _pack(picking):
        for move in picking.move_ids:
            guard.internal(move).write({"omni_packed_qty": move.product_uom_qty})
