# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Stock sync logs: the two fixed sentences stored before (in English, or
in Chinese when a Chinese user ran the sync) become the result note, shown
in the reader's language; other messages are the platform's own words."""

NOTES = {
    "nothing": ("Nothing changed.", "没有变化。"),
    "exported": ("No platform API: export file made for manual upload.", "无平台接口：已生成导出文件，请手动上传。"),
}


def migrate(cr, version):
    for note, texts in NOTES.items():
        cr.execute(
            "UPDATE omni_stock_sync SET result_note = %s, message = NULL WHERE message = ANY(%s)",
            (note, list(texts)),
        )
    cr.execute(
        """
        UPDATE omni_stock_sync SET result_note = 'error'
         WHERE result_note IS NULL AND message IS NOT NULL AND state IN ('failed', 'partial')
        """
    )
