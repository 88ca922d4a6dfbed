/** @jsxImportSource preact */
import { useEffect, useState } from "preact/hooks";
import {
  formatDay,
  pointsText,
  type AccountApi,
  type AccountClient,
  type AccountView,
  type OrderPoints,
} from "./client";

/** Where the blocks send the customer: the Rewards page, by its extension handle. */
export const REWARDS_PAGE = "extension://comeback-rewards-page";

/** The profile page's card (customer-account.profile.block.render): balance, tier, a link to the Rewards page. */
export function ProfileCard({ api, client }: { api: AccountApi; client: AccountClient }) {
  const t = api.i18n.translate;
  const [view, setView] = useState<AccountView | null | "error">(null);
  useEffect(() => void client.view().then(setView, () => setView("error")), []);
  if (view === null)
    return (
      <s-section heading={t("page.title")}>
        <s-skeleton-paragraph />
      </s-section>
    );
  // A profile page is not the place for an error: the card steps aside.
  if (view === "error" || !view.live) return null;
  const member = view.member;
  return (
    <s-section heading={t("page.title")}>
      <s-stack gap="small-200">
        {member ? (
          <>
            <s-text type="strong">{t("profile.balance", { points: pointsText(api, view, member.balance) })}</s-text>
            {member.tier ? <s-text>{t("profile.tier", { tier: member.tier.name })}</s-text> : null}
            {member.rewards.some((reward) => reward.affordable) ? <s-text>{t("profile.canRedeem")}</s-text> : null}
          </>
        ) : (
          <s-text>{t("profile.join")}</s-text>
        )}
        <s-link href={REWARDS_PAGE}>{t(member ? "profile.open" : "profile.openJoin")}</s-link>
      </s-stack>
    </s-section>
  );
}

/** The order page's block (customer-account.order-status.block.render): what this order earned. */
export function OrderPointsBlock({
  api,
  client,
  orderId,
}: {
  api: AccountApi;
  client: AccountClient;
  orderId: string | undefined;
}) {
  const t = api.i18n.translate;
  const [state, setState] = useState<{ view: AccountView; order: OrderPoints } | null | "error">(null);
  useEffect(() => {
    if (!orderId) return;
    Promise.all([client.view(), client.order(orderId)]).then(
      ([view, order]) => setState({ view, order }),
      () => setState("error"),
    );
  }, [orderId]);
  if (!orderId || state === "error") return null;
  if (state === null) return <s-skeleton-paragraph />;
  const { view, order } = state;
  const points = (count: number) => pointsText(api, view, count);
  switch (order.state) {
    case "none":
      return null;
    case "join":
      return (
        <s-stack gap="small-100">
          <s-text>{t("order.join")}</s-text>
          <s-link href={REWARDS_PAGE}>{t("profile.openJoin")}</s-link>
        </s-stack>
      );
    case "processing":
      return <s-text color="subdued">{t("order.processing")}</s-text>;
    case "pending":
      return (
        <s-stack gap="small-100">
          <s-text>
            {t("order.pending", { points: points(order.points), date: formatDay(api, order.availableAt) })}
          </s-text>
          <s-link href={REWARDS_PAGE}>{t("profile.open")}</s-link>
        </s-stack>
      );
    case "reversed":
      return <s-text color="subdued">{t("order.reversed", { points: points(order.points) })}</s-text>;
    case "earned":
      if (order.points === 0) return null;
      return (
        <s-stack gap="small-100">
          <s-text>{t("order.earned", { points: points(order.points) })}</s-text>
          {order.reversed > 0 ? (
            <s-text color="subdued">{t("order.partlyReversed", { points: points(order.reversed) })}</s-text>
          ) : null}
          <s-link href={REWARDS_PAGE}>{t("profile.open")}</s-link>
        </s-stack>
      );
  }
}
