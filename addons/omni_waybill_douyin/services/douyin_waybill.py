# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Douyin e-waybill service (抖音电子面单) client (pure Python).

The transport, the system parameters and the hmac-sha256 signature are the
Douyin shop adapter's (``omni_platform_douyin``), called with the shop's
``access_token``:

* ``logistics.newCreateOrder`` (``POST /logistics/newCreateOrder``): numbers
  for at most :data:`BATCH_LIMIT` parcels (``order_infos``); the answer lists
  ``ebill_infos`` (``order_id``, ``pack_id``, ``track_no``, sorting codes)
  and ``err_infos`` (``order_id``, ``pack_id``, ``err_code``, ``err_msg``) of
  the parcels refused, so one refusal does not fail the others;
* ``logistics.waybillApply``: the print data (``print_data``, encrypted, and
  its ``sign``) of issued numbers, for the Douyin print component;
* ``logistics.cancelOrder``: gives a number back (``cancel_result.success``).

The receiver of a Douyin order goes as the order gives it: ciphertext stays
ciphertext (``detail_address`` 支持密文), Douyin prints it.
"""

from odoo.addons.omni_platform.platforms import PlatformError, PlatformRejectedError
from odoo.addons.omni_platform_douyin.platforms.douyin import DouyinAdapter

CREATE_METHOD = "logistics.newCreateOrder"
PRINT_METHOD = "logistics.waybillApply"
CANCEL_METHOD = "logistics.cancelOrder"
#: parcels per logistics.newCreateOrder / logistics.waybillApply call. The
#: SDK gives no limit; 10, as Pinduoduo's and Cainiao's, until Douyin's
#: documentation says otherwise (a setting of the service)
BATCH_LIMIT = 10


def chunks(items, size):
    return [items[i : i + size] for i in range(0, len(items), size)]


def _address(values):
    return {
        "country_code": "CHN",
        "province_name": values.get("province") or "",
        "city_name": values.get("city") or "",
        "district_name": values.get("district") or "",
        "street_name": values.get("town") or "",
        "detail_address": values.get("address") or "",
    }


def _contact(values):
    contact = {"name": values.get("name") or ""}
    if values.get("mobile"):
        contact["mobile"] = values["mobile"]
    if values.get("phone"):
        contact["phone"] = values["phone"]
    return contact


class DouyinWaybillClient:
    """Douyin waybill service of one shop and one courier
    (``logistics_code``, e.g. ``zhongtong``). ``sender`` is the shipping
    address of the subscribed branch (``logistics.listShopNetsite``); other
    keyword arguments go to the Douyin adapter."""

    label = "Douyin waybill"

    def __init__(self, *, logistics_code, sender, user_id=None, batch_limit=BATCH_LIMIT, **config):
        if not logistics_code:
            raise ValueError(f"{self.label}: logistics_code (courier) is required")
        self.adapter = DouyinAdapter(**config)
        self.logistics_code = logistics_code
        self.sender = dict(sender or {})
        self.user_id = user_id
        self.batch_limit = max(1, int(batch_limit))

    def close(self):
        self.adapter.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    @staticmethod
    def _failed(parcel, reason, code=None):
        return {"key": parcel["key"], "tracking_number": "", "print_data": {}, "routing": {}, "error": reason,
                "code": code}  # fmt: skip

    @staticmethod
    def pack_id(parcel):
        """The parcel's ``pack_id``: letters, digits and ``_`` only."""
        return "".join(ch if ch.isalnum() else "_" for ch in str(parcel.get("package_id") or parcel["key"]))

    def _order_info(self, parcel):
        info = {
            "order_id": str(parcel["order_no"]),
            "pack_id": self.pack_id(parcel),
            "receiver_info": {"address": _address(parcel["receiver"]), "contact": _contact(parcel["receiver"])},
            "items": [
                {"item_name": item["name"], "item_count": int(item["count"])} for item in parcel.get("items") or []
            ]
            or [{"item_name": "-", "item_count": 1}],
        }
        if parcel.get("weight_g"):
            info["total_weight"] = str(int(parcel["weight_g"]))
        merged = [str(n) for n in parcel.get("order_numbers") or [] if str(n) != info["order_id"]]
        if merged:
            # 合单: one of the orders as order_id, the parcel's other orders listed
            info["combine_orders"] = merged
        return info

    def _create(self, parcels):
        business = {
            "sender_info": {"address": _address(self.sender), "contact": _contact(self.sender)},
            "logistics_code": self.logistics_code,
            "order_infos": [self._order_info(parcel) for parcel in parcels],
        }
        if self.user_id:
            business["user_id"] = int(self.user_id)
        channels = {parcel.get("order_channel") for parcel in parcels} - {None, ""}
        if len(channels) == 1:
            business["order_channel"] = channels.pop()
        data = self.adapter._call(CREATE_METHOD, business)
        issued = {
            (str(info.get("order_id")), str(info.get("pack_id") or "")): info
            for info in data.get("ebill_infos") or []
            if isinstance(info, dict) and info.get("track_no")
        }
        refused = {
            (str(err.get("order_id")), str(err.get("pack_id") or "")): err
            for err in data.get("err_infos") or []
            if isinstance(err, dict)
        }
        results = []
        for parcel in parcels:
            ident = (str(parcel["order_no"]), self.pack_id(parcel))
            info = issued.get(ident) or issued.get((ident[0], ""))
            if info is None:
                err = refused.get(ident) or refused.get((ident[0], "")) or {}
                reason = err.get("err_msg") or "no waybill number in the answer"
                results.append(self._failed(parcel, reason, str(err.get("err_code") or "") or None))
                continue
            results.append(
                {
                    "key": parcel["key"],
                    "tracking_number": str(info["track_no"]),
                    "child_tracking_numbers": [c for c in str(info.get("sub_waybill_codes") or "").split(",") if c],
                    "print_data": {},
                    "routing": {
                        key: info.get(key) or ""
                        for key in (
                            "sort_code",
                            "package_center_code",
                            "package_center_name",
                            "short_address_code",
                            "short_address_name",
                            "company",
                        )
                    },  # fmt: skip
                    "error": None,
                    "code": None,
                }
            )
        return results

    def _print_data(self, results):
        """Fill the print data of issued ``results`` (one waybillApply per batch)."""
        issued = [result for result in results if result["tracking_number"]]
        for batch in chunks(issued, self.batch_limit):
            data = self.adapter._call(
                PRINT_METHOD,
                {"waybill_applies": [{"logistics_code": self.logistics_code, "track_no": r["tracking_number"]}
                                     for r in batch]},
            )  # fmt: skip
            infos = {str(info.get("track_no")): info for info in data.get("waybill_infos") or []}
            errors = {str(err.get("track_no")): err for err in data.get("err_infos") or []}
            for result in batch:
                info = infos.get(result["tracking_number"])
                if info:
                    result["print_data"] = {"print_data": info.get("print_data"), "sign": info.get("sign")}
                else:
                    err = errors.get(result["tracking_number"]) or {}
                    # the number is issued: kept, its label asked again at reprint
                    result["print_error"] = err.get("err_msg") or "no print data in the answer"

    def request_waybills(self, parcels):
        """Numbers, sorting codes and print data of ``parcels`` (see the Pinduoduo
        client for the parcel keys), one ``newCreateOrder`` and one
        ``waybillApply`` per :attr:`batch_limit` parcels. A refused parcel
        has ``error`` (Douyin's ``err_msg``); the others are issued.
        Transport and authorisation errors raise :class:`PlatformError`."""
        results = []
        for batch in chunks(list(parcels), self.batch_limit):
            try:
                results.extend(self._create(batch))
            except PlatformRejectedError as exc:
                results.extend(self._failed(parcel, exc.detail or exc.message, str(exc.code or "")) for parcel in batch)
        self._print_data(results)
        return results

    def print_data(self, tracking_number, key=""):
        """The print data of a number already issued (reprint), or None."""
        result = {"key": key, "tracking_number": tracking_number, "print_data": {}}
        self._print_data([result])
        return result["print_data"] or None

    def cancel(self, tracking_number):
        business = {"logistics_code": self.logistics_code, "track_no": tracking_number}
        if self.user_id:
            business["user_id"] = int(self.user_id)
        data = self.adapter._call(CANCEL_METHOD, business)
        if not (data.get("cancel_result") or {}).get("success"):
            self.adapter._raise(
                CANCEL_METHOD, PlatformRejectedError, f"did not cancel {tracking_number}", "cancel_result false"
            )
        return True


__all__ = ["BATCH_LIMIT", "DouyinWaybillClient", "PlatformError"]
