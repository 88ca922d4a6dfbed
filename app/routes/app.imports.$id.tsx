import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  DataTable,
  FormLayout,
  InlineStack,
  Layout,
  List,
  Page,
  ProgressBar,
  Select,
  Text,
} from "@shopify/polaris";
import { useState } from "react";
import prisma from "../db.server";
import { IMPORT_FIELDS, importFormat, type ColumnMapping } from "../domain/member-import";
import { adminAction, formFields } from "../http/admin-actions";
import { NotFoundError, ValidationError } from "../services/admin/forms";
import {
  cancelImport,
  findImport,
  importReport,
  parseMapping,
  startImport,
  validateImport,
} from "../services/member-import";
import { adminContext } from "../shopify/admin-context.server";
import { useLocale, useT } from "../components/locale";
import { useRefreshWhile } from "../components/refresh-while";
import { PageError } from "../components/page-error";
import type { MessageKey } from "../i18n";

/**
 * One import: the validation report (every error with its line), the column mapping
 * when the format was not recognised, the dry run, then the import with its progress.
 */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await adminContext(request);
  const job = await findImport(prisma, shop.id, params.id ?? "");
  if (!job) throw new Response("Not found", { status: 404 });
  const report =
    job.status === "NEEDS_MAPPING" || job.status === "FAILED" ? null : await importReport(prisma, shop.id, job.id);
  return {
    job: {
      id: job.id,
      filename: job.filename,
      status: job.status,
      format: importFormat(job.format)?.label ?? null,
      encoding: job.encoding,
      delimiter: job.delimiter,
      header: job.header,
      mapping: job.mapping as ColumnMapping,
      rows: job.rows,
      invalid: job.invalid,
      processed: job.processed,
      created: job.created,
      updated: job.updated,
      skipped: job.skipped,
      pointsAdded: Number(job.pointsAdded),
      createMissing: job.createMissing,
      error: job.error,
    },
    report,
  };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop } = await adminContext(request);
  const form = await formFields(request);
  const id = params.id ?? "";
  return adminAction(
    async () => {
      const job = await findImport(prisma, shop.id, id);
      if (!job) throw new NotFoundError();
      if (form.intent === "map") {
        const mapping = parseMapping(new URLSearchParams(form), job.header.length);
        if (!mapping) throw new ValidationError({ form: "imports.mappingIncomplete" });
        await validateImport(prisma, shop, id, mapping);
        return { mapped: true };
      }
      if (form.intent === "cancel") return { cancelled: await cancelImport(prisma, shop.id, id) };
      if (!(await startImport(prisma, shop.id, id, form.createMissing === "on")))
        throw new ValidationError({ form: "imports.notReady" });
      return { started: true };
    },
    { echo: { formId: form.intent ?? "start" } },
  );
};

const FIELD_LABELS: Record<(typeof IMPORT_FIELDS)[number], MessageKey> = {
  email: "imports.field.email",
  customerId: "imports.field.customerId",
  firstName: "imports.field.firstName",
  lastName: "imports.field.lastName",
  fullName: "imports.field.fullName",
  points: "imports.field.points",
  tier: "imports.field.tier",
  birthday: "imports.field.birthday",
  referralCode: "imports.field.referralCode",
};

function Mapping() {
  const t = useT();
  const { job } = useLoaderData<typeof loader>();
  const [mapping, setMapping] = useState<Record<string, string>>(
    Object.fromEntries(Object.entries(job.mapping).map(([field, index]) => [field, String(index)])),
  );
  const options = [
    { label: t("imports.notInFile"), value: "" },
    ...job.header.map((name, index) => ({ label: name || `#${index + 1}`, value: String(index) })),
  ];
  return (
    <Card>
      <Form method="post">
        <input type="hidden" name="intent" value="map" />
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("imports.mapping")}
          </Text>
          <Text as="p" tone="subdued">
            {t("imports.mappingHelp")}
          </Text>
          <FormLayout>
            <FormLayout.Group condensed>
              {IMPORT_FIELDS.map((field) => (
                <Select
                  key={field}
                  name={field}
                  label={t(FIELD_LABELS[field])}
                  options={options}
                  value={mapping[field] ?? ""}
                  onChange={(value) => setMapping({ ...mapping, [field]: value })}
                />
              ))}
            </FormLayout.Group>
          </FormLayout>
          <InlineStack>
            <Button submit variant="primary">
              {t("imports.check")}
            </Button>
          </InlineStack>
        </BlockStack>
      </Form>
    </Card>
  );
}

export default function ImportPage() {
  const t = useT();
  const locale = useLocale();
  const { job, report } = useLoaderData<typeof loader>();
  const result = useActionData<{ ok: boolean; errors?: { form?: string } }>();
  const navigation = useNavigation();
  const [createMissing, setCreateMissing] = useState(job.createMissing);
  const number = new Intl.NumberFormat(locale);
  const running = job.status === "RUNNING";
  useRefreshWhile(running, 1500);
  const valid = job.rows - job.invalid;
  return (
    <Page
      title={job.filename}
      subtitle={
        job.format
          ? t("imports.detected", { format: job.format, encoding: job.encoding, rows: job.rows })
          : t("imports.rowsRead", { rows: job.rows })
      }
      backAction={{ content: t("imports.title"), url: "/app/imports" }}
    >
      <Layout>
        {result?.errors?.form ? (
          <Layout.Section>
            <Banner tone="critical">{t(result.errors.form as MessageKey)}</Banner>
          </Layout.Section>
        ) : null}
        {job.status === "FAILED" ? (
          <Layout.Section>
            <Banner tone="critical" title={t("imports.failed")}>
              <p>{job.error}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {job.status === "NEEDS_MAPPING" || job.status === "VALIDATED" ? (
          <Layout.Section>{job.status === "NEEDS_MAPPING" || !job.format ? <Mapping /> : null}</Layout.Section>
        ) : null}
        {report ? (
          <>
            <Layout.Section>
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    {t("imports.report")}
                  </Text>
                  <Text as="p">{t("imports.reportCounts", { rows: job.rows, valid, invalid: job.invalid })}</Text>
                  {report.errors.length > 0 ? (
                    <>
                      <DataTable
                        columnContentTypes={["text", "numeric"]}
                        headings={[t("imports.problem"), t("imports.rows")]}
                        rows={report.errors.map((e) => [
                          t(`imports.error.${e.code}` as MessageKey),
                          number.format(e.rows),
                        ])}
                      />
                      <DataTable
                        columnContentTypes={["numeric", "text", "text"]}
                        headings={[t("imports.line"), t("imports.problem"), t("imports.content")]}
                        rows={report.samples.map((s) => [
                          String(s.line),
                          s.errors.map((code) => t(`imports.error.${code}` as MessageKey)).join("; "),
                          s.cells.join(" | ").slice(0, 120),
                        ])}
                      />
                    </>
                  ) : (
                    <Text as="p" tone="success">
                      {t("imports.noErrors")}
                    </Text>
                  )}
                </BlockStack>
              </Card>
            </Layout.Section>
            <Layout.Section>
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    {job.status === "VALIDATED" ? t("imports.dryRun") : t("imports.result")}
                  </Text>
                  {job.status === "VALIDATED" ? (
                    <>
                      <List>
                        {(
                          [
                            ["imports.dry.existing", report.dryRun.existing],
                            ["imports.dry.new", report.dryRun.new],
                            ["imports.dry.points", report.dryRun.points],
                            ["imports.dry.tiers", report.dryRun.tiers],
                            ["imports.dry.birthdays", report.dryRun.birthdays],
                          ] as const
                        ).map(([key, value]) => (
                          <List.Item key={key}>{t(key, { count: value })}</List.Item>
                        ))}
                      </List>
                      <Text as="p" tone="subdued">
                        {t("imports.dryRunNote")}
                      </Text>
                      <Form method="post">
                        <input type="hidden" name="intent" value="start" />
                        <BlockStack gap="200">
                          <Checkbox
                            label={t("imports.createMissing")}
                            helpText={t("imports.createMissingHelp")}
                            checked={createMissing}
                            onChange={setCreateMissing}
                          />
                          {createMissing ? <input type="hidden" name="createMissing" value="on" /> : null}
                          <InlineStack>
                            <Button
                              submit
                              variant="primary"
                              disabled={report.dryRun.valid === 0}
                              loading={navigation.state === "submitting"}
                            >
                              {t("imports.start", { count: report.dryRun.valid })}
                            </Button>
                          </InlineStack>
                        </BlockStack>
                      </Form>
                    </>
                  ) : (
                    <>
                      <ProgressBar
                        progress={valid ? Math.min(100, (job.processed / valid) * 100) : 100}
                        tone={job.status === "DONE" ? "success" : "primary"}
                        ariaLabelledBy="import-progress"
                      />
                      <div role="status">
                        <Text as="p" id="import-progress">
                          {t(running ? "imports.progress" : `imports.state.${job.status}`, {
                            done: job.processed,
                            total: valid,
                          })}
                        </Text>
                      </div>
                      <List>
                        {(
                          [
                            ["imports.done.created", job.created],
                            ["imports.done.updated", job.updated],
                            ["imports.done.skipped", job.skipped],
                            ["imports.done.points", job.pointsAdded],
                          ] as const
                        ).map(([key, value]) => (
                          <List.Item key={key}>{t(key, { count: value })}</List.Item>
                        ))}
                      </List>
                      {running ? (
                        <Form method="post">
                          <input type="hidden" name="intent" value="cancel" />
                          <Button submit tone="critical">
                            {t("imports.cancel")}
                          </Button>
                        </Form>
                      ) : null}
                    </>
                  )}
                </BlockStack>
              </Card>
            </Layout.Section>
          </>
        ) : null}
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageError back={{ label: "Imports", url: "/app/imports" }} />;
}
