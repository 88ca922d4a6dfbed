import nodemailer, { type Transporter } from "nodemailer";

/**
 * The SMTP connection (nodemailer, pooled) to the operator's server, SMTP_URL. Deliveries
 * are classified for the sender: a 5xx answer to this message is permanent (a hard
 * bounce at delivery), anything else (4xx, a dropped connection, a timeout) is retried.
 */

export interface OutgoingMail {
  from: { name: string; address: string };
  to: string;
  replyTo?: string | null;
  subject: string;
  html: string;
  text: string;
  messageId: string;
  headers: Record<string, string>;
}

export type Delivery = { ok: true; response: string } | { ok: false; permanent: boolean; error: string };

const transports = new Map<string, Transporter>();

export function mailTransport(smtpUrl: string): Transporter {
  let transport = transports.get(smtpUrl);
  if (!transport) {
    const url = new URL(smtpUrl);
    const secure = url.protocol === "smtps:";
    transport = nodemailer.createTransport({
      host: url.hostname,
      port: Number(url.port) || (secure ? 465 : 587),
      secure,
      auth: url.username
        ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
        : undefined,
      // A local sink without TLS (the demo, the tests) says so in the URL: ?ignoreTLS=true.
      ignoreTLS: url.searchParams.get("ignoreTLS") === "true",
      pool: true,
      maxConnections: 4,
      maxMessages: 200,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 30_000,
    });
    transports.set(smtpUrl, transport);
  }
  return transport;
}

export async function closeMailTransports(): Promise<void> {
  for (const transport of transports.values()) transport.close();
  transports.clear();
}

export async function deliver(transport: Transporter, mail: OutgoingMail): Promise<Delivery> {
  try {
    const info = (await transport.sendMail({
      from: mail.from,
      to: mail.to,
      replyTo: mail.replyTo ?? undefined,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      messageId: mail.messageId,
      headers: mail.headers,
    })) as { response?: string; rejected?: unknown[] };
    if (Array.isArray(info.rejected) && info.rejected.length > 0)
      return { ok: false, permanent: true, error: `rejected: ${info.response ?? ""}` };
    return { ok: true, response: info.response ?? "" };
  } catch (error) {
    const code = (error as { responseCode?: number }).responseCode;
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      permanent: typeof code === "number" && code >= 500 && code < 600,
      error: message.slice(0, 500),
    };
  }
}
