# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Pinduoduo e-waybill service (拼多多电子面单) client (pure Python).

The router, the system parameters and the md5 signature are the ones of the
Pinduoduo shop adapter (``omni_platform_pdd``): the waybill methods are
called with the shop's own ``access_token`` (the shop subscribed the courier
branch in its Pinduoduo back office).

* ``pdd.waybill.get`` (电子面单云打印接口): at most :data:`BATCH_LIMIT` parcels
  (``trade_order_info_dtos``, 数量限制为10) per call; each parcel answers with
  ``object_id``, ``waybill_code`` and ``print_data`` (the print component's
  document, a JSON string);
* ``pdd.waybill.cancel``: gives a number back (``cancel_result``);
* ``pdd.waybill.query.by.waybillcode``: the print data of a number again
  (reprint);
* ``pdd.waybill.search``: the subscribed branches and their balance.

The receiver of a Pinduoduo order is sent as the order gives it: ciphertext
(``~…~``) stays ciphertext, the platform prints it.
"""

import json

from odoo.addons.omni_platform.platforms import PlatformError, PlatformRejectedError, PlatformResponseError
from odoo.addons.omni_platform_pdd.platforms.pinduoduo import PinduoduoAdapter

GET_METHOD = "pdd.waybill.get"
CANCEL_METHOD = "pdd.waybill.cancel"
QUERY_METHOD = "pdd.waybill.query.by.waybillcode"
SEARCH_METHOD = "pdd.waybill.search"
#: trade_order_info_dtos: 请求面单信息，数量限制为10
BATCH_LIMIT = 10


def _address(values):
    return {
        "province": values.get("province") or "",
        "city": values.get("city") or "",
        "district": values.get("district") or "",
        "town": values.get("town") or "",
        "detail": values.get("address") or "",
    }


def _person(values):
    person = {"name": values.get("name") or "", "address": _address(values)}
    if values.get("mobile"):
        person["mobile"] = values["mobile"]
    if values.get("phone"):
        person["phone"] = values["phone"]
    return person


def chunks(items, size):
    return [items[i : i + size] for i in range(0, len(items), size)]


class PddWaybillClient:
    """Pinduoduo waybill service of one shop and one courier.

    ``wp_code`` is Pinduoduo's courier code (``ZTO``, ``YTO``…),
    ``template_url`` the standard template (``pdd.cloudprint.stdtemplates.get``)
    and ``user_id`` the shop (使用者ID); ``sender`` the shipping address as
    subscribed with the branch. Other keyword arguments go to the Pinduoduo
    adapter (``base_url``, ``app_key``, ``app_secret``, ``access_token``,
    ``timeout``, ``retries``, ``sleep``, ``session``).
    """

    label = "Pinduoduo waybill"
    batch_limit = BATCH_LIMIT

    def __init__(self, *, wp_code, sender, template_url, user_id="", **config):
        if not wp_code:
            raise ValueError(f"{self.label}: wp_code (courier) is required")
        self.adapter = PinduoduoAdapter(**config)
        self.wp_code = wp_code
        self.sender = dict(sender or {})
        self.template_url = template_url or ""
        self.user_id = user_id or ""

    def close(self):
        self.adapter.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    # -- requests
    def _dto(self, parcel):
        items = [{"name": item["name"], "count": int(item["count"])} for item in parcel.get("items") or []]
        package = {"id": str(parcel.get("package_id") or parcel["key"]), "items": items or [{"name": "-", "count": 1}]}
        if parcel.get("weight_g"):
            package["weight"] = int(parcel["weight_g"])
        return {
            "object_id": parcel["key"],
            "order_info": {
                "order_channels_type": parcel.get("channel_type") or "PDD",
                # 订单号,数量限制100: every platform order the parcel ships (merged orders)
                "trade_order_list": list(parcel.get("order_numbers") or [parcel["order_no"]])[:100],
            },
            "package_info": package,
            "recipient": _person(parcel["receiver"]),
            "template_url": self.template_url,
            "user_id": self.user_id,
        }

    def _get(self, parcels):
        body = self.adapter._call(
            GET_METHOD,
            {
                "param_waybill_cloud_print_apply_new_request": {
                    "wp_code": self.wp_code,
                    "need_encrypt": False,
                    "sender": _person(self.sender),
                    "trade_order_info_dtos": [self._dto(parcel) for parcel in parcels],
                }
            },
        )
        modules = body.get("modules")
        if not isinstance(modules, list):
            raise self.adapter._response_error(GET_METHOD, "returned no modules", body, cls=PlatformResponseError)
        by_key = {str(module.get("object_id")): module for module in modules if isinstance(module, dict)}
        results = []
        for parcel in parcels:
            module = by_key.get(parcel["key"])
            if not module or not module.get("waybill_code"):
                results.append(self._failed(parcel, "no waybill number in the answer"))
                continue
            results.append(
                {
                    "key": parcel["key"],
                    "tracking_number": str(module["waybill_code"]),
                    "parent_tracking_number": module.get("parent_waybill_code") or "",
                    "print_data": self._print_data(module.get("print_data")),
                    "routing": {},
                    "error": None,
                    "code": None,
                }
            )
        return results

    @staticmethod
    def _failed(parcel, reason, code=None):
        return {"key": parcel["key"], "tracking_number": "", "print_data": {}, "routing": {}, "error": reason,
                "code": code}  # fmt: skip

    @staticmethod
    def _print_data(text):
        """The print component's document of a parcel (a JSON string)."""
        if isinstance(text, dict):
            return text
        try:
            data = json.loads(text or "{}")
        except ValueError:
            return {"raw": text}
        return data if isinstance(data, dict) else {"raw": text}

    def request_waybills(self, parcels):
        """Numbers and print data of ``parcels`` (dicts with ``key`` (the
        request key, sent as ``object_id``), ``order_no``, ``receiver``,
        ``items``, ``package_id``, ``weight_g``), one call per
        :attr:`batch_limit` parcels, in the given order.

        A batch the service refuses is asked again parcel by parcel, so that
        the refusal lands on the parcel it concerns; each result has
        ``error`` (the service's reason) or ``tracking_number`` and
        ``print_data``. Transport, authorisation and rate-limit errors raise
        :class:`PlatformError` (nothing half-known: the caller retries with
        the same keys).
        """
        results = []
        for batch in chunks(list(parcels), self.batch_limit):
            try:
                results.extend(self._get(batch))
            except PlatformRejectedError as exc:
                if len(batch) == 1:
                    results.append(self._failed(batch[0], exc.detail or exc.message, getattr(exc, "sub_code", None)))
                    continue
                for parcel in batch:
                    try:
                        results.extend(self._get([parcel]))
                    except PlatformRejectedError as single:
                        reason = single.detail or single.message
                        results.append(self._failed(parcel, reason, getattr(single, "sub_code", None)))
        return results

    def cancel(self, tracking_number):
        """Give ``tracking_number`` back to the service. Raises PlatformError
        when the service refuses (e.g. already collected)."""
        body = self.adapter._call(CANCEL_METHOD, {"waybill_code": tracking_number, "wp_code": self.wp_code})
        if not body.get("cancel_result"):
            self.adapter._raise(
                CANCEL_METHOD, PlatformRejectedError, f"did not cancel {tracking_number}", "cancel_result false"
            )
        return True

    def print_data(self, tracking_number, key=""):
        """The print data of a number already issued (reprint), or None."""
        body = self.adapter._call(
            QUERY_METHOD,
            {"param_list": [{"object_id": key or tracking_number, "waybill_code": tracking_number,
                             "wp_code": self.wp_code}]},
        )  # fmt: skip
        for module in body.get("modules") or []:
            found = (module or {}).get("waybill_cloud_print_response") or {}
            if str(found.get("waybill_code")) == str(tracking_number):
                return self._print_data(found.get("print_data"))
        return None

    def balance(self):
        """{branch_code: remaining numbers} of this courier (``quantity``)."""
        body = self.adapter._call(SEARCH_METHOD, {"wp_code": self.wp_code})
        balance = {}
        for subscription in body.get("waybill_apply_subscription_cols") or []:
            if subscription.get("wp_code") not in (None, self.wp_code):
                continue
            for branch in subscription.get("branch_account_cols") or []:
                try:
                    balance[str(branch.get("branch_code"))] = int(branch.get("quantity") or 0)
                except (TypeError, ValueError):
                    balance[str(branch.get("branch_code"))] = 0
        return balance


__all__ = ["BATCH_LIMIT", "PddWaybillClient", "PlatformError"]
