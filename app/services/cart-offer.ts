import type { Reward, RewardType } from "../generated/prisma/client";
import {
  type CartOffer,
  codeBlocker,
  rewardBlocker,
  type CartInput,
  type DiscountClass,
  type HeldCode,
} from "../domain/cart-rewards";
import { localizedName, programLanguage } from "../domain/localized";
import type { Db } from "../platform/database/db";
import { issuedCodes, loadProgram, memberRewards } from "./member-view";
import type { ShopContext } from "./shop-context";

/**
 * The cart block's view of one shopper and one cart: the balance, the rewards with what
 * stands between each and the cart, and the member's unused codes with whether the cart
 * holds them. Read on every paint of the block, so it reflects the last redemption.
 */

function combinesOf(r: {
  combinesWithOrder?: boolean;
  combinesWithProduct?: boolean;
  combinesWithShipping?: boolean;
}): Record<DiscountClass, boolean> {
  return {
    order: r.combinesWithOrder ?? false,
    product: r.combinesWithProduct ?? false,
    shipping: r.combinesWithShipping ?? true,
  };
}

export async function cartOffer(
  db: Db,
  shop: ShopContext,
  customerId: bigint | null,
  locale: string | null,
  cart: CartInput,
  now = new Date(),
): Promise<CartOffer> {
  const language = programLanguage(locale, shop.settings.languages, shop.settings.defaultLanguage);
  if (!shop.live) return { kind: "closed", language };
  if (!customerId) return { kind: "guest", language };
  const member = await db.member.findUnique({ where: { shopId_customerId: { shopId: shop.id, customerId } } });
  if (!member || member.status !== "ACTIVE") return { kind: "not_member", language };
  const [program, issued] = await Promise.all([loadProgram(db, shop, now), issuedCodes(db, shop.id, member.id, now)]);
  const byId = new Map<string, Reward>(program.rewards.map((r) => [r.id, r]));

  const held: Array<HeldCode & { name: string; endsAt: string | null }> = issued.map((r) => {
    const snapshot = (r.rewardSnapshot ?? {}) as Partial<{
      name: string;
      names: unknown;
      type: RewardType;
      currency: string | null;
      minOrderMinor: number | null;
      combinesWithOrder: boolean;
      combinesWithProduct: boolean;
      combinesWithShipping: boolean;
    }>;
    return {
      code: r.code!,
      name: localizedName(snapshot.name ?? "", snapshot.names, language),
      type: snapshot.type ?? null,
      minOrderMinor: snapshot.minOrderMinor ?? null,
      currency: snapshot.currency ?? shop.currency,
      combines: snapshot.type ? combinesOf(snapshot) : null,
      endsAt: r.endsAt?.toISOString() ?? null,
    };
  });
  const inCart = new Map(cart.codes.map((c) => [c.code.toUpperCase(), c.applicable]));

  return {
    kind: "member",
    language,
    balance: member.balance,
    rewards: memberRewards(shop, member, program, language).map((reward) => {
      const source = byId.get(reward.id)!;
      return {
        id: reward.id,
        name: reward.name,
        type: reward.type,
        cost: reward.cost,
        blocker: rewardBlocker(
          {
            id: reward.id,
            type: reward.type,
            cost: reward.cost,
            tier: reward.tier,
            available: reward.available,
            minOrderMinor: reward.minOrderMinor,
            currency: source.currency ?? shop.currency,
            combines: combinesOf(source),
          },
          member.balance,
          cart,
          held,
        ),
      };
    }),
    codes: held.map((code) => {
      const state = inCart.get(code.code.toUpperCase());
      return {
        code: code.code,
        name: code.name,
        type: code.type,
        endsAt: code.endsAt,
        inCart: state !== undefined,
        applicable: state ?? false,
        blocker: state === false || state === undefined ? codeBlocker(code, cart, held) : null,
      };
    }),
    otherCodes: cart.codes.filter((c) => !held.some((h) => h.code.toUpperCase() === c.code.toUpperCase())),
  };
}
