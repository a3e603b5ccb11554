# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


class CourierMixin:
    """Couriers SF and ZTO (Odoo carriers with a courier code) of the test
    company: a delivery carries its courier as carrier_id."""

    @classmethod
    def _setup_couriers(cls, company=None, codes=("SF", "ZTO", "YTO", "JD")):
        company = company or cls.env.company
        product = cls.env["product.product"].create({"name": "Courier freight", "type": "service"})
        Carrier = cls.env["delivery.carrier"]
        cls.couriers = {}
        for code in codes:
            carrier = Carrier._omni_get_by_code(code, company=company, raise_if_missing=False)
            if not carrier:
                carrier = Carrier.create(
                    {"name": f"Courier {code}", "omni_courier_code": code, "product_id": product.id,
                     "company_id": company.id}
                )  # fmt: skip
            cls.couriers[code] = carrier
        return cls.couriers
