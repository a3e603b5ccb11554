# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A statement made of an uploaded file, kept once: the file's bytes and
SHA-256 from its base64 form, the note on a statement whose file comes
again, and the file kept as the statement's attachment. Shared by the
courier statements (omni_courier) and the platform settlements
(omni_settlement); each keeps its own look-up of "the same file" (per
carrier, per channel) and its own lock."""

import base64
import binascii
import hashlib

from odoo.exceptions import UserError

from . import guard


def decode(env, filename, content_base64):
    """(bytes, SHA-256 hex digest) of an uploaded file; a clear error naming
    the file when it is not base64."""
    try:
        content = base64.b64decode(content_base64 or b"", validate=True)
    except (binascii.Error, ValueError, TypeError) as exc:
        raise UserError(env._("File '%(filename)s' is not base64-encoded content.", filename=filename)) from exc
    return content, hashlib.sha256(content).hexdigest()


def note_imported_again(statement, filename):
    """The same file imported again: said on the statement, nothing added."""
    statement._message_log(
        body=statement.env._(
            "File %(filename)s imported again: it is the file of this statement, nothing was added.",
            filename=filename,
        )
    )


def attach(statement, filename, content):
    """Keep the file as the statement's attachment (its read-only
    ``attachment_id``, written through the guard)."""
    guard.internal(statement).attachment_id = statement.env["ir.attachment"].create(
        {
            "name": filename or "statement",
            "raw": content,
            "res_model": statement._name,
            "res_id": statement.id,
            "company_id": statement.company_id.id,
        }
    )
