/** @odoo-module **/
import {registry} from "@web/core/registry";

// Caller search: Enter searches, the Search button stays on the same screen
// (one breadcrumb, titled with the screen's name), a result opens the card.
registry.category("web_tour.tours").add("omni_customer_caller_search_tour", {
    steps: () => [
        {
            content: "The screen is titled with its name, also before any search",
            trigger:
                ".o_control_panel .o_last_breadcrumb_item:contains('Find a Customer')",
        },
        {
            content: "Type the caller's name",
            trigger: ".o_form_view .o_field_widget[name='query'] input",
            run: "edit 王芳",
        },
        {
            content: "Enter searches",
            trigger: ".o_form_view .o_field_widget[name='query'] input",
            run: "press Enter",
        },
        {
            content: "The customer is found",
            trigger:
                ".o_form_view .o_field_widget[name='partner_ids'] .o_data_row:contains('王芳')",
        },
        {
            content: "Search again with the button",
            trigger: ".o_form_view button[name='action_search']",
            run: "click",
        },
        {
            content: "Same screen: one breadcrumb, named after the screen",
            trigger:
                ".o_control_panel .o_breadcrumb:not(:has(li.breadcrumb-item)) .o_last_breadcrumb_item:contains('Find a Customer')",
        },
        {
            trigger:
                ".o_form_view .o_field_widget[name='partner_ids'] .o_data_row:contains('王芳')",
        },
        {
            content: "Open the card",
            trigger:
                ".o_form_view .o_data_row:contains('王芳') button[name='action_omni_open_card']",
            run: "click",
        },
        {
            content: "The card, below the search",
            trigger:
                ".o_control_panel .o_breadcrumb li.breadcrumb-item:contains('Find a Customer')",
        },
        {
            trigger: ".o_control_panel .o_last_breadcrumb_item:contains('王芳')",
        },
    ],
});
