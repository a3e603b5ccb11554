# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What changed the sellable stock, and when: the change log that lets an
incremental sync recompute only what moved.

A sellable quantity depends on the quants under the channel warehouse's
stock location, the allocations of the warehouse, the channel's relation
table, the products' ``active`` flag, the channel's share and safety
quantity, and where the locations sit in the tree. Every write to one of
them, by the ORM or by SQL (the wave and reservation speed-ups write quants
and allocations set-based), fires a statement trigger that appends one row
per product (or per channel SKU, or per channel) to ``omni_stock_change``
with the id of the writing transaction (``pg_current_xact_id()``). The
triggers only append: no lock, no look-up, whatever the statement size.

A sync remembers what it read (``omni.channel``'s ``stock_change_snapshot``:
its PostgreSQL snapshot, its own transaction and the last row number of the
log). The next incremental sync recomputes the SKUs of the rows numbered
after it, and of the rows of the other transactions that snapshot did not
see (running then, or started since): exact whatever the order in which
transactions commit (a timestamp or a row number alone loses the change of
a transaction that commits after a sync that started later), and index
look-ups only, however old the server's oldest running transaction is.

Before, every incremental sync computed every SKU of the channel through
the ORM and compared it with what was last sent: 8 channels x 50,000 SKUs
after 5 % of the products changed, 11.6 s on this 2-core machine (load 2),
against 1.6 s for the SKUs of the log (0.5 s of it pushing 17,808 SKUs to
the stand-in); at a load of 9, 46.0 s against 6.9 s
(scripts/bench_stock_sync.py; the README gives the runs).

Rows are kept ``KEEP_HOURS``; a channel whose snapshot is older than
``VALID_HOURS`` (a sync that has not run for half a day) computes every SKU
and compares, as before. The nightly full sync computes everything anyway.
"""

from odoo.tools import SQL

KEEP_HOURS = 24
VALID_HOURS = 12

# row kinds: product_id (its quants, allocations or active flag changed),
# channel_id + platform_sku (a relation row of that SKU changed), channel_id
# alone (its share, safety quantity or warehouse changed), nothing at all
# (a stock location moved in the tree: every channel computes every SKU)
CREATE_TABLE = """
CREATE TABLE IF NOT EXISTS omni_stock_change (
    seq bigserial,
    xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    created_at timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    product_id integer,
    channel_id integer,
    platform_sku varchar
);
CREATE INDEX IF NOT EXISTS omni_stock_change_seq_idx ON omni_stock_change (seq);
CREATE INDEX IF NOT EXISTS omni_stock_change_xid_idx ON omni_stock_change (xid);
CREATE INDEX IF NOT EXISTS omni_stock_change_created_brin ON omni_stock_change USING brin (created_at);
-- the SKUs of a channel that sell a changed product: one index look-up a product
CREATE INDEX IF NOT EXISTS omni_stock_mapping_product_channel_idx
    ON omni_product_mapping (product_id, channel_id) WHERE active;
"""

# (table, function body): statement triggers reading the transition tables
# (o: old rows, n: new rows); TG_OP says which exist
TRIGGERS = {
    "stock_quant": """
        IF TG_OP = 'INSERT' THEN
            INSERT INTO omni_stock_change (product_id) SELECT DISTINCT product_id FROM n;
        ELSIF TG_OP = 'DELETE' THEN
            INSERT INTO omni_stock_change (product_id) SELECT DISTINCT product_id FROM o;
        ELSE
            INSERT INTO omni_stock_change (product_id)
            SELECT DISTINCT x.product_id
              FROM n JOIN o ON o.id = n.id
             CROSS JOIN LATERAL (VALUES (n.product_id), (o.product_id)) x(product_id)
             WHERE n.quantity IS DISTINCT FROM o.quantity
                OR n.reserved_quantity IS DISTINCT FROM o.reserved_quantity
                OR n.location_id IS DISTINCT FROM o.location_id
                OR n.product_id IS DISTINCT FROM o.product_id;
        END IF;""",
    "omni_order_allocation": """
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO omni_stock_change (product_id) SELECT DISTINCT product_id FROM n;
        END IF;
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            INSERT INTO omni_stock_change (product_id) SELECT DISTINCT product_id FROM o;
        END IF;""",
    "omni_product_mapping": """
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO omni_stock_change (channel_id, platform_sku) SELECT DISTINCT channel_id, platform_sku FROM n;
        END IF;
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
            INSERT INTO omni_stock_change (channel_id, platform_sku) SELECT DISTINCT channel_id, platform_sku FROM o;
        END IF;""",
    "product_product": """
        INSERT INTO omni_stock_change (product_id)
        SELECT n.id FROM n JOIN o ON o.id = n.id WHERE n.active IS DISTINCT FROM o.active;""",
    "omni_channel": """
        INSERT INTO omni_stock_change (channel_id)
        SELECT n.id FROM n JOIN o ON o.id = n.id
         WHERE n.stock_ratio IS DISTINCT FROM o.stock_ratio
            OR n.stock_safety_qty IS DISTINCT FROM o.stock_safety_qty
            OR n.warehouse_id IS DISTINCT FROM o.warehouse_id
            OR n.active IS DISTINCT FROM o.active;""",
    "stock_location": """
        INSERT INTO omni_stock_change (product_id)
        SELECT NULL WHERE EXISTS (SELECT 1 FROM n JOIN o ON o.id = n.id
                                   WHERE n.parent_path IS DISTINCT FROM o.parent_path);""",
}
# the tables whose inserts and deletes count (the others: updates only)
ALL_EVENTS = ("stock_quant", "omni_order_allocation", "omni_product_mapping")


def init_change_log(cr):
    """Create the log and its triggers (idempotent: module install and update)."""
    cr.execute(CREATE_TABLE)
    for table, body in TRIGGERS.items():
        function = f"omni_stock_change_{table}"
        cr.execute(
            SQL(
                "CREATE OR REPLACE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql AS $body$ BEGIN %s RETURN NULL; END"
                " $body$",
                SQL.identifier(function),
                SQL(body),
            )
        )
        events = [("insert", "NEW TABLE AS n"), ("delete", "OLD TABLE AS o")] if table in ALL_EVENTS else []
        events.append(("update", "NEW TABLE AS n OLD TABLE AS o"))
        for event, referencing in events:
            trigger = f"{function}_{event}"
            cr.execute(SQL("DROP TRIGGER IF EXISTS %s ON %s", SQL.identifier(trigger), SQL.identifier(table)))
            cr.execute(
                SQL(
                    "CREATE TRIGGER %s AFTER %s ON %s REFERENCING %s FOR EACH STATEMENT EXECUTE FUNCTION %s()",
                    SQL.identifier(trigger),
                    SQL(event.upper()),
                    SQL.identifier(table),
                    SQL(referencing),
                    SQL.identifier(function),
                )
            )


def drop_change_log(cr):
    """Uninstall: the triggers, their functions and the log."""
    for table in TRIGGERS:
        function = f"omni_stock_change_{table}"
        cr.execute(SQL("DROP FUNCTION IF EXISTS %s() CASCADE", SQL.identifier(function)))
    cr.execute("DROP TABLE IF EXISTS omni_stock_change")
    cr.execute("DROP INDEX IF EXISTS omni_stock_mapping_product_channel_idx")
