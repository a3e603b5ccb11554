/** @odoo-module **/
import {registry} from "@web/core/registry";

// Review screen: an order waiting in the exception queue is found with the
// "Exceptions" filter, its reason is shown, a manager confirms it and it
// becomes a confirmed sale order.
registry.category("web_tour.tours").add("omni_order_review_tour", {
    steps: () => [
        {
            content: "The list shows the order in exception with its reason",
            trigger: ".o_list_view .o_data_row:contains('TOUR-EXC-1'):contains('Buyer note to read')",
        },
        {
            content: "Filter the exception queue",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            trigger: ".o_filter_menu .dropdown-item:contains('Exceptions')",
            run: "click",
        },
        {
            content: "Only the exception is left",
            trigger: ".o_list_view:not(:has(.o_data_row:contains('TOUR-OK-1'))) .o_data_row:contains('TOUR-EXC-1')",
        },
        {
            content: "Open it",
            trigger: ".o_data_row:contains('TOUR-EXC-1') .o_data_cell[name='platform_order_no']",
            run: "click",
        },
        {
            content: "The reason is shown on the form",
            trigger: ".o_form_view .alert-warning:contains('请周末送货')",
        },
        {
            content: "Confirm it",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_confirm']",
            run: "click",
        },
        {
            content: "It is confirmed and has its sale order",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Confirmed')",
        },
        {
            trigger: ".o_form_view button[name='action_view_sale_order']",
        },
    ],
});
