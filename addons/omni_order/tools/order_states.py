# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The states of a platform order (``omni.order.state``) that the code and
the SQL of this addon group, defined once: Python filters, ORM domains and
the allocation's SQL all read them from here."""

#: in review: a person or the review rules may still change the order; its
#: lines are its demand (allocated through the product relation table)
OPEN_STATES = ("new", "exception", "to_review")
#: still to ship: in review or confirmed. These orders allocate stock (in
#: review: their lines; confirmed: what their sale order's deliveries still
#: miss) and can be overdue
TO_SHIP_STATES = (*OPEN_STATES, "confirmed")
