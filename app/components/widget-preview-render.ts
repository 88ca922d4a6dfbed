import type { Liquid, Template } from "liquidjs";
import launcherSource from "../../extensions/comeback-theme/blocks/comeback-launcher.liquid?raw";
import panelCss from "../../extensions/comeback-theme/assets/comeback.css?raw";
import enTexts from "../../extensions/comeback-theme/locales/en.default.json";
import ruTexts from "../../extensions/comeback-theme/locales/ru.json";
import {
  renderThemeBlock,
  schemaOf,
  themeEngine,
  themeTranslate,
  type ThemeFiles,
  type ThemeLocale,
} from "../storefront/theme-liquid";
import type { Language } from "../domain/localized";
import type { WidgetSettings } from "../domain/widget";

/**
 * The Branding page's preview: the theme extension's own app embed (its Liquid, snippets,
 * texts and panel stylesheet, bundled from extensions/comeback-theme) rendered with the
 * engine the demo storefront uses, for a guest, from a program metafield holding the
 * merchant's draft. The panel is opened the way the panel script opens it: its header is
 * the embed's template, cloned into a `.cb-panel` inside the embed's root (whose custom
 * properties colour it). Only the panel's content, which the app renders per shopper, is
 * a placeholder. Loaded on demand: liquidjs stays out of the admin's other pages.
 */

const snippets = Object.fromEntries(
  Object.entries(
    import.meta.glob<string>("../../extensions/comeback-theme/snippets/*.liquid", {
      query: "?raw",
      import: "default",
      eager: true,
    }),
  ).map(([path, source]) => [path.split("/").pop()!, source]),
);
const files: ThemeFiles = { snippets, locales: { en: enTexts, ru: ruTexts } };
const schema = schemaOf(launcherSource, "comeback-launcher");
const engines = new Map<string, { liquid: Liquid; templates: Template[] }>();

function engineFor(locale: ThemeLocale, currency: string) {
  const key = `${locale}|${currency}`;
  let entry = engines.get(key);
  if (!entry) {
    // Nothing is fetched from the preview: the embed's scripts are dropped below.
    const liquid = themeEngine(files, { locale, currency, assetUrl: () => "about:blank" });
    engines.set(key, (entry = { liquid, templates: liquid.parse(launcherSource) }));
  }
  return entry;
}

/**
 * No script runs in the preview, whatever a setting holds: the embed's scripts are dropped
 * and the page's policy refuses any other (inline handlers included). Only its own styles
 * and https images (the header image) load. A policy rather than a sandboxed frame, which
 * assistive-technology checkers such as axe cannot look into.
 */
const POLICY = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src https:">`;

/** A still storefront page: no motion, so a re-render as the merchant types does not flash. */
const PAGE_CSS = `html,body{margin:0;height:100%}body{background:#f4f4f5}
.cb-panel{animation:none!important}
.cb-preview-line{height:10px;margin:12px 0;border-radius:5px;background:#e6e6e6}`;

export interface PreviewInput {
  display: WidgetSettings;
  languages: Language[];
  defaultLanguage: Language;
  currency: string;
  /** The storefront's language in the preview. */
  locale: ThemeLocale;
}

/** The launcher, with its panel open, as a whole HTML document for an iframe's srcdoc. */
export async function renderWidgetPreview(input: PreviewInput): Promise<string> {
  const { liquid, templates } = engineFor(input.locale, input.currency);
  const program = {
    display: input.display,
    languages: input.languages,
    defaultLanguage: input.defaultLanguage,
    pointsName: {},
  };
  const embed = await renderThemeBlock(
    liquid,
    { templates, schema },
    { locale: input.locale, shop: { name: "", currency: input.currency }, program, customer: null },
  );
  const doc = new DOMParser().parseFromString(
    `<!doctype html><html lang="${input.locale}"><head><meta charset="utf-8">${POLICY}<style>${panelCss}</style>` +
      `<style>${PAGE_CSS}</style></head><body>${embed}</body></html>`,
    "text/html",
  );
  for (const script of doc.querySelectorAll("script")) script.remove();
  openPanel(doc, input.locale);
  // A picture, not a second storefront: nothing in it takes focus.
  doc.body.setAttribute("inert", "");
  return `<!doctype html>${doc.documentElement.outerHTML}`;
}

/** What src/panel.ts does on the storefront when the shopper opens the panel. */
function openPanel(doc: Document, locale: ThemeLocale) {
  const root = doc.getElementById("comeback-root");
  const head = doc.getElementById("comeback-panel-head") as HTMLTemplateElement | null;
  if (!root || !head) return;
  const panel = doc.createElement("div");
  panel.className = "cb-panel";
  if (doc.querySelector(".cb-launcher.cb-left")) panel.classList.add("cb-left");
  const body = doc.createElement("div");
  body.className = "cb-body";
  const intro = doc.createElement("p");
  intro.textContent = themeTranslate(files.locales, locale, "comeback.guest_intro");
  const join = doc.createElement("span");
  join.className = "cb-button";
  join.textContent = themeTranslate(files.locales, locale, "comeback.join");
  body.append(intro, join);
  for (let i = 0; i < 3; i += 1) {
    const line = doc.createElement("div");
    line.className = "cb-preview-line";
    body.append(line);
  }
  panel.append(doc.importNode(head.content, true), body);
  root.append(panel);
}
