/** @odoo-module **/
import {registry} from "@web/core/registry";

// Accountant's day: from the Accounting menu, generate yesterday's retail records with the wizard, open
// the record of channel TMALL01, see its documents and totals, post it, then
// the ledger check shows the day without difference.
registry.category("web_tour.tours").add("omni_retail_ledger_tour", {
    steps: () => [
        {
            content: "Open the Accounting app",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            trigger: ".o_app[data-menu-xmlid='account.menu_finance']",
            run: "click",
        },
        {
            content: "Retail Ledger ▸ Generate",
            trigger:
                ".o_main_navbar button[data-menu-xmlid='omni_retail_ledger.menu_retail_ledger']",
            run: "click",
        },
        {
            trigger:
                ".dropdown-menu .dropdown-item[data-menu-xmlid='omni_retail_ledger.menu_retail_generate']",
            run: "click",
        },
        {
            content: "The wizard proposes yesterday",
            trigger: ".modal .o_form_view div[name='date_from'] input",
        },
        {
            content: "Generate",
            trigger: ".modal .modal-footer button[name='action_generate']",
            run: "click",
        },
        {
            content: "The wizard says what it recorded",
            trigger:
                ".modal div[name='result_message']:contains('2 shipped orders and 0 returns')",
        },
        {
            content: "Open the records it made",
            trigger: ".modal .modal-footer button[name='action_open_records']",
            run: "click",
        },
        {
            content: "The TMALL01 sale record is there, draft, with the day's total",
            trigger:
                ".o_list_view .o_data_row:contains('TMALL01/'):contains('Draft')" +
                " .o_data_cell[name='amount_total']:contains('218.00')",
        },
        {
            content: "Open it",
            trigger:
                ".o_list_view .o_data_row:contains('TMALL01/') .o_data_cell[name='name']",
            run: "click",
        },
        {
            content: "Its totals are shown",
            trigger: ".o_form_view div[name='amount_total']:contains('218.00')",
        },
        {
            trigger: ".o_form_view div[name='amount_cod']:contains('88.00')",
        },
        {
            content: "Both shipped orders are listed",
            trigger:
                ".o_form_view div[name='line_ids'] .o_list_table:has(.o_data_row:contains('TOUR-L1')):has(.o_data_row:contains('TOUR-L2'))",
        },
        {
            content: "Post it",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_post']",
            run: "click",
        },
        {
            content: "It is posted and has its journal entry",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Posted')",
        },
        {
            trigger:
                ".o_form_view .o-form-buttonbox button[name='action_view_move']:contains('RETL')",
        },
        {
            content: "Open the ledger check (Reporting menu)",
            trigger:
                ".o_main_navbar button[data-menu-xmlid='account.menu_finance_reports']",
            run: "click",
        },
        {
            trigger:
                ".dropdown-menu .dropdown-item[data-menu-xmlid='omni_retail_ledger.menu_retail_check_report']",
            run: "click",
        },
        {
            content: "The day of TMALL01: shipped = posted, no difference",
            trigger:
                ".o_list_view .o_data_row:contains('TMALL01'):not(.text-danger)" +
                ":has(.o_data_cell[name='warehouse_total']:contains('218.00'))" +
                " .o_data_cell[name='posted_total']:contains('218.00')",
        },
        {
            content: "Show only the days with a difference",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            trigger: ".o_filter_menu .dropdown-item:contains('Differences')",
            run: "click",
        },
        {
            content: "None for TMALL01",
            trigger: ".o_facet_value:contains('Differences')",
        },
        {
            trigger: ".o_action_manager:not(:has(.o_data_row:contains('TMALL01')))",
        },
    ],
});
