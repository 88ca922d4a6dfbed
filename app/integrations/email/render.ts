import { Liquid, type Template } from "liquidjs";
import mjml from "mjml";
import type { Language } from "../../domain/localized";
import { pointsWord } from "../../domain/localized";
import { decodeHtmlEntities, htmlToText } from "../../domain/messages";

/**
 * Turns a message's Liquid subject and body into the email: the body inside a responsive
 * MJML layout in the shop's colour, a plain-text part, every link through the click
 * tracker and an open pixel. Liquid runs sandboxed: no file system (no include/render),
 * own properties only, and limits on template size, render time and memory.
 */

export interface Brand {
  shopName: string;
  /** An https image shown in place of the name in the header. */
  logoUrl?: string | null;
  accent: string;
  onAccent: string;
  language: Language;
  /** Why the reader gets this, shown in the footer. */
  footer: string;
  preferencesLabel: string;
}

export interface RenderInput {
  subject: string;
  body: string;
  data: Record<string, unknown>;
  pointsName: unknown;
  brand: Brand;
  preferencesUrl: string;
  /** Rewrites a link to go through the click tracker (identity in previews). */
  trackLink?: (url: string) => string;
  /** The open pixel's URL (none in previews). */
  openPixel?: string | null;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

const LIMITS = { parseLimit: 100_000, renderLimit: 500, memoryLimit: 5_000_000 };

const engine = new Liquid({
  ownPropertyOnly: true,
  strictFilters: true,
  ...LIMITS,
  // No template is read from disk: {% include %} and {% render %} find nothing.
  fs: {
    exists: async () => false,
    existsSync: () => false,
    readFile: async () => Promise.reject(new Error("includes are not available in messages")),
    readFileSync: () => {
      throw new Error("includes are not available in messages");
    },
    resolve: (_root: string, file: string) => file,
    contains: async () => false,
  },
  relativeReference: false,
  root: [],
  partials: [],
  layouts: [],
});

interface FilterScope {
  language: Language;
  pointsName: unknown;
  accent: string;
  onAccent: string;
}
const SCOPE = "__comeback";

engine.registerFilter("points", function (this: { context: { getSync(path: string[]): unknown } }, value: unknown) {
  const scope = this.context.getSync([SCOPE]) as FilterScope;
  const count = Math.trunc(Number(value) || 0);
  return `${new Intl.NumberFormat(scope.language).format(count)}\u00a0${pointsWord(scope.pointsName, scope.language, count)}`;
});
engine.registerFilter(
  "button",
  function (this: { context: { getSync(path: string[]): unknown } }, label: unknown, url: unknown) {
    const scope = this.context.getSync([SCOPE]) as FilterScope;
    const href = typeof url === "string" && /^https?:\/\//.test(url) ? url : "";
    if (!href) return "";
    return `<table role="presentation" cellpadding="0" cellspacing="0" style="margin:16px 0"><tr><td style="border-radius:8px;background:${scope.accent}"><a href="${href}" style="display:inline-block;padding:12px 22px;color:${scope.onAccent};font-weight:600;text-decoration:none;border-radius:8px">${escapeHtml(String(label ?? ""))}</a></td></tr></table>`;
  },
);

const parsed = new Map<string, Template[]>();
function parse(source: string): Template[] {
  let templates = parsed.get(source);
  if (!templates) {
    templates = engine.parse(source);
    if (parsed.size > 500) parsed.clear();
    parsed.set(source, templates);
  }
  return templates;
}

/** A template's error, with its line, as the editor shows it; null when it parses. */
export function templateError(source: string): { line: number | null; message: string } | null {
  try {
    engine.parse(source);
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message.split(", line:")[0]!.split("\n")[0]! : String(error);
    const line = /line:(\d+)/.exec(String((error as Error)?.message))?.[1];
    return { line: line ? Number(line) : null, message };
  }
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The same data with every string escaped for HTML: the body is HTML, names are not. */
function escaped(value: unknown): unknown {
  if (typeof value === "string") return escapeHtml(value);
  if (Array.isArray(value)) return value.map(escaped);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escaped(v)]));
  return value;
}

const layouts = new Map<string, Promise<string>>();
const BODY = "%%COMEBACK_BODY%%";
const PIXEL = "%%COMEBACK_PIXEL%%";
const PREFS = "%%COMEBACK_PREFERENCES%%";

/** The MJML layout, compiled once per look (MJML takes milliseconds; the body is pasted in). */
function layout(brand: Brand): Promise<string> {
  const key = JSON.stringify(brand);
  let html = layouts.get(key);
  if (!html) {
    const source = `<mjml lang="${brand.language}">
  <mj-head>
    <mj-title>${escapeHtml(brand.shopName)}</mj-title>
    <mj-attributes>
      <mj-all font-family="-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif" />
      <mj-text font-size="16px" line-height="1.5" color="#1a1a1a" />
    </mj-attributes>
  </mj-head>
  <mj-body background-color="#f4f4f4">
    <mj-section background-color="${brand.accent}" padding="20px 24px">
      <mj-column>${
        brand.logoUrl
          ? `<mj-image src="${escapeHtml(brand.logoUrl)}" alt="${escapeHtml(brand.shopName)}" width="160px" align="left" padding="0" />`
          : `<mj-text color="${brand.onAccent}" font-size="20px" font-weight="700">${escapeHtml(brand.shopName)}</mj-text>`
      }</mj-column>
    </mj-section>
    <mj-section background-color="#ffffff" padding="24px">
      <mj-column><mj-text>${BODY}</mj-text></mj-column>
    </mj-section>
    <mj-section padding="16px 24px">
      <mj-column>
        <mj-text font-size="12px" color="#6d7175">${escapeHtml(brand.footer)}<br/><a href="${PREFS}" style="color:#6d7175">${escapeHtml(brand.preferencesLabel)}</a></mj-text>
        <mj-raw>${PIXEL}</mj-raw>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;
    html = Promise.resolve(mjml(source, { validationLevel: "strict", minify: false })).then((result) => {
      if (result.errors.length) throw new Error(`email layout: ${result.errors[0]!.formattedMessage}`);
      return result.html;
    });
    if (layouts.size > 200) layouts.clear();
    layouts.set(key, html);
  }
  return html;
}

export async function renderEmail(input: RenderInput): Promise<RenderedEmail> {
  const scope: FilterScope = {
    language: input.brand.language,
    pointsName: input.pointsName,
    accent: input.brand.accent,
    onAccent: input.brand.onAccent,
  };
  const [subject, body, page] = await Promise.all([
    engine.render(parse(input.subject), { ...input.data, [SCOPE]: scope }),
    engine.render(parse(input.body), { ...(escaped(input.data) as object), [SCOPE]: scope }),
    layout(input.brand),
  ]);
  const track = input.trackLink ?? ((url: string) => url);
  const tracked = (String(body) as string).replace(
    /href="(https?:\/\/[^"]+)"/g,
    // The data was HTML-escaped for the body: the link itself is the unescaped URL.
    (_, url: string) => `href="${escapeHtml(track(decodeHtmlEntities(url)))}"`,
  );
  const pixel = input.openPixel
    ? `<img src="${escapeHtml(input.openPixel)}" width="1" height="1" alt="" style="display:block;border:0" />`
    : "";
  const html = page
    .replace(BODY, () => tracked)
    .replace(PIXEL, () => pixel)
    .replace(PREFS, () => escapeHtml(input.preferencesUrl));
  return {
    subject: String(subject).replace(/\s+/g, " ").trim(),
    html,
    text: `${htmlToText(tracked)}\n\n--\n${input.brand.footer}\n${input.brand.preferencesLabel}: ${input.preferencesUrl}`,
  };
}
