import { mailText, type MailTextKey } from "../../i18n/mail";
import type { Language } from "../../domain/localized";
import { escapeHtml } from "./render";

/**
 * The small pages a recipient reaches from an email: the one-click unsubscribe's
 * confirmation and the preference page. Plain HTML in the reader's language, no script.
 */
export function mailPage(language: Language, title: string, body: string): string {
  return `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<style>body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;background:#f4f4f4}main{max-width:520px;margin:40px auto;background:#fff;border-radius:12px;padding:24px 28px}h1{font-size:22px;margin:0 0 12px}label{display:flex;gap:10px;align-items:flex-start;margin:12px 0}input{margin-top:5px;width:18px;height:18px}button{font:inherit;font-weight:600;padding:10px 18px;border:0;border-radius:8px;background:#1a1a1a;color:#fff;cursor:pointer}.muted{color:#6d7175;font-size:14px}[role=status]{background:#e3f1df;padding:8px 12px;border-radius:8px}</style></head>
<body><main>${body}</main></body></html>`;
}

export function pageText(key: MailTextKey, language: Language, params: Record<string, string | number> = {}): string {
  return escapeHtml(mailText(key, language, params));
}

export function htmlResponse(html: string, status = 200): Response {
  return new Response(html, {
    status,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "Referrer-Policy": "no-referrer",
      "X-Robots-Tag": "noindex",
    },
  });
}
