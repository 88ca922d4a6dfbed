import { useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import {
  BlockStack,
  Box,
  Button,
  Card,
  FormLayout,
  InlineStack,
  Layout,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import prisma from "../db.server";
import { MAX_ANSWER, MAX_FAQS, MAX_QUESTION, readLandingFaqs } from "../domain/landing-faq";
import { LANGUAGES } from "../domain/localized";
import { adminAction, formFields } from "../http/admin-actions";
import { storefrontUrl } from "../integrations/email/send.server";
import { saveLandingFaqs } from "../services/admin/landing";
import { adminContext } from "../shopify/admin-context.server";
import { FormStatus, SaveButton, useErrors } from "../components/form-status";
import { GuardedForm } from "../components/guarded-form";
import { useLocale, useT } from "../components/locale";
import { PageError } from "../components/page-error";
import type { MessageKey } from "../i18n";

/**
 * The loyalty landing page on the store (`/apps/comeback`): where it is, and the
 * merchant's own questions shown under the ones the app answers from the program.
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await adminContext(request);
  return {
    pageUrl: `${storefrontUrl(shop)}/apps/comeback`,
    languages: LANGUAGES.filter((l) => shop.settings.languages.includes(l)),
    defaultLanguage: shop.settings.defaultLanguage,
    faqs: readLandingFaqs(shop.settings.landingFaqs),
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, actor } = await adminContext(request);
  const form = await formFields(request);
  if (form.intent !== "faqs") throw new Response("Unknown action", { status: 400 });
  return adminAction(() => saveLandingFaqs(prisma, shop, form, actor), { echo: { formId: "faqs" } });
};

const LANGUAGE_NAMES: Record<string, { en: string; ru: string }> = {
  en: { en: "English", ru: "английский" },
  ru: { en: "Russian", ru: "русский" },
};

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
    ordered.length > 1 ? `${label} (${LANGUAGE_NAMES[language]?.[locale] ?? language})` : label;
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
