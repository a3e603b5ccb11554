/** @odoo-module **/
import {registry} from "@web/core/registry";

// Review screen: an order waiting in the exception queue is found with the
// "Exceptions" filter, its reason is shown, a manager overrides it with a
// reason and it becomes a confirmed sale order.
registry.category("web_tour.tours").add("omni_order_review_tour", {
    steps: () => [
        {
            content: "The list shows the order in exception with its reason",
            trigger:
                ".o_list_view .o_data_row:contains('TOUR-EXC-1'):contains('Buyer note to read')",
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
            trigger:
                ".o_list_view:not(:has(.o_data_row:contains('TOUR-OK-1'))) .o_data_row:contains('TOUR-EXC-1')",
        },
        {
            content: "Open it",
            trigger:
                ".o_data_row:contains('TOUR-EXC-1') .o_data_cell[name='platform_order_no']",
            run: "click",
        },
        {
            content: "The reason is shown on the form",
            trigger: ".o_form_view .alert-warning:contains('请周末送货')",
        },
        {
            content:
                "An exception is not confirmed with one click: it is overridden with a reason",
            trigger:
                ".o_form_view .o_statusbar_buttons:not(:has(button[name='action_confirm'])) button[name='action_open_override_wizard']",
            run: "click",
        },
        {
            content: "The dialog shows the finding and asks why",
            trigger: ".modal .alert-warning:contains('请周末送货')",
        },
        {
            trigger: ".modal div[name='reason'] textarea",
            run: "edit Called the buyer: weekend delivery agreed with the courier",
        },
        {
            trigger: ".modal button[name='action_override']",
            run: "click",
        },
        {
            content: "It is confirmed and has its sale order",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Confirmed')",
        },
        {
            trigger: ".o_form_view button[name='action_view_sale_order']",
        },
    ],
});

// Merge: two orders of the same receiver, the second with a buyer note. After
// the merge one order is left to handle, showing both orders' lines (with the
// order each came with) and the note; the merged-away order has left the list.
registry.category("web_tour.tours").add("omni_order_merge_tour", {
    steps: () => [
        {
            content: "Both orders are in the list",
            trigger: ".o_list_view .o_data_row:contains('TOUR-MRG-2')",
        },
        {
            content: "Open the older one",
            trigger:
                ".o_data_row:contains('TOUR-MRG-1') .o_data_cell[name='platform_order_no']",
            run: "click",
        },
        {
            content: "It suggests the merge",
            trigger: ".o_form_view .alert-info button[name='action_merge_candidates']",
            run: "click",
        },
        {
            content: "The survivor shows the merged order's line with its origin",
            trigger:
                ".o_form_view .o_field_widget[name='all_line_ids'] .o_data_row:contains('TM-HONEY-500G'):contains('TOUR-MRG-2')",
        },
        {
            content: "... and its own line",
            trigger:
                ".o_form_view .o_field_widget[name='all_line_ids'] .o_data_row:contains('TM-TEA-250G'):contains('TOUR-MRG-1')",
        },
        {
            content:
                "... and the merged order's buyer note, now its own to read (exception banner)",
            trigger: ".o_form_view .alert-warning:contains('请下午送')",
        },
        {
            content: "Back to the list",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            content: "One order is left to handle: the merged-away one left the list",
            trigger:
                ".o_list_view:not(:has(.o_data_row:contains('TOUR-MRG-2'))) .o_data_row:contains('TOUR-MRG-1')",
        },
    ],
});
