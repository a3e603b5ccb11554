# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from odoo.addons.omni_base.tools.normalize import normalize_text

from ..readers import PLATFORM_FORMATS

KINDS = [
    ("sale", "Order Payment"),
    ("refund", "Refund"),
    ("fee", "Fee"),
    ("payout", "Payout"),
    ("deposit", "Deposit / Guarantee"),
    ("transfer", "Other Transfer"),
    ("internal", "Wallet Internal (not booked)"),
]

# The words the four platforms write in the sample statements (README of the samples) and their kind:
# seeded for a channel at its first import, then the finance manager's records.
DEFAULT_FEE_TYPES = {
    "alipay": [
        ("交易付款", "sale"), ("交易退款", "refund"), ("提现", "payout"), ("天猫保证金", "deposit"),
        ("直通车自动充值", "transfer"), ("天猫佣金(类目)", "fee"), ("基础软件服务费", "fee"),
        ("淘宝客佣金代扣款", "fee"), ("淘宝客佣金退款", "fee"), ("代扣返点积分", "fee"),
        ("代扣交易退回积分", "fee"), ("花呗支付服务费", "fee"), ("信用卡支付服务费", "fee"),
        ("花呗分期免息营销", "fee"), ("卖家版运费险", "fee"), ("消费者体验提升计划服务费", "fee"), ("公益宝贝", "fee"),
    ],
    "jd": [
        ("货款", "sale"), ("定金货款", "sale"), ("尾款货款", "sale"), ("代收配送费", "sale"), ("佣金", "fee"),
        ("交易服务费", "fee"), ("随单送的京豆", "fee"), ("运费保险服务费", "fee"), ("商品保险服务费", "fee"),
        ("价保扣款", "fee"), ("售后卖家赔付费", "fee"), ("POP运费险", "fee"), ("提现", "payout"),
        ("京东支付货款", "internal"), ("京东支付费项", "internal"), ("退货金额", "internal"),
    ],
    "pdd": [
        ("交易收入", "sale"), ("交易退款", "refund"), ("基础技术服务费", "fee"), ("百亿补贴技服费", "fee"),
        ("多多进宝", "fee"), ("消费者体验提升计划", "fee"), ("跨店满返", "fee"), ("售后补偿消费者", "fee"),
        ("延迟发货", "fee"), ("虚假发货", "fee"), ("合作费追回", "fee"), ("提现", "payout"), ("广告账户", "transfer"),
    ],
    "douyin": [
        ("货款结算入账", "sale"), ("结算后退款", "refund"), ("提现", "payout"), ("充值保证金", "deposit"),
        ("充值千川广告费", "transfer"), ("权益保险", "fee"), ("退换货运费险", "fee"), ("上门取件运费", "fee"),
        ("消费者赔付", "fee"), ("小额打款", "fee"), ("判罚扣款", "fee"), ("评价有礼", "fee"), ("平台服务费", "fee"),
    ],
}  # fmt: skip
# the fee type that takes the fees a Douyin settlement row holds in its own columns
DOUYIN_ROW_FEES = "平台服务费"


class OmniSettlementFeeType(models.Model):
    """The fee-type table of a channel: the platform's own words on a
    statement line -> what the line is (kind) and the account it is booked
    to. A line takes the type whose words it contains (the longest when
    several do); a line no type covers waits for its mapping, never guessed."""

    _name = "omni.settlement.fee.type"
    _description = "Settlement Fee Type"
    _order = "channel_id, sequence, name"
    _check_company_auto = True

    channel_id = fields.Many2one("omni.channel", required=True, index=True, check_company=True, ondelete="cascade")
    company_id = fields.Many2one(related="channel_id.company_id", store=True, index=True)
    name = fields.Char(
        string="Platform's Words",
        required=True,
        help="Text the platform writes on the statement line (type, memo or business description), e.g. "
        "天猫佣金(类目). A line whose text contains these words takes this type.",
    )
    kind = fields.Selection(
        KINDS,
        required=True,
        default="fee",
        help="Wallet Internal: a movement that only brings lines already on the statement into the wallet (JD "
        "京东支付货款 after its 结算表 lines); it is checked in the running balance but never booked.",
    )
    account_id = fields.Many2one(
        "account.account",
        check_company=True,
        help="Account the fee is booked to (fees, deposits, other transfers). Order payments and refunds clear "
        "the channel's platform receivable; payouts move to the bank.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("channel_name_uniq", "unique(channel_id, name)", "These words already have a fee type in this channel."),
    ]

    @api.model
    def _seed_defaults(self, channel):
        """Create the platform's default fee types for ``channel`` when it has none."""
        file_format = PLATFORM_FORMATS.get(channel.platform)
        if not file_format or self.with_context(active_test=False).search_count([("channel_id", "=", channel.id)]):
            return
        self.create(
            [
                {"channel_id": channel.id, "name": name, "kind": kind, "sequence": index}
                for index, (name, kind) in enumerate(DEFAULT_FEE_TYPES[file_format])
            ]
        )

    @api.model
    def _classifier(self, channel):
        """function(text) -> fee type record or empty, for the channel's active types."""
        types = self.search([("channel_id", "=", channel.id)])
        keyed = sorted(((normalize_text(t.name), t) for t in types), key=lambda pair: -len(pair[0]))
        empty = self.browse()

        def classify(text):
            text = normalize_text(text or "")
            for words, fee_type in keyed:
                if words and words in text:
                    return fee_type
            return empty

        return classify
