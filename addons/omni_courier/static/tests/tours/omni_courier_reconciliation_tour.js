/** @odoo-module **/
import {registry} from "@web/core/registry";

// Courier reconciliation screen: open the statement from the list, its totals
// are shown; the "To Resolve" lines are filtered down to the weight
// differences and one is accepted with the list's button; back on the
// statement another difference is disputed with a note in the lines and the
// statement saved: the count of lines to resolve goes down.
registry.category("web_tour.tours").add("omni_courier_reconciliation_tour", {
    steps: () => [
        {
            content: "The statement is listed with its billed total",
            trigger:
                ".o_list_view .o_data_row:contains('SF Express'):contains('111.05')",
        },
        {
            content: "Open it",
            trigger: ".o_data_row:contains('SF Express') .o_data_cell[name='name']",
            run: "click",
        },
        {
            content: "The totals are shown",
            trigger:
                ".o_form_view .o_inner_group div[name='billed_fee_total']:contains('111.05')",
        },
        {
            trigger:
                ".o_form_view .o_inner_group div[name='expected_fee_total']:contains('69.05')",
        },
        {
            trigger:
                ".o_form_view .o_inner_group div[name='difference_count']:contains(/^6$/)",
        },
        {
            trigger:
                ".o_form_view .o_inner_group div[name='unresolved_count']:contains(/^6$/)",
        },
        {
            content: "Open the lines to resolve",
            trigger:
                ".o_form_view .o-form-buttonbox button[name='action_open_lines']:contains('To Resolve')",
            run: "click",
        },
        {
            content: "Only the differences are listed",
            trigger:
                ".o_list_view:not(:has(.o_data_row:contains('SF1002'))) .o_data_row:contains('SF1005'):contains('Fee Difference')",
        },
        {
            content: "Filter the weight differences",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            trigger: ".o_filter_menu .dropdown-item:contains('Weight Difference')",
            run: "click",
        },
        {
            content: "Only the weight difference is left",
            trigger:
                ".o_list_view:not(:has(.o_data_row:contains('SF1005'))) .o_data_row:contains('SF1004'):contains('Weight Difference')",
        },
        {
            content: "Select it",
            trigger: ".o_data_row:contains('SF1004') .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Accept the courier's amount",
            trigger: ".o_control_panel button[name='action_accept']",
            run: "click",
        },
        {
            content: "It is accepted: it leaves the lines to resolve",
            trigger:
                ".o_list_view .o_view_nocontent, .o_list_view:not(:has(.o_data_row:contains('SF1004')))",
        },
        {
            content: "Back to the statement",
            trigger: ".o_breadcrumb .o_back_button",
            run: "click",
        },
        {
            content: "One line less to resolve",
            trigger:
                ".o_form_view .o_inner_group div[name='unresolved_count']:contains(/^5$/)",
        },
        {
            content: "Dispute the fee difference",
            trigger:
                ".o_field_one2many[name='line_ids'] .o_data_row:contains('SF1005') .o_data_cell[name='resolution']",
            run: "click",
        },
        {
            trigger:
                ".o_field_one2many .o_data_row.o_selected_row:contains('SF1005') div[name='resolution'] select",
            run: "selectByLabel Disputed",
        },
        {
            content: "with a note",
            trigger:
                ".o_field_one2many .o_data_row.o_selected_row:contains('SF1005') div[name='resolution_note'] textarea",
            run: "edit Weighed 1.0 kg: 10.00 by the rate card",
        },
        {
            content: "Save the statement",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved: two lines less to resolve, the dispute kept",
            trigger:
                ".o_form_view .o_inner_group div[name='unresolved_count']:contains(/^4$/)",
        },
        {
            trigger:
                ".o_form_view:not(:has(.o_form_button_save:visible)) .o_data_row:contains('SF1005') .o_data_cell[name='resolution']:contains('Disputed')",
        },
    ],
});
