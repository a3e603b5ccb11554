# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Reader of JD's wallet export (.xlsx): sheet 结算表 (settled lines) and
sheet 资金表 (wallet movements, with the running balance)."""

from odoo.addons.omni_base.tools import tabular

from .readers import (
    _ZERO,
    REQUIRED,
    TEMPLATE_EMPTY_AMOUNT,
    Statement,
    _amount,
    _datetime,
    _income_expense,
    _raw,
    _text,
)

JD_SETTLE_ALIASES = {
    "order": ["订单编号"],
    "document": ["单据编号"],
    "document_type": ["单据类型"],
    "sku": ["商品编号"],
    "merchant_order": ["商户订单号"],
    "product": ["商品名称"],
    "at": ["费用结算时间"],
    "fee_item": ["费用项"],
    "amount": ["金额"],
    "direction": ["收支方向"],
}
JD_WALLET_ALIASES = {
    "at": ["日期"],
    "merchant_order": ["商户订单号"],
    "balance": ["账户余额"],
    "income": ["收入金额"],
    "expense": ["支出金额"],
    "memo": ["交易备注"],
}


def read_jd(filename, content):
    statement = Statement("jd")
    dates = {}
    settle = tabular.read_table(filename, content, JD_SETTLE_ALIASES, REQUIRED["jd_settle"], sheet="结算表")
    batches = {}  # 商户订单号 -> its 结算表 rows
    for record in settle.rows:
        row = record["_row"]
        order, document = _text(record["order"]), _text(record["document"])
        fee_item = _text(record["fee_item"])
        amount = _amount(record["amount"], row, settle.label("amount"))
        if amount is None:
            raise tabular.TableError(TEMPLATE_EMPTY_AMOUNT, {"row": row}, row=row)
        if _text(record["direction"]) == "支出" and amount > 0:
            amount = -amount
        statement.rows.append(
            {
                "row_no": row,
                "sheet": settle.sheet_name,
                # a document has one line per fee item and SKU (README: same 单据编号, 费用项, 商品编号)
                "serial_no": f"{document}/{fee_item}/{_text(record['sku'])}",
                "line_at": _datetime(record["at"], row, settle.label("at"), dates),
                "order_ref": order or None,
                "sub_order_ref": document if document and document != order else None,
                "type_text": fee_item,
                "amount": amount,
                "fee_amount": _ZERO,
                "balance": None,
                "raw": _raw(settle, record),
            }
        )
        batches.setdefault(_text(record["merchant_order"]), []).append(statement.rows[-1])
    wallet_goods = {}
    wallet = tabular.read_table(filename, content, JD_WALLET_ALIASES, REQUIRED["jd_wallet"], sheet="资金表")
    for record in wallet.rows:
        row = record["_row"]
        amount, _income_side = _income_expense(wallet, record, row)
        memo = _text(record["memo"])
        if "projectName:" in memo:
            memo = memo.split("projectName:", 1)[1]
        merchant = _text(record["merchant_order"])
        statement.rows.append(
            {
                "row_no": row,
                "sheet": wallet.sheet_name,
                "serial_no": f"{merchant}/{memo}/{amount}",
                "line_at": _datetime(record["at"], row, wallet.label("at"), dates),
                "order_ref": None,
                "sub_order_ref": merchant or None,
                "type_text": memo,
                "amount": amount,
                "fee_amount": _ZERO,
                "balance": _amount(record["balance"], row, wallet.label("balance")),
                "raw": _raw(wallet, record),
            }
        )
        if memo == "京东支付货款":
            wallet_goods[merchant] = wallet_goods.get(merchant, _ZERO) + amount
    for batch, rows in batches.items():
        _tell_jd_repeats(rows, wallet_goods.get(batch))
    return statement


def _tell_jd_repeats(rows, wallet_amount):
    """Identical 结算表 rows (same 单据编号, 费用项, 商品编号 and amount) are
    either a duplicate of the export or two units of one SKU settled on two
    lines. The wallet says which: its 京东支付货款 line of the batch
    (商户订单号) moves what the batch's income lines really hold. A repeat
    the wallet paid gets its own serial number ('#2'); one it did not pay
    keeps the serial of the line it copies (a duplicate). Without the
    wallet line (moved in another month), a repeat is a duplicate (the
    platform's own rule)."""
    counts = {}
    for row in rows:
        counts[(row["serial_no"], row["amount"])] = counts.get((row["serial_no"], row["amount"]), 0) + 1
    repeats = {key for key, count in counts.items() if count > 1}
    if not repeats or wallet_amount is None:
        return
    excess = sum((row["amount"] for row in rows if row["amount"] > 0), _ZERO) - wallet_amount
    seen = {}
    for row in rows:
        key = (row["serial_no"], row["amount"])
        if key not in repeats:
            continue
        seen[key] = seen.get(key, 0) + 1
        if seen[key] == 1:
            continue
        if excess > 0 and row["amount"] == excess:
            excess = _ZERO  # this copy is the one the wallet did not pay: a duplicate
            continue
        row["serial_no"] = f"{row['serial_no']}#{seen[key]}"
