import { useState } from "react";
import {
  redirect,
  unstable_parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
} from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  DataTable,
  DropZone,
  InlineStack,
  Layout,
  List,
  Page,
  ProgressBar,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import prisma from "../db.server";
import { IMPORT_FORMATS } from "../domain/member-import";
import { formatMoney } from "../domain/money";
import { jsonResponse } from "../http/responses";
import { IMPORT_MAX_BYTES, ImportRefused, listImports, stageImport } from "../services/member-import";
import { DEFAULT_HISTORY_MONTHS, HISTORY_MONTHS } from "../domain/periods";
import { latestHistory } from "../services/history";
import { pastPointsProgress, type PastPointsPreview } from "../services/past-points";
import { adminContext } from "../shopify/admin-context.server";
import { useLocale, useT } from "../components/locale";
import { useRefreshWhile } from "../components/refresh-while";
import { PageError } from "../components/page-error";
import type { MessageKey } from "../i18n";

/**
 * Importing members from another loyalty app: upload a CSV (streamed into the import,
 * never held whole), then its report, dry run and the import itself on its own page.
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await adminContext(request);
  const [imports, history, past] = await Promise.all([
    listImports(prisma, shop.id),
    latestHistory(prisma, shop.id),
    pastPointsProgress(prisma, shop.id),
  ]);
  const pastDetails = (past?.details ?? {}) as { granted?: number };
  return {
    tierCountsHistory: shop.settings.tierCountsHistory,
    pastPoints: past && {
      status: past.status,
      total: past.total,
      done: past.done,
      granted: pastDetails.granted ?? null,
      error: past.error,
      finishedAt: past.finishedAt?.toISOString() ?? null,
    },
    history: history && {
      status: history.status,
      months: history.months,
      since: history.since.toISOString(),
      objectCount: history.objectCount,
      ordersSeen: history.ordersSeen,
      ordersAdded: history.ordersAdded,
      error: history.error,
      finishedAt: history.finishedAt?.toISOString() ?? null,
    },
    months: HISTORY_MONTHS,
    maxBytes: IMPORT_MAX_BYTES,
    formats: IMPORT_FORMATS.map((f) => ({ id: f.id, label: f.label, source: f.source, columns: f.columns })),
    imports: imports.map((i) => ({
      id: i.id,
      filename: i.filename,
      at: i.createdAt.toISOString(),
      status: i.status,
      rows: i.rows,
      created: i.created,
      updated: i.updated,
    })),
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, actor } = await adminContext(request);
  let id: string | null = null;
  try {
    await unstable_parseMultipartFormData(request, async (part) => {
      if (part.name !== "file" || !part.filename) {
        // Not expected; drain it so the upload can go on.
        for await (const chunk of part.data) void chunk;
        return undefined;
      }
      id = await stageImport(prisma, shop, { filename: part.filename, data: part.data, actor, createMissing: false });
      return id;
    });
  } catch (error) {
    if (error instanceof ImportRefused)
      return jsonResponse(
        { ok: false, errors: { form: `imports.refused.${error.code}` } },
        error.code === "too_large" ? 413 : 400,
      );
    throw error;
  }
  if (!id) return jsonResponse({ ok: false, errors: { form: "imports.refused.no_file" } }, 400);
  throw redirect(`/app/imports/${id}`);
};

/** The order history from Shopify: how far back, and how the last import went. */
function History() {
  const t = useT();
  const locale = useLocale();
  const { history, months } = useLoaderData<typeof loader>();
  const [span, setSpan] = useState(String(DEFAULT_HISTORY_MONTHS));
  const busy = history?.status === "RUNNING" || history?.status === "READING";
  useRefreshWhile(busy, 1500);
  const number = new Intl.NumberFormat(locale);
  const progress =
    history?.status === "READING" && history.objectCount
      ? Math.min(100, (history.ordersSeen / history.objectCount) * 100)
      : history?.status === "DONE"
        ? 100
        : 0;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("history.title")}
        </Text>
        <Text as="p" tone="subdued">
          {t("history.help")}
        </Text>
        {history ? (
          <BlockStack gap="200">
            {busy || history.status === "DONE" ? (
              <ProgressBar progress={progress} tone={history.status === "DONE" ? "success" : "primary"} />
            ) : null}
            <div role="status">
              <Text as="p">
                {t(`history.state.${history.status}` as MessageKey, {
                  months: history.months,
                  seen: number.format(history.ordersSeen),
                  added: number.format(history.ordersAdded),
                })}
              </Text>
            </div>
            {history.error ? <Banner tone="critical">{history.error}</Banner> : null}
          </BlockStack>
        ) : null}
        <Form method="post" action="/app/imports/history">
          <InlineStack gap="300" blockAlign="end" wrap>
            <Select
              label={t("history.window")}
              name="months"
              options={months.map((m) => ({ value: String(m), label: t("history.months", { count: m }) }))}
              value={span}
              onChange={setSpan}
            />
            <Button submit disabled={busy}>
              {t(history ? "history.again" : "history.start")}
            </Button>
          </InlineStack>
        </Form>
      </BlockStack>
    </Card>
  );
}

/**
 * What the imported history is used for: tiers (a setting on the Tiers page) and, only if
 * the merchant grants them after a preview, points for the members' past orders.
 */
function PastPoints() {
  const t = useT();
  const locale = useLocale();
  const { pastPoints, tierCountsHistory } = useLoaderData<typeof loader>();
  const preview = useFetcher<{ ok: boolean; preview?: PastPointsPreview }>();
  const grant = useFetcher<{ ok: boolean; errors?: { form?: string } }>();
  const running = pastPoints?.status === "RUNNING";
  useRefreshWhile(running, 1500);
  const number = new Intl.NumberFormat(locale);
  const shown = preview.data?.preview;
  const granted = grant.data?.ok === true;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("pastPoints.title")}
        </Text>
        <Text as="p">
          {t(tierCountsHistory ? "pastPoints.tiersOn" : "pastPoints.tiersOff")}{" "}
          <Link to="/app/tiers">{t("pastPoints.tiersLink")}</Link>
        </Text>
        <Text as="p" tone="subdued">
          {t("pastPoints.help")}
        </Text>
        {running && pastPoints ? (
          <BlockStack gap="200">
            <ProgressBar progress={pastPoints.total ? (pastPoints.done / pastPoints.total) * 100 : 0} />
            <div role="status">
              <Text as="p">
                {t("pastPoints.running", {
                  done: number.format(pastPoints.done),
                  total: number.format(pastPoints.total),
                })}
              </Text>
            </div>
          </BlockStack>
        ) : null}
        {pastPoints?.status === "DONE" && (!shown || granted) ? (
          <div role="status">
            <Text as="p">
              {t("pastPoints.done", {
                orders: number.format(pastPoints.granted ?? pastPoints.done),
                date: new Intl.DateTimeFormat(locale, { dateStyle: "medium" }).format(new Date(pastPoints.finishedAt!)),
              })}
            </Text>
          </div>
        ) : null}
        {pastPoints?.status === "FAILED" ? <Banner tone="critical">{t("pastPoints.failed")}</Banner> : null}
        {grant.data?.errors?.form ? <Banner tone="warning">{t(grant.data.errors.form as MessageKey)}</Banner> : null}
        {shown && !granted ? (
          <BlockStack gap="200">
            <div role="status">
              <Text as="p">
                {shown.points > 0
                  ? t("pastPoints.preview", {
                      members: number.format(shown.members),
                      orders: number.format(shown.orders),
                      points: number.format(shown.points),
                      rate: t("pastPoints.rate", {
                        count: shown.earnPoints,
                        spend: formatMoney(BigInt(shown.earnSpendMinor), shown.currency, locale),
                      }),
                    })
                  : t("pastPoints.nothing")}{" "}
                {shown.otherOrders > 0 ? t("pastPoints.others", { orders: number.format(shown.otherOrders) }) : ""}
              </Text>
            </div>
            {shown.points > 0 ? (
              <grant.Form method="post" action="/app/imports/past-points">
                <input type="hidden" name="intent" value="grant" />
                <input type="hidden" name="expectedPoints" value={shown.points} />
                <Button submit variant="primary" loading={grant.state !== "idle"}>
                  {t("pastPoints.grant", { points: number.format(shown.points) })}
                </Button>
              </grant.Form>
            ) : null}
          </BlockStack>
        ) : null}
        {!running ? (
          <preview.Form method="post" action="/app/imports/past-points">
            <input type="hidden" name="intent" value="preview" />
            <Button submit loading={preview.state !== "idle"}>
              {t("pastPoints.previewButton")}
            </Button>
          </preview.Form>
        ) : null}
      </BlockStack>
    </Card>
  );
}

export default function Imports() {
  const t = useT();
  const locale = useLocale();
  const data = useLoaderData<typeof loader>();
  const result = useActionData<{ ok: boolean; errors?: { form?: string } }>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const [file, setFile] = useState<File | null>(null);
  const today = new Date().toISOString().slice(0, 10);
  const [from, setFrom] = useState(new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10));
  const [to, setTo] = useState(today);
  const tooLarge = file !== null && file.size > data.maxBytes;
  const date = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
  const uploading = navigation.state === "submitting";
  return (
    <Page
      title={t("imports.title")}
      subtitle={t("imports.subtitle")}
      backAction={{ content: t("nav.members"), url: "/app/members" }}
    >
      <Layout>
        <Layout.Section>
          <Card>
            <Form
              method="post"
              encType="multipart/form-data"
              onSubmit={(event) => {
                event.preventDefault();
                if (!file || tooLarge) return;
                // Polaris' DropZone keeps the file in state: it is sent as the form's "file".
                const form = new FormData();
                form.append("file", file);
                submit(form, { method: "post", encType: "multipart/form-data" });
              }}
            >
              <BlockStack gap="300">
                {result?.errors?.form ? <Banner tone="critical">{t(result.errors.form as MessageKey)}</Banner> : null}
                {tooLarge ? <Banner tone="critical">{t("imports.refused.too_large")}</Banner> : null}
                <DropZone
                  label={t("imports.file")}
                  accept=".csv,text/csv"
                  type="file"
                  allowMultiple={false}
                  onDrop={(files) => setFile(files[0] ?? null)}
                >
                  {file ? (
                    <Text as="p" alignment="center">
                      {file.name} · {new Intl.NumberFormat(locale).format(Math.ceil(file.size / 1024))} KB
                    </Text>
                  ) : (
                    <DropZone.FileUpload actionTitle={t("imports.addFile")} actionHint={t("imports.fileHint")} />
                  )}
                </DropZone>
                <Button submit variant="primary" disabled={!file || tooLarge} loading={uploading}>
                  {t("imports.upload")}
                </Button>
                {uploading ? (
                  <Text as="p" tone="subdued">
                    {t("imports.uploading")}
                  </Text>
                ) : null}
              </BlockStack>
            </Form>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("imports.formats")}
              </Text>
              <List>
                {data.formats.map((format) => (
                  <List.Item key={format.id}>
                    <Text as="span" fontWeight="semibold">
                      {format.label}
                    </Text>
                    :{" "}
                    {Object.values(format.columns)
                      .map((names) => names?.[0])
                      .join(", ")}
                  </List.Item>
                ))}
              </List>
              <Text as="p" tone="subdued">
                {t("imports.formatsHelp")}
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <History />
        </Layout.Section>
        {data.history?.status === "DONE" ? (
          <Layout.Section>
            <PastPoints />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("imports.export")}
              </Text>
              <Text as="p" tone="subdued">
                {t("imports.exportHelp")}
              </Text>
              <InlineStack gap="300" blockAlign="end" wrap>
                <Button url="/app/members/export" download>
                  {t("members.exportMembers")}
                </Button>
              </InlineStack>
              <form method="get" action="/app/ledger/export">
                <InlineStack gap="300" blockAlign="end" wrap>
                  <TextField
                    label={t("imports.from")}
                    type="date"
                    name="from"
                    value={from}
                    onChange={setFrom}
                    autoComplete="off"
                  />
                  <TextField
                    label={t("imports.to")}
                    type="date"
                    name="to"
                    value={to}
                    onChange={setTo}
                    autoComplete="off"
                  />
                  <Button submit>{t("members.exportLedger")}</Button>
                </InlineStack>
              </form>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("imports.history")}
              </Text>
              {data.imports.length === 0 ? (
                <Text as="p" tone="subdued">
                  {t("imports.none")}
                </Text>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "text", "numeric", "numeric"]}
                  headings={[
                    t("imports.fileName"),
                    t("activity.when"),
                    t("imports.status"),
                    t("imports.rows"),
                    t("imports.imported"),
                  ]}
                  rows={data.imports.map((i) => [
                    <Link key={i.id} to={`/app/imports/${i.id}`}>
                      {i.filename}
                    </Link>,
                    date.format(new Date(i.at)),
                    <Badge
                      key="s"
                      tone={i.status === "DONE" ? "success" : i.status === "FAILED" ? "critical" : undefined}
                    >
                      {t(`imports.state.${i.status}` as MessageKey)}
                    </Badge>,
                    new Intl.NumberFormat(locale).format(i.rows),
                    new Intl.NumberFormat(locale).format(i.created + i.updated),
                  ])}
                />
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageError />;
}
