/** @odoo-module **/
import {Component, onWillStart, useEffect, useRef, useState} from "@odoo/owl";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";
import {Layout} from "@web/search/layout";
import {standardActionServiceProps} from "@web/webclient/actions/action_service";
import {_t} from "@web/core/l10n/translation";

/**
 * Packing station: a scanner types a code and sends Enter into the one
 * barcode field. A delivery's barcode opens it, product barcodes pack it
 * (a quantity is asked when less than a unit is left), the weight is typed,
 * the tracking label is scanned, O-BTN.validate (or the button) ships it.
 * After every step the cursor goes back to where the next scan goes.
 */
export class OmniPackingStation extends Component {
    static template = "omni_fulfilment.PackingStation";
    static components = {Layout};
    static props = {...standardActionServiceProps};

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.barcodeRef = useRef("barcode");
        this.quantityRef = useRef("quantity");
        this.weightRef = useRef("weight");
        this.state = useState({
            picking: null,
            message: _t("Scan a delivery to start packing."),
            level: "info",
            askQuantity: false,
            busy: false,
            focusWeight: false,
        });
        onWillStart(async () => {
            const pickingId = this.props.action.params?.picking_id || this.props.action.context?.active_id;
            if (pickingId) {
                const picking = await this.call("omni_packing_load", [[pickingId]]);
                if (picking) {
                    this.state.picking = picking;
                    this.state.message = _t("Scan the items of %s.", picking.name);
                }
            }
        });
        // the field the next scan goes to appears or changes after rendering
        useEffect(
            () => this.focus(),
            () => [this.state.askQuantity, this.state.focusWeight, this.state.picking && this.state.picking.id]
        );
    }

    focus() {
        let ref = this.barcodeRef;
        if (this.state.askQuantity) {
            ref = this.quantityRef;
        } else if (this.state.focusWeight) {
            ref = this.weightRef;
        }
        if (ref.el) {
            ref.el.focus();
            ref.el.select();
        }
    }

    async call(method, args, kwargs = {}) {
        this.state.busy = true;
        try {
            return await this.orm.call("stock.picking", method, args, kwargs);
        } catch (error) {
            if (error.data && error.data.message) {
                this.state.message = error.data.message;
                this.state.level = "danger";
                return null;
            }
            throw error;
        } finally {
            this.state.busy = false;
        }
    }

    show(result) {
        if (!result) {
            return;
        }
        const before = this.state.picking;
        this.state.picking = result.picking;
        this.state.message = result.message;
        this.state.level = result.picking && result.picking.done ? "success" : "info";
        this.state.askQuantity = result.ask_quantity || false;
        // a parcel just completed and not weighed yet: the cursor goes to the weight
        this.state.focusWeight = Boolean(
            result.picking &&
                result.picking.complete &&
                !result.picking.done &&
                !result.picking.weight &&
                !(before && before.id === result.picking.id && before.complete)
        );
    }

    async scan(code, quantity = undefined) {
        const kwargs = {picking_id: this.state.picking && !this.state.picking.done ? this.state.picking.id : false};
        if (quantity !== undefined) {
            kwargs.quantity = quantity;
        }
        this.show(await this.call("omni_packing_scan", [code], kwargs));
    }

    async onBarcodeKeydown(ev) {
        if (ev.key !== "Enter") {
            return;
        }
        ev.preventDefault();
        const code = ev.target.value.trim();
        ev.target.value = "";
        if (code) {
            await this.scan(code);
        }
        this.focus();
    }

    async onQuantityKeydown(ev) {
        if (ev.key === "Escape") {
            ev.preventDefault();
            this.state.askQuantity = false;
            this.focus();
            return;
        }
        if (ev.key !== "Enter") {
            return;
        }
        ev.preventDefault();
        const quantity = parseFloat(ev.target.value.replace(",", "."));
        if (isNaN(quantity)) {
            this.state.message = _t("Type the quantity packed, e.g. 0.5.");
            this.state.level = "danger";
            this.focus();
            return;
        }
        await this.scan(this.state.askQuantity.barcode, quantity);
        this.focus();
    }

    async onWeightKeydown(ev) {
        if (ev.key !== "Enter") {
            return;
        }
        ev.preventDefault();
        await this.saveWeight(ev.target.value);
    }

    async saveWeight(value) {
        const weight = parseFloat(String(value).replace(",", "."));
        if (weight === this.state.picking.weight && !this.state.focusWeight) {
            return;
        }
        if (isNaN(weight)) {
            this.state.message = _t("Type the weight in kg, e.g. 1.25.");
            this.state.level = "danger";
            this.focus();
            return;
        }
        const picking = await this.call("omni_packing_set_parcel", [[this.state.picking.id]], {weight});
        if (picking) {
            this.state.picking = picking;
            this.state.focusWeight = false;
            this.state.message = picking.tracking_no
                ? _t("Weight recorded. Scan O-BTN.validate or press Validate.")
                : _t("Weight recorded. Scan the tracking label.");
            this.state.level = "info";
        }
        this.focus();
    }

    async onParcelChange(field, ev) {
        const picking = await this.call("omni_packing_set_parcel", [[this.state.picking.id]], {
            [field]: ev.target.value,
        });
        if (picking) {
            this.state.picking = picking;
        }
        this.focus();
    }

    async onValidate() {
        this.show(await this.call("action_omni_pack_validate", [[this.state.picking.id]]));
        this.focus();
    }

    async onPrintWaybill() {
        await this.action.doAction("omni_fulfilment.action_report_omni_waybill", {
            additionalContext: {active_ids: [this.state.picking.id], active_model: "stock.picking"},
        });
        this.focus();
    }

    openPicking() {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "stock.picking",
            res_id: this.state.picking.id,
            views: [[false, "form"]],
        });
    }

    formatQty(value) {
        return String(Math.round(value * 10000) / 10000);
    }

    get leftSummary() {
        // lines, not a sum of quantities: a delivery mixes units and kilograms
        return _t("%s lines left", this.state.picking.lines_left);
    }

    get readyToShip() {
        const picking = this.state.picking;
        return Boolean(picking && picking.complete && !picking.done);
    }
}

registry.category("actions").add("omni_packing_station", OmniPackingStation);
