"""The running server as a new user meets it: login page, database manager
switched off, and the README's XML-RPC example working against it."""

import xmlrpc.client

from odoo.tests import HttpCase, tagged

from . import load_script


@tagged("post_install", "-at_install")
class TestServer(HttpCase):
    def test_login_page_answers(self):
        response = self.url_open("/web/login")
        self.assertEqual(response.status_code, 200)

    def test_database_manager_not_reachable(self):
        for path in ("/web/database/manager", "/web/database/selector"):
            response = self.url_open(path)
            self.assertEqual(response.status_code, 404, path)
        with self.assertRaises(xmlrpc.client.Fault):
            xmlrpc.client.ServerProxy(f"{self.base_url()}/xmlrpc/2/db").list()
        with self.assertRaises(xmlrpc.client.Fault):
            xmlrpc.client.ServerProxy(f"{self.base_url()}/xmlrpc/2/db").drop("admin", self.env.cr.dbname)

    def test_xmlrpc_example_creates_then_finds_channel(self):
        example = load_script("xmlrpc_example")
        self.env.ref("base.user_admin").password = "admin-Test-1"
        args = [
            "--url",
            self.base_url(),
            "--db",
            self.env.cr.dbname,
            "--user",
            "admin",
            "--password",
            "admin-Test-1",
            "--code",
            "xmpl01",
        ]
        first = example.main(args)
        self.assertEqual(first["code"], "XMPL01")
        self.assertEqual(first["company_id"][0], self.env.ref("base.main_company").id)
        second = example.main(args)  # running it again finds the same channel
        self.assertEqual(second["id"], first["id"])
        self.assertEqual(self.env["omni.channel"].search_count([("code", "=", "XMPL01")]), 1)
