import { useId, useState } from "react";
import { BlockStack, Box, Button, Card, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import type { MessageKey } from "../i18n";
import type { StepId, StepState } from "../domain/get-started";
import { useT } from "./locale";

/**
 * The home page's "Get started" card: how many of the five steps are done, a progress
 * bar, and each step with its mark, one line on where it stands and the button that does
 * it. Once everything is done it folds to one line the merchant can open again.
 */

export interface GetStartedView {
  steps: Array<{ id: StepId; state: StepState }>;
  done: number;
  total: number;
  complete: boolean;
  /** Why the embed could not be checked, when it could not. */
  embedReason: "scope" | "unavailable" | null;
  /** Opens the theme editor with our app embed switched on. */
  embedLink: string;
}

const ACTION_URLS: Record<Exclude<StepId, "embed">, string> = {
  launch: "/app/settings",
  member: "/app/imports",
  redemption: "/app/rewards",
  emails: "/app/messages",
};

/** A tick in a filled circle, an empty circle, or a dashed one for "could not check". */
function StepMark({ state }: { state: StepState }) {
  // "Could not check" is drawn in the caution colour, dashed, so it does not read as "not done".
  const ring = state === "unknown" ? "var(--p-color-icon-caution)" : "var(--p-color-border)";
  return (
    <svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true" focusable="false" style={{ flex: "none" }}>
      {state === "done" ? (
        <>
          <circle cx="10" cy="10" r="9" fill="var(--p-color-bg-fill-success)" />
          <path d="M6 10.5l2.5 2.5L14 7.5" fill="none" stroke="var(--p-color-text-on-fill, #fff)" strokeWidth="2" />
        </>
      ) : (
        <circle
          cx="10"
          cy="10"
          r="8.5"
          fill="none"
          stroke={ring}
          strokeWidth="1.5"
          strokeDasharray={state === "unknown" ? "3 2" : undefined}
        />
      )}
    </svg>
  );
}

function stepLine(id: StepId, state: StepState, embedReason: GetStartedView["embedReason"]): MessageKey {
  if (state === "unknown") return `home.checklist.embed.unknown.${embedReason ?? "unavailable"}`;
  return `home.checklist.${id}.${state}`;
}

export function GetStartedCard({ view }: { view: GetStartedView }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const headingId = useId();
  const listId = useId();
  const folded = view.complete && !open;
  const heading = view.complete
    ? t("home.checklist.allDone", { count: view.total })
    : t("home.checklist.title", { done: view.done, total: view.total });

  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <Text as="h2" variant="headingMd" id={headingId}>
            {heading}
          </Text>
          {view.complete ? (
            <Button variant="plain" onClick={() => setOpen(!open)} ariaExpanded={open} ariaControls={listId}>
              {t(open ? "home.checklist.hide" : "home.checklist.show")}
            </Button>
          ) : null}
        </InlineStack>
        {folded ? null : (
          <BlockStack gap="300" id={listId}>
            <ProgressBar
              progress={(view.done / view.total) * 100}
              size="small"
              tone="success"
              ariaLabelledBy={headingId}
            />
            <ol style={{ listStyle: "none", margin: 0, padding: 0 }}>
              {view.steps.map((step) => (
                <li key={step.id}>
                  <Box paddingBlock="200">
                    <InlineStack gap="300" wrap={false} blockAlign="start" align="space-between">
                      <InlineStack gap="300" wrap={false} blockAlign="start">
                        <StepMark state={step.state} />
                        <BlockStack gap="050">
                          <Text as="h3" variant="headingSm">
                            {t(`home.checklist.${step.id}.title`)}
                            <Text as="span" visuallyHidden>
                              {` (${t(`home.checklist.state.${step.state}`)})`}
                            </Text>
                          </Text>
                          <Text as="p" tone="subdued">
                            {t(stepLine(step.id, step.state, view.embedReason))}
                          </Text>
                        </BlockStack>
                      </InlineStack>
                      {step.id === "embed" ? (
                        <Button
                          url={view.embedLink}
                          target="_blank"
                          variant={step.state === "done" ? "plain" : undefined}
                        >
                          {t("home.checklist.embed.action")}
                        </Button>
                      ) : (
                        <Button url={ACTION_URLS[step.id]} variant={step.state === "done" ? "plain" : undefined}>
                          {t(`home.checklist.${step.id}.action`)}
                        </Button>
                      )}
                    </InlineStack>
                  </Box>
                </li>
              ))}
            </ol>
          </BlockStack>
        )}
      </BlockStack>
    </Card>
  );
}
