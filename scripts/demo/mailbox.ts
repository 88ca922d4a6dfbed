import type { AddressInfo } from "node:net";
import type { Express, Request, Response } from "express";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

/**
 * The demo's mail: a local SMTP server the app sends to (SMTP_URL points here), keeping
 * what arrives in memory, and a mailbox page at /demo/mailbox that lists the messages
 * and shows each one's HTML, text and headers. Nothing leaves the machine.
 */

interface Received {
  id: number;
  at: Date;
  mail: ParsedMail;
}

export interface DemoMailbox {
  smtpUrl: string;
  routes(app: Express): void;
  close(): Promise<void>;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(title)}</title>
<style>body{margin:0;font:15px/1.5 system-ui,sans-serif;color:#1a1a1a;background:#f6f6f7}header{padding:14px 24px;background:#fff;border-bottom:1px solid #ddd;display:flex;gap:16px;align-items:center}main{max-width:1100px;margin:0 auto;padding:20px 24px}table{width:100%;border-collapse:collapse;background:#fff;border-radius:10px;overflow:hidden}th,td{text-align:left;padding:10px 12px;border-bottom:1px solid #eee;vertical-align:top}th{font-size:13px;color:#6d7175}a{color:#005bd3}.muted{color:#6d7175;font-size:13px}iframe{width:100%;height:720px;border:1px solid #ddd;border-radius:10px;background:#fff}pre{white-space:pre-wrap;background:#fff;border:1px solid #ddd;border-radius:10px;padding:14px;font-size:13px}.tabs{display:flex;gap:12px;margin:12px 0}.empty{background:#fff;padding:24px;border-radius:10px}</style></head>
<body><header><strong>Comeback demo mailbox</strong><span class="muted">Mail the app sent over SMTP to this demo's local server</span></header><main>${body}</main></body></html>`;
}

export async function startDemoMailbox(port = 0): Promise<DemoMailbox> {
  const received: Received[] = [];
  let next = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.unshift({ id: ++next, at: new Date(), mail });
          if (received.length > 500) received.pop();
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: bound } = server.server.address() as AddressInfo;

  const to = (mail: ParsedMail) =>
    (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).map((a) => a.text).join(", ");

  function list(req: Request, res: Response) {
    const filter = typeof req.query.to === "string" ? req.query.to.toLowerCase() : "";
    const shown = filter ? received.filter((r) => to(r.mail).toLowerCase().includes(filter)) : received;
    const rows = shown
      .map(
        (r) =>
          `<tr><td class="muted">${r.at.toLocaleString("en-GB")}</td><td>${escape(to(r.mail))}</td><td><a href="/demo/mailbox/${r.id}">${escape(r.mail.subject ?? "(no subject)")}</a></td><td class="muted">${escape(String(r.mail.headers.get("x-comeback-kind") ?? ""))}</td></tr>`,
      )
      .join("");
    res
      .type("html")
      .send(
        page(
          "Mailbox",
          `<form method="get"><label>To <input name="to" value="${escape(filter)}"></label> <button>Filter</button> <span class="muted">${shown.length} message(s); newest first; <a href="/demo/mailbox">refresh</a></span></form><br>` +
            (rows
              ? `<table><thead><tr><th>Received</th><th>To</th><th>Subject</th><th>Kind</th></tr></thead><tbody>${rows}</tbody></table>`
              : `<p class="empty">No mail yet. Messages go out within a minute of what triggers them (an order, a join, a reward), inside the shop's sending hours; <code>npm run demo:jobs -- --as-of &lt;date&gt;</code> sends the scheduled ones.</p>`),
        ),
      );
  }

  function show(req: Request, res: Response) {
    const found = received.find((r) => String(r.id) === req.params.id);
    if (!found)
      return void res
        .status(404)
        .type("html")
        .send(page("Not found", `<p class="empty">No such message. <a href="/demo/mailbox">Back</a></p>`));
    const { mail } = found;
    const headers = mail.headerLines.map((h) => escape(h.line)).join("\n");
    res.type("html").send(
      page(
        mail.subject ?? "Message",
        `<p><a href="/demo/mailbox">← All mail</a></p><h1>${escape(mail.subject ?? "")}</h1>
<p class="muted">From ${escape(mail.from?.text ?? "")} to ${escape(to(mail))}</p>
<h2>HTML</h2><iframe title="HTML part" sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="${escape(typeof mail.html === "string" ? mail.html : "")}"></iframe>
<h2>Text</h2><pre>${escape(mail.text ?? "")}</pre>
<h2>Headers</h2><pre>${headers}</pre>`,
      ),
    );
  }

  return {
    smtpUrl: `smtp://127.0.0.1:${bound}?ignoreTLS=true`,
    routes(app) {
      app.get("/demo/mailbox", list);
      app.get("/demo/mailbox/:id", show);
      app.get("/demo/mailbox.json", (_req, res) =>
        res.json(
          received.map((r) => ({
            id: r.id,
            at: r.at,
            to: to(r.mail),
            subject: r.mail.subject,
            kind: r.mail.headers.get("x-comeback-kind") ?? null,
            text: r.mail.text,
          })),
        ),
      );
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
