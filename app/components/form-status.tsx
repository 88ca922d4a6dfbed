import { useActionData, useNavigation, useSearchParams, useSubmit } from "@remix-run/react";
import { Banner, Button, InlineStack, List } from "@shopify/polaris";
import type { MessageKey } from "../i18n";
import { useT } from "./locale";

/**
 * What every admin form shows about its last save: a success banner, or every field's
 * error listed at once (each field also shows its own under it). Several forms can share
 * a page; `formId` tells whose answer it is.
 */
export type ActionResult = { ok: boolean; formId?: string; errors?: Record<string, string>; result?: unknown };

export function useErrors(formId: string): Record<string, string> | undefined {
  const result = useActionData<ActionResult>();
  return result && (result.formId ?? "") === formId ? result.errors : undefined;
}

export function FormStatus({
  formId,
  labels = {},
  success = "program.saved",
}: {
  formId: string;
  labels?: Record<string, string>;
  success?: MessageKey;
}) {
  const t = useT();
  const result = useActionData<ActionResult>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  // A new record's page, reached by the redirect after it was created.
  if (!result && params.get("saved") === formId) return <Banner tone="success">{t(success)}</Banner>;
  if (!result || (result.formId ?? "") !== formId || navigation.state === "submitting") return null;
  if (result.ok) return <Banner tone="success">{t(success)}</Banner>;
  const errors = Object.entries(result.errors ?? {});
  const general = result.errors?.form;
  return (
    <Banner tone="critical" title={t((general ?? "program.fixErrors") as MessageKey)}>
      {errors.some(([field]) => field !== "form") && (
        <List>
          {errors
            .filter(([field]) => field !== "form")
            .map(([field, key]) => (
              <List.Item key={field}>
                {labels[field] ? `${labels[field]}: ` : ""}
                {t(key as MessageKey)}
              </List.Item>
            ))}
        </List>
      )}
    </Banner>
  );
}

export function SaveButton({ formId, label }: { formId: string; label?: string }) {
  const t = useT();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("formId") === formId;
  return (
    <InlineStack align="end">
      <Button submit variant="primary" loading={busy}>
        {label ?? t("program.save")}
      </Button>
    </InlineStack>
  );
}

/** Deleting posts its own small form, so it never submits the edits around it. */
export function DeleteButton({ intent, id, label }: { intent: string; id: string; label?: string }) {
  const t = useT();
  const submit = useSubmit();
  return (
    <Button
      tone="critical"
      variant="plain"
      onClick={() => {
        if (window.confirm(t("program.confirmDelete"))) submit({ intent, id, formId: id }, { method: "post" });
      }}
    >
      {label ?? t("program.delete")}
    </Button>
  );
}
