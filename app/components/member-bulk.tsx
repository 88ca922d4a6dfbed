import { useEffect, useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Modal, ProgressBar, Select, Text, TextField } from "@shopify/polaris";
import type { MessageKey } from "../i18n";
import { useT } from "./locale";
import { useRefreshWhile } from "./refresh-while";

/**
 * The members list's bulk actions: the form for one (in a modal, every error at once)
 * and the banner that follows its job. The server does the work; this only asks.
 */

export type BulkAction = "adjust" | "setTier" | "clearTier" | "exclude" | "include";

interface BulkResult {
  ok: boolean;
  errors?: Record<string, string>;
  started?: { count: number };
}

export function BulkActionModal({
  action,
  selection,
  tiers,
  onClose,
}: {
  action: BulkAction | null;
  /** The ids picked, or every member the list's filters (the URL's query) match. */
  selection: { ids: string[] } | { all: true; query: string; total: number | null };
  tiers: Array<{ id: string; name: string }>;
  onClose(started: boolean): void;
}) {
  const t = useT();
  const fetcher = useFetcher<BulkResult>();
  const [points, setPoints] = useState("");
  const [reason, setReason] = useState("");
  const [tierId, setTierId] = useState(tiers[0]?.id ?? "");
  const [until, setUntil] = useState("");
  // The last answer's errors, each cleared as soon as the merchant edits its field.
  const [errors, setErrors] = useState<Record<string, string>>({});
  useEffect(() => setErrors(fetcher.data && !fetcher.data.ok ? (fetcher.data.errors ?? {}) : {}), [fetcher.data]);
  const edit = (field: string, set: (value: string) => void) => (value: string) => {
    set(value);
    setErrors(({ [field]: _, ...rest }) => rest);
  };
  const error = (field: string) => (errors[field] ? t(errors[field] as MessageKey) : undefined);
  const busy = fetcher.state !== "idle";

  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.ok) onClose(true);
    // Closing once per answer: onClose is a new function on every render of the list.
  }, [fetcher.state, fetcher.data]);
  useEffect(() => {
    setPoints("");
    setReason("");
    setUntil("");
  }, [action]);
  if (!action) return null;

  const count =
    "ids" in selection
      ? t("members.bulk.countPicked", { count: selection.ids.length })
      : selection.total !== null
        ? t("members.bulk.countAll", { count: selection.total })
        : t("members.bulk.countSearch");
  const submit = () =>
    fetcher.submit(
      {
        intent: "bulk",
        action,
        reason,
        points,
        tierId,
        until,
        ...("ids" in selection ? { ids: selection.ids.join(",") } : { all: "true", query: selection.query }),
      },
      { method: "post" },
    );
  return (
    <Modal
      open
      onClose={() => onClose(false)}
      title={t(`members.bulk.${action}` as MessageKey)}
      primaryAction={{
        content: t(`members.bulk.${action}.confirm` as MessageKey),
        onAction: submit,
        loading: busy,
        destructive: action === "exclude",
      }}
      secondaryActions={[{ content: t("members.bulk.cancel"), onAction: () => onClose(false) }]}
    >
      <Modal.Section>
        <BlockStack gap="300">
          <Text as="p">{count}</Text>
          {errors.form || errors.ids ? <Banner tone="critical">{error("form") ?? error("ids")}</Banner> : null}
          {action === "adjust" && (
            <TextField
              label={t("members.bulk.points")}
              helpText={t("members.bulk.pointsHelp")}
              type="number"
              value={points}
              onChange={edit("points", setPoints)}
              error={error("points")}
              autoComplete="off"
            />
          )}
          {action === "setTier" && (
            <>
              <Select
                label={t("members.override.tier")}
                options={[
                  ...tiers.map((tier) => ({ value: tier.id, label: tier.name })),
                  { value: "", label: t("members.override.none") },
                ]}
                value={tierId}
                onChange={edit("tierId", setTierId)}
                error={error("tierId")}
              />
              <TextField
                label={t("members.bulk.until")}
                helpText={t("members.bulk.untilHelp")}
                type="date"
                value={until}
                onChange={edit("until", setUntil)}
                error={error("until")}
                autoComplete="off"
              />
            </>
          )}
          {action === "exclude" && <Text as="p">{t("members.bulk.excludeHelp")}</Text>}
          {action === "include" && <Text as="p">{t("members.bulk.includeHelp")}</Text>}
          <TextField
            label={t("members.bulk.reason")}
            helpText={t("members.bulk.reasonHelp")}
            value={reason}
            onChange={edit("reason", setReason)}
            error={error("reason")}
            autoComplete="off"
            maxLength={200}
          />
          <Text as="p" tone="subdued">
            {t("members.bulk.audit")}
          </Text>
        </BlockStack>
      </Modal.Section>
    </Modal>
  );
}

export interface BulkProgress {
  status: string;
  action: BulkAction;
  total: number;
  done: number;
  outcomes: Partial<Record<"changed" | "unchanged" | "belowZero" | "inactive", number>>;
}

/** Where the newest bulk action stands; refreshes the page while it runs. */
export function BulkBanner({ bulk, onDismiss }: { bulk: BulkProgress; onDismiss(): void }) {
  const t = useT();
  const running = bulk.status === "RUNNING";
  useRefreshWhile(running);
  const name = t(`members.bulk.${bulk.action}` as MessageKey);
  if (running)
    return (
      <Banner tone="info" title={t("members.bulk.runningTitle", { action: name })}>
        <BlockStack gap="200">
          <ProgressBar
            progress={bulk.total ? Math.round((100 * bulk.done) / bulk.total) : 0}
            size="small"
            ariaLabelledBy="bulk-progress"
          />
          <Text as="p" id="bulk-progress">
            {t("members.bulk.progress", { done: bulk.done, total: bulk.total })}
          </Text>
        </BlockStack>
      </Banner>
    );
  const skipped = Object.entries(bulk.outcomes).filter(([outcome, n]) => outcome !== "changed" && n);
  return (
    <Banner
      tone={bulk.status === "DONE" ? "success" : "critical"}
      title={
        bulk.status === "DONE"
          ? t("members.bulk.done", { action: name, count: bulk.outcomes.changed ?? 0 })
          : t("members.bulk.failed", { action: name })
      }
      onDismiss={onDismiss}
    >
      {skipped.length > 0 && (
        <Text as="p">
          {skipped
            .map(([outcome, n]) => t(`members.bulk.outcome.${outcome}` as MessageKey, { count: n ?? 0 }))
            .join(" ")}
        </Text>
      )}
    </Banner>
  );
}
