import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { BlockStack, Card, EmptyState, IndexTable, Link, Page, Pagination, Text } from "@shopify/polaris";
import { actorLabel, detailLines } from "../components/activity-text";
import prisma from "../db.server";
import { parseDbId } from "../domain/validation";
import { hasMessage } from "../i18n";
import { activityPage } from "../services/member-admin";
import { adminContext } from "../shopify/admin-context.server";
import { useLocale, useT } from "../components/locale";
import { PageError } from "../components/page-error";

const PAGE = 50;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await adminContext(request);
  const before = new URL(request.url).searchParams.get("before");
  const cursor = before ? parseDbId(before) : null;
  const { rows, next, names } = await activityPage(prisma, shop.id, cursor, PAGE);
  return {
    names,
    entries: rows.map((r) => ({
      id: r.id.toString(),
      actor: r.actor,
      action: r.action,
      subject: r.subject,
      details: r.details ?? null,
      exportId:
        r.action === "compliance.data_request" ? ((r.details as { exportId?: string } | null)?.exportId ?? null) : null,
      at: r.createdAt.toISOString(),
    })),
    next: next?.toString() ?? null,
    hasPrevious: cursor !== null,
  };
};

export default function Activity() {
  const t = useT();
  const locale = useLocale();
  const { entries, next, hasPrevious, names } = useLoaderData<typeof loader>();
  const actorName = (actor: string) => actorLabel(actor, names.staff, t);
  // An action this build has no words for (logged by a newer one) shows as logged.
  const actionLabel = (action: string) => {
    const key = `activity.action.${action}`;
    return hasMessage(key) ? t(key) : action;
  };
  const valueNames = { ...names.tiers, ...names.members };
  const [, setParams] = useSearchParams();
  const format = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
  return (
    <Page title={t("activity.title")} subtitle={t("activity.subtitle")}>
      <Card padding="0">
        {entries.length === 0 ? (
          <EmptyState heading={t("activity.empty.heading")} image="">
            <p>{t("activity.empty.body")}</p>
          </EmptyState>
        ) : (
          <IndexTable
            resourceName={{ singular: t("activity.entry"), plural: t("activity.entries") }}
            itemCount={entries.length}
            selectable={false}
            headings={[
              { title: t("activity.when") },
              { title: t("activity.who") },
              { title: t("activity.what") },
              { title: t("activity.details") },
            ]}
          >
            {entries.map((entry, index) => (
              <IndexTable.Row id={entry.id} key={entry.id} position={index}>
                <IndexTable.Cell>{format.format(new Date(entry.at))}</IndexTable.Cell>
                <IndexTable.Cell>{actorName(entry.actor)}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" fontWeight="semibold">
                    {actionLabel(entry.action)}
                  </Text>{" "}
                  {entry.subject && names.members[entry.subject] ? (
                    <Link url={`/app/members/${entry.subject}`}>{names.members[entry.subject]}</Link>
                  ) : (
                    (entry.subject ?? "")
                  )}
                </IndexTable.Cell>
                <IndexTable.Cell>
                  {entry.exportId ? (
                    <a href={`/app/exports/${entry.exportId}`} download>
                      {t("activity.downloadExport")}
                    </a>
                  ) : (
                    <BlockStack gap="050">
                      {detailLines(entry.details, t, valueNames).map((line) => (
                        <Text as="span" tone="subdued" breakWord key={line}>
                          {line}
                        </Text>
                      ))}
                    </BlockStack>
                  )}
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
      </Card>
      <div style={{ display: "flex", justifyContent: "center", padding: "16px" }}>
        <Pagination
          hasPrevious={hasPrevious}
          onPrevious={() => setParams({})}
          hasNext={Boolean(next)}
          onNext={() => next && setParams({ before: next })}
        />
      </div>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageError />;
}
