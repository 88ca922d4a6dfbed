import { useEffect, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  FormLayout,
  InlineStack,
  Layout,
  Page,
  Tabs,
  Text,
  TextField,
} from "@shopify/polaris";
import prisma from "../db.server";
import { isLanguage, LANGUAGES, type Language } from "../domain/localized";
import { isMessageKind, type MessageKind } from "../domain/messages";
import { jsonResponse } from "../http/responses";
import { TEMPLATE_VARIABLES } from "../integrations/email/default-templates";
import { draftError, previewMessage, sendTestMessage } from "../integrations/email/preview.server";
import { templateFor } from "../integrations/email/send.server";
import { recordTestSend, resetTemplate, saveTemplates } from "../services/admin/messages";
import { adminContext } from "../shopify/admin-context.server";
import { useLocale, useT } from "../components/locale";
import { PageError } from "../components/page-error";
import { MESSAGE_KIND_TEXT } from "../i18n/mail";

/**
 * One message's template per language: subject and body in Liquid, a live preview with
 * sample data in the shop's layout, a test send, and reset to the built-in text. A
 * template that does not parse is refused with its line.
 */

function kindParam(value: string | undefined): MessageKind {
  if (!isMessageKind(value)) throw new Response("Not found", { status: 404 });
  return value;
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await adminContext(request);
  const kind = kindParam(params.kind);
  const languages = LANGUAGES.filter((l) => shop.settings.languages.includes(l));
  const templates = await Promise.all(
    (languages.length ? languages : (["en"] as Language[])).map(async (language) => ({
      language,
      ...(await templateFor(prisma, shop.id, kind, language)),
    })),
  );
  const first = templates[0]!;
  const preview = await previewMessage(shop, kind, first.language, first);
  return { kind, templates, variables: TEMPLATE_VARIABLES, preview: preview.html, previewSubject: preview.subject };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop, actor } = await adminContext(request);
  const kind = kindParam(params.kind);
  const form = await request.formData();
  const field = (name: string) => String(form.get(name) ?? "");
  const intent = field("intent");
  const language = field("language");
  if (intent === "save") {
    const texts = LANGUAGES.filter((l) => form.has(`subject_${l}`)).map((l) => ({
      language: l,
      subject: field(`subject_${l}`),
      body: field(`body_${l}`),
    }));
    const problems: Record<string, string> = {};
    for (const text of texts) {
      if (!text.subject.trim()) problems[`subject_${text.language}`] = "required";
      if (!text.body.trim()) problems[`body_${text.language}`] = "required";
      const problem = draftError(text);
      if (problem)
        problems[`${problem.field}_${text.language}`] =
          `${problem.line ? `line ${problem.line}: ` : ""}${problem.message}`;
    }
    if (Object.keys(problems).length) return jsonResponse({ ok: false, intent, problems }, 422);
    await saveTemplates(prisma, shop, kind, texts, actor);
    return jsonResponse({ ok: true, intent });
  }
  if (!isLanguage(language)) return jsonResponse({ ok: false, intent, error: "language" }, 400);
  const draft = { subject: field("subject"), body: field("body") };
  if (intent === "reset") {
    await resetTemplate(prisma, shop, kind, language, actor);
    return jsonResponse({ ok: true, intent });
  }
  const problem = draftError(draft);
  if (problem)
    return jsonResponse(
      {
        ok: false,
        intent,
        problems: {
          [`${problem.field}_${language}`]: `${problem.line ? `line ${problem.line}: ` : ""}${problem.message}`,
        },
      },
      422,
    );
  if (intent === "preview") {
    const rendered = await previewMessage(shop, kind, language, draft);
    return jsonResponse({ ok: true, intent, html: rendered.html, subject: rendered.subject });
  }
  if (intent === "test") {
    const to = field("to").trim();
    if (!/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(to))
      return jsonResponse({ ok: false, intent, problems: { to: "email" } }, 422);
    const sent = await sendTestMessage(prisma, shop, kind, language, draft, to);
    if (sent.ok) await recordTestSend(prisma, shop, kind, language, actor);
    return jsonResponse({ ok: sent.ok, intent, error: sent.ok ? null : sent.error }, sent.ok ? 200 : 502);
  }
  return jsonResponse({ ok: false, intent, error: "unknown" }, 400);
};

interface Answer {
  ok: boolean;
  intent: string;
  html?: string;
  subject?: string;
  problems?: Record<string, string>;
  error?: string | null;
}

export default function TemplateEditor() {
  const t = useT();
  const locale = useLocale();
  const { kind, templates, variables, preview, previewSubject } = useLoaderData<typeof loader>();
  const [tab, setTab] = useState(0);
  const [drafts, setDrafts] = useState(templates.map((tpl) => ({ subject: tpl.subject, body: tpl.body })));
  const [to, setTo] = useState("");
  const save = useFetcher<Answer>();
  const previewer = useFetcher<Answer>();
  const tester = useFetcher<Answer>();
  const resetter = useFetcher<Answer>();
  const current = templates[tab]!;
  const draft = drafts[tab]!;
  const name = locale === "ru" ? MESSAGE_KIND_TEXT[kind]!.ru : MESSAGE_KIND_TEXT[kind]!.en;

  // The preview follows the draft as the merchant types (a moment after the last key).
  useEffect(() => {
    const timer = setTimeout(() => {
      previewer.submit({ intent: "preview", language: current.language, ...draft }, { method: "post" });
    }, 350);
    return () => clearTimeout(timer);
  }, [draft.subject, draft.body, current.language]);

  useEffect(() => {
    if (resetter.data?.ok) window.location.reload();
  }, [resetter.data]);

  const found = { ...(save.data?.problems ?? {}), ...(previewer.data?.problems ?? {}) };
  const problem = (field: string) => (found[field] === "required" ? t("validation.required") : found[field]);
  const html = previewer.data?.ok ? previewer.data.html : preview;
  const subject = previewer.data?.ok ? previewer.data.subject : previewSubject;
  const update = (field: "subject" | "body", value: string) =>
    setDrafts((all) => all.map((d, i) => (i === tab ? { ...d, [field]: value } : d)));

  return (
    <Page
      title={name}
      backAction={{ content: t("messages.title"), url: "/app/messages" }}
      primaryAction={{
        content: t("program.save"),
        loading: save.state !== "idle",
        onAction: () =>
          save.submit(
            {
              intent: "save",
              ...Object.fromEntries(
                templates.flatMap((tpl, i) => [
                  [`subject_${tpl.language}`, drafts[i]!.subject],
                  [`body_${tpl.language}`, drafts[i]!.body],
                ]),
              ),
            },
            { method: "post" },
          ),
      }}
    >
      <Layout>
        <Layout.Section>
          {save.data?.ok && <Banner tone="success">{t("program.saved")}</Banner>}
          {save.data && !save.data.ok && <Banner tone="critical">{t("messages.templateInvalid")}</Banner>}
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <Card>
            <Tabs
              tabs={templates.map((tpl) => ({
                id: tpl.language,
                content: tpl.language === "ru" ? "Русский" : "English",
              }))}
              selected={tab}
              onSelect={setTab}
            >
              <BlockStack gap="300">
                <Text as="p" tone="subdued">
                  {current.edited ? t("messages.edited") : t("messages.builtIn")}
                </Text>
                <FormLayout>
                  <TextField
                    label={t("messages.subject")}
                    value={draft.subject}
                    onChange={(value) => update("subject", value)}
                    autoComplete="off"
                    error={problem(`subject_${current.language}`)}
                  />
                  <TextField
                    label={t("messages.body")}
                    value={draft.body}
                    onChange={(value) => update("body", value)}
                    multiline={14}
                    monospaced
                    autoComplete="off"
                    error={problem(`body_${current.language}`)}
                    helpText={t("messages.liquidHelp")}
                  />
                </FormLayout>
                <InlineStack gap="200" blockAlign="end">
                  <div style={{ flex: 1 }}>
                    <TextField
                      label={t("messages.testTo")}
                      type="email"
                      value={to}
                      onChange={setTo}
                      autoComplete="email"
                      error={tester.data?.problems?.to ? t("validation.email") : undefined}
                    />
                  </div>
                  <Button
                    loading={tester.state !== "idle"}
                    onClick={() =>
                      tester.submit({ intent: "test", language: current.language, to, ...draft }, { method: "post" })
                    }
                  >
                    {t("messages.sendTest")}
                  </Button>
                </InlineStack>
                {tester.data?.ok && <Banner tone="success">{t("messages.testSent", { to })}</Banner>}
                {tester.data && !tester.data.ok && !tester.data.problems && (
                  <Banner tone="critical">{t("messages.testFailed", { error: tester.data.error ?? "" })}</Banner>
                )}
                {current.edited && (
                  <Button
                    tone="critical"
                    variant="plain"
                    loading={resetter.state !== "idle"}
                    onClick={() => resetter.submit({ intent: "reset", language: current.language }, { method: "post" })}
                  >
                    {t("messages.reset")}
                  </Button>
                )}
                <Text as="h3" variant="headingSm">
                  {t("messages.variables")}
                </Text>
                <Text as="p" tone="subdued">
                  {variables.join(" · ")}
                </Text>
              </BlockStack>
            </Tabs>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("messages.preview")}
              </Text>
              <Text as="p" aria-live="polite">
                <strong>{t("messages.subject")}:</strong> <span data-testid="preview-subject">{subject}</span>
              </Text>
              <iframe
                title={t("messages.preview")}
                srcDoc={html}
                sandbox=""
                style={{ width: "100%", height: 640, border: "1px solid #ddd", borderRadius: 8, background: "#fff" }}
              />
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
