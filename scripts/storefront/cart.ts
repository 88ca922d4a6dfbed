import type { CreatedDiscount } from "../shopify-standin/admin-api";
import type { StandinProduct } from "../shopify-standin/catalog";

/**
 * The demo storefront's cart, as Shopify's Cart AJAX API shows it (`/cart.js`, and the
 * answers of `/cart/add.js` and `/cart/update.js`): the fields and their meaning follow
 * the "Get a cart" example response of shopify.dev/docs/api/ajax/reference/cart — prices
 * in the currency's minor units, `original_total_price` before discounts, `total_price`
 * after, `discount_codes` with Shopify's `applicable` for this cart. `update.js` with
 * `discount` replaces the cart's codes with the comma-separated list it is given.
 *
 * The codes are the ones the app created in the Admin API stand-in, judged as Shopify
 * does: the customer they are for, their dates, the minimum subtotal, and whether each
 * combines with the codes before it (`combinesWith`, by discount class).
 */

export interface CartLine {
  product: StandinProduct;
  quantity: number;
}

export interface DemoCart {
  token: string;
  lines: CartLine[];
  codes: string[];
  attributes: Record<string, string>;
}

type DiscountClass = "order" | "product" | "shipping";

interface Judged {
  code: string;
  applicable: boolean;
  amount: number;
  cls: DiscountClass;
}

function decimalToMinor(value: unknown): number {
  return Math.round(Number(value ?? 0) * 100);
}

function classOf(discount: CreatedDiscount): DiscountClass {
  if (discount.mutation === "discountCodeFreeShippingCreate") return "shipping";
  const items = (discount.input.customerGets as { items?: { all?: boolean } } | undefined)?.items;
  return items?.all ? "order" : "product";
}

function combines(discount: CreatedDiscount, cls: DiscountClass): boolean {
  const rules = (discount.input.combinesWith ?? {}) as Record<string, boolean>;
  return Boolean(rules[`${cls}Discounts`]);
}

function judge(cart: DemoCart, discounts: CreatedDiscount[], customerId: string, now: Date): Judged[] {
  const subtotal = cart.lines.reduce((sum, line) => sum + line.product.price * line.quantity, 0);
  const accepted: Array<{ discount: CreatedDiscount; cls: DiscountClass }> = [];
  return cart.codes.map((code) => {
    const discount = discounts.find((d) => d.code.toUpperCase() === code.toUpperCase());
    if (!discount) return { code, applicable: false, amount: 0, cls: "order" };
    const input = discount.input;
    const cls = classOf(discount);
    const context = input.context as { customers?: { add?: string[] } } | undefined;
    const forCustomer =
      !context?.customers?.add || context.customers.add.includes(`gid://shopify/Customer/${customerId}`);
    const started = !input.startsAt || Date.parse(String(input.startsAt)) <= now.getTime();
    const notEnded = !input.endsAt || Date.parse(String(input.endsAt)) > now.getTime();
    const minimum = (input.minimumRequirement as { subtotal?: { greaterThanOrEqualToSubtotal?: string } } | null)
      ?.subtotal;
    const meetsMinimum = !minimum || subtotal >= decimalToMinor(minimum.greaterThanOrEqualToSubtotal);
    const fits = accepted.every((other) => combines(discount, other.cls) && combines(other.discount, cls));
    const applicable = Boolean(forCustomer && started && notEnded && meetsMinimum && fits && cart.lines.length);
    let amount = 0;
    if (applicable) {
      accepted.push({ discount, cls });
      const value = (input.customerGets as { value?: Record<string, unknown>; items?: Record<string, unknown> })?.value;
      if (cls === "order" && value?.discountAmount)
        amount = Math.min(subtotal, decimalToMinor((value.discountAmount as { amount: string }).amount));
      else if (cls === "order" && typeof value?.percentage === "number")
        amount = Math.round(subtotal * value.percentage);
      else if (cls === "product") {
        // A free product: one of the variants it names, if the cart holds it.
        const wanted = ((input.customerGets as { items?: { products?: { productVariantsToAdd?: string[] } } }).items
          ?.products?.productVariantsToAdd ?? []) as string[];
        const line = cart.lines.find((l) =>
          l.product.variants.some((v) => wanted.includes(`gid://shopify/ProductVariant/${v.id}`)),
        );
        amount = line ? line.product.price : 0;
      }
      // Free shipping is taken off at checkout, where shipping is priced.
    }
    return { code, applicable, amount, cls };
  });
}

/** The cart as `/cart.js` answers, judged for the signed-in customer. */
export function cartJson(
  cart: DemoCart,
  discounts: CreatedDiscount[],
  customerId: string,
  currency: string,
  now = new Date(),
) {
  const judged = judge(cart, discounts, customerId, now);
  const original = cart.lines.reduce((sum, line) => sum + line.product.price * line.quantity, 0);
  const discount = Math.min(
    original,
    judged.reduce((sum, j) => sum + j.amount, 0),
  );
  return {
    token: cart.token,
    note: null,
    attributes: cart.attributes,
    original_total_price: original,
    total_price: original - discount,
    total_discount: discount,
    total_weight: 0,
    item_count: cart.lines.reduce((sum, line) => sum + line.quantity, 0),
    items: cart.lines.map((line) => ({
      id: line.product.variants[0]!.id,
      variant_id: line.product.variants[0]!.id,
      product_id: line.product.id,
      title: line.product.title,
      quantity: line.quantity,
      price: line.product.price,
      original_price: line.product.price,
      final_price: line.product.price,
      line_price: line.product.price * line.quantity,
      final_line_price: line.product.price * line.quantity,
      requires_shipping: true,
    })),
    requires_shipping: cart.lines.length > 0,
    currency,
    items_subtotal_price: original,
    cart_level_discount_applications: judged
      .filter((j) => j.applicable)
      .map((j) => ({
        type: "discount_code",
        key: j.code,
        title: j.code,
        target_type: j.cls === "shipping" ? "shipping_line" : "line_item",
        total_allocated_amount: j.amount,
      })),
    discount_codes: judged.map((j) => ({ code: j.code, applicable: j.applicable })),
  };
}

export type CartJson = ReturnType<typeof cartJson>;
