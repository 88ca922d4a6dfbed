import { useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  FormLayout,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import prisma from "../db.server";
import { MAX_ANSWER, MAX_FAQS, MAX_QUESTION, readLandingFaqs } from "../domain/landing-faq";
import { LANGUAGES, type Language } from "../domain/localized";
import { jsonResponse } from "../http/responses";
import { landingText } from "../i18n/landing";
import { addLandingLink, LANDING_PATH, readStoreMenus } from "../shopify/navigation.server";
import { adminAction, formFields } from "../http/admin-actions";
import { storefrontUrl } from "../integrations/email/send.server";
import { saveLandingFaqs } from "../services/admin/landing";
import { adminContext } from "../shopify/admin-context.server";
import { FormStatus, SaveButton, useErrors } from "../components/form-status";
import { GuardedForm } from "../components/guarded-form";
import { labelIn } from "../components/name-fields";
import { useLocale, useT } from "../components/locale";
import { PageError } from "../components/page-error";
import type { MessageKey } from "../i18n";

/**
 * The loyalty landing page on the store (`/apps/comeback`): where it is, a link to it in
 * the store's menu, and the merchant's own questions shown under the ones the app
 * answers from the program.
 */

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, adminApi } = await adminContext(request);
  const language = (shop.settings.defaultLanguage === "ru" ? "ru" : "en") as Language;
  return {
    menus: await readStoreMenus(() => adminApi({ attempts: 1, timeoutMs: 3000 })),
    linkTitle: landingText("link", language),
    pageUrl: `${storefrontUrl(shop)}${LANDING_PATH}`,
    languages: LANGUAGES.filter((l) => shop.settings.languages.includes(l)),
    defaultLanguage: shop.settings.defaultLanguage,
    faqs: readLandingFaqs(shop.settings.landingFaqs),
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, actor, adminApi } = await adminContext(request);
  const form = await formFields(request);
  if (form.intent === "faqs")
    return adminAction(() => saveLandingFaqs(prisma, shop, form, actor), { echo: { formId: "faqs" } });
  if (form.intent !== "menu") throw new Response("Unknown action", { status: 400 });
  const title = (form.title ?? "").trim();
  if (!title || title.length > 50 || !form.menuId)
    return jsonResponse(
      { ok: false, formId: "menu", errors: { title: title ? "validation.tooLong" : "validation.required" } },
      422,
    );
  const linked = await addLandingLink(prisma, shop, actor, () => adminApi(), form.menuId, title);
  if ("menu" in linked) return jsonResponse({ ok: true, formId: "menu", result: linked });
  const status = { refused: 422, scope: 403, unavailable: 503 }[linked.outcome];
  return jsonResponse(
    { ok: false, formId: "menu", errors: { form: `landing.menu.${linked.outcome}` }, detail: linked.detail },
    status,
  );
};

function MenuCard() {
  const t = useT();
  const { menus, linkTitle } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<{ ok: boolean; errors?: Record<string, string>; result?: { menu: string } }>();
  const available = menus.state === "ok" ? menus.menus : [];
  const linkedIn = available.filter((m) => m.linked);
  const [menuId, setMenuId] = useState(available.find((m) => !m.linked)?.id ?? "");
  const [title, setTitle] = useState(linkTitle);
  const errors = fetcher.data && !fetcher.data.ok ? (fetcher.data.errors ?? {}) : {};
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("landing.menu.heading")}
        </Text>
        {menus.state === "scope" ? <Banner tone="warning">{t("landing.menu.scope")}</Banner> : null}
        {menus.state === "unavailable" ? <Banner tone="warning">{t("landing.menu.unavailable")}</Banner> : null}
        {linkedIn.length > 0 ? (
          <InlineStack gap="200" blockAlign="center">
            <Badge tone="success">{t("landing.menu.linked")}</Badge>
            <Text as="p">{t("landing.menu.linkedIn", { menus: linkedIn.map((m) => m.title).join(", ") })}</Text>
          </InlineStack>
        ) : menus.state === "ok" ? (
          <Text as="p" tone="subdued">
            {t("landing.menu.help")}
          </Text>
        ) : null}
        {errors.form ? <Banner tone="critical">{t(errors.form as MessageKey)}</Banner> : null}
        {available.some((m) => !m.linked) ? (
          <fetcher.Form method="post">
            <input type="hidden" name="intent" value="menu" />
            <BlockStack gap="300">
              <FormLayout>
                <FormLayout.Group>
                  <Select
                    name="menuId"
                    label={t("landing.menu.menu")}
                    options={available.filter((m) => !m.linked).map((m) => ({ value: m.id, label: m.title }))}
                    value={menuId}
                    onChange={setMenuId}
                  />
                  <TextField
                    name="title"
                    label={t("landing.menu.title")}
                    value={title}
                    onChange={setTitle}
                    maxLength={50}
                    autoComplete="off"
                    error={errors.title ? t(errors.title as MessageKey) : undefined}
                  />
                </FormLayout.Group>
              </FormLayout>
              <InlineStack>
                <Button submit variant="primary" loading={fetcher.state !== "idle"}>
                  {t("landing.menu.add")}
                </Button>
              </InlineStack>
            </BlockStack>
          </fetcher.Form>
        ) : null}
      </BlockStack>
    </Card>
  );
}

type Row = { key: number; question: Record<string, string>; answer: Record<string, string> };

function FaqEditor() {
  const t = useT();
  const locale = useLocale();
  const { faqs, languages, defaultLanguage } = useLoaderData<typeof loader>();
  const errors = useErrors("faqs");
  const ordered = [defaultLanguage, ...languages.filter((l) => l !== defaultLanguage)];
  const [rows, setRows] = useState<Row[]>(() =>
    faqs.map((faq, key) => ({
      key,
      question: { ...faq.question } as Record<string, string>,
      answer: { ...faq.answer } as Record<string, string>,
    })),
  );
  const [next, setNext] = useState(faqs.length);
  const set = (key: number, part: "question" | "answer", language: string, value: string) =>
    setRows((all) =>
      all.map((row) => (row.key === key ? { ...row, [part]: { ...row[part], [language]: value } } : row)),
    );
  const error = (field: string) => (errors?.[field] ? t(errors[field] as MessageKey) : undefined);
  const inLanguage = (label: string, language: string) =>
    ordered.length > 1 ? labelIn(label, language, locale) : label;
  return (
    <GuardedForm>
      <input type="hidden" name="intent" value="faqs" />
      <input type="hidden" name="formId" value="faqs" />
      <input type="hidden" name="rows" value={rows.length} />
      <BlockStack gap="400">
        <FormStatus formId="faqs" />
        {rows.length === 0 ? (
          <Text as="p" tone="subdued">
            {t("landing.faq.empty")}
          </Text>
        ) : null}
        {rows.map((row, i) => (
          <Box key={row.key} padding="300" borderWidth="025" borderColor="border" borderRadius="200">
            <BlockStack gap="300">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h3" variant="headingSm">
                  {t("landing.faq.number", { number: i + 1 })}
                </Text>
                <Button
                  variant="plain"
                  tone="critical"
                  accessibilityLabel={t("landing.faq.removeNumber", { number: i + 1 })}
                  onClick={() => setRows((all) => all.filter((r) => r.key !== row.key))}
                >
                  {t("landing.faq.remove")}
                </Button>
              </InlineStack>
              <FormLayout>
                <FormLayout.Group>
                  {ordered.map((language) => (
                    <TextField
                      key={language}
                      name={`q${i}_${language}`}
                      label={inLanguage(t("landing.faq.question"), language)}
                      value={row.question[language] ?? ""}
                      onChange={(value) => set(row.key, "question", language, value)}
                      maxLength={MAX_QUESTION}
                      error={error(`q${i}_${language}`)}
                      autoComplete="off"
                    />
                  ))}
                </FormLayout.Group>
                <FormLayout.Group>
                  {ordered.map((language) => (
                    <TextField
                      key={language}
                      name={`a${i}_${language}`}
                      label={inLanguage(t("landing.faq.answer"), language)}
                      value={row.answer[language] ?? ""}
                      onChange={(value) => set(row.key, "answer", language, value)}
                      maxLength={MAX_ANSWER}
                      multiline={3}
                      error={error(`a${i}_${language}`)}
                      autoComplete="off"
                    />
                  ))}
                </FormLayout.Group>
              </FormLayout>
            </BlockStack>
          </Box>
        ))}
        <InlineStack gap="300" blockAlign="center">
          <Button
            disabled={rows.length >= MAX_FAQS}
            onClick={() => {
              setRows((all) => [...all, { key: next, question: {}, answer: {} }]);
              setNext((n) => n + 1);
            }}
          >
            {t("landing.faq.add")}
          </Button>
          <SaveButton formId="faqs" />
        </InlineStack>
      </BlockStack>
    </GuardedForm>
  );
}

export default function LandingPage() {
  const t = useT();
  const { pageUrl } = useLoaderData<typeof loader>();
  return (
    <Page
      title={t("landing.title")}
      subtitle={t("landing.subtitle")}
      primaryAction={{ content: t("landing.view"), url: pageUrl, external: true }}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {t("landing.address")}
                </Text>
                <Text as="p">
                  <a href={pageUrl} target="_blank" rel="noreferrer">
                    {pageUrl}
                  </a>
                </Text>
                <Text as="p" tone="subdued">
                  {t("landing.addressHelp")}
                </Text>
              </BlockStack>
            </Card>
            <MenuCard />
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("landing.faq.heading")}
                </Text>
                <Text as="p" tone="subdued">
                  {t("landing.faq.help")}
                </Text>
                <FaqEditor />
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageError />;
}
