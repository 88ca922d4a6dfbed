import { formatMoney } from "../domain/money";
import type { MessageKey } from "../i18n";
import { useLocale, useT } from "./locale";

export interface RewardLike {
  type: string;
  valueMinor: number | null;
  valuePercentBp: number | null;
  minOrderMinor: number | null;
  codeExpiryDays: number | null;
}

/** "$5 off · orders from $30 · code valid 30 days", in the admin user's language. */
export function useRewardSummary(currency: string) {
  const t = useT();
  const locale = useLocale();
  return (reward: RewardLike): string => {
    const money = (minor: number) => formatMoney(minor, currency, locale);
    const value =
      reward.type === "FIXED_AMOUNT" && reward.valueMinor !== null
        ? t("rewards.value.FIXED_AMOUNT", { amount: money(reward.valueMinor) })
        : reward.type === "STORE_CREDIT" && reward.valueMinor !== null
          ? t("rewards.value.STORE_CREDIT", { amount: money(reward.valueMinor) })
          : reward.type === "PERCENTAGE" && reward.valuePercentBp !== null
            ? t("rewards.value.PERCENTAGE", { percent: reward.valuePercentBp / 100 })
            : t(`program.rewards.type.${reward.type}` as MessageKey);
    const parts = [value];
    if (reward.minOrderMinor) parts.push(t("rewards.minOrder", { amount: money(reward.minOrderMinor) }));
    if (reward.codeExpiryDays) parts.push(t("rewards.expires", { count: reward.codeExpiryDays }));
    return parts.join(" · ");
  };
}
