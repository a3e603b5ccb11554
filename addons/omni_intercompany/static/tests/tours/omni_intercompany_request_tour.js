/** @odoo-module **/
import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

// A retail buyer requests goods (请货) from the wholesale company: a new
// purchase order to it from the Purchase app, one product, confirmed; the
// order then shows the sale order that wholesale made of it, confirmed.
registry.category("web_tour.tours").add("omni_intercompany_request_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open Purchase",
            trigger: ".o_app[data-menu-xmlid='purchase.menu_purchase_root']",
            run: "click",
        },
        {
            content: "A new request for quotation",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "The vendor is the wholesale company",
            trigger: ".o_field_widget[name='partner_id'] input",
            run: "edit IC Wholesale",
        },
        {
            trigger: ".ui-menu-item > a:contains('IC Wholesale Co')",
            run: "click",
        },
        {
            content: "Add a product",
            trigger: ".o_field_widget[name='order_line'] a:contains('Add a product')",
            run: "click",
        },
        {
            trigger: ".o_data_row .o_field_widget[name='product_id'] input",
            run: "edit IC product 001",
        },
        {
            trigger: "ul.ui-autocomplete a:contains('IC product 001')",
            run: "click",
        },
        {
            trigger: ".o_data_row .o_field_widget[name='product_qty'] input",
            run: "edit 12",
        },
        {
            content: "Confirm the order: the goods request goes to wholesale",
            trigger: ".o_form_view .o_statusbar_buttons button[name='button_confirm']",
            run: "click",
        },
        {
            content: "The order is confirmed",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Purchase Order')",
        },
        {
            content: "It shows wholesale's sale order",
            trigger:
                ".o_form_view .o_field_widget[name='omni_ic_sale_order_ref']:contains('S')",
        },
        {
            content: "and that wholesale confirmed it",
            trigger:
                ".o_form_view .o_field_widget[name='omni_ic_sale_state'] .badge:contains('Confirmed')",
        },
    ],
});
