import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

/**
 * A real SMTP server on a local TCP port, for the email tests: it accepts what the app's
 * SMTP client sends, parses each message with a MIME parser, and can answer a recipient
 * with a permanent 550 (a hard bounce) or a temporary 451.
 */
export interface SmtpSink {
  url: string;
  messages: ParsedMail[];
  /** Addresses answered with 550 at RCPT TO. */
  reject: Set<string>;
  /** Addresses answered with 451 (try later) at RCPT TO. */
  defer: Set<string>;
  to(address: string): ParsedMail[];
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: ParsedMail[] = [];
  const reject = new Set<string>();
  const defer = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      const to = address.address.toLowerCase();
      if (reject.has(to)) return callback(Object.assign(new Error("5.1.1 No such user"), { responseCode: 550 }));
      if (defer.has(to)) return callback(Object.assign(new Error("4.7.1 Try again later"), { responseCode: 451 }));
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          messages.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}?ignoreTLS=true`,
    messages,
    reject,
    defer,
    to: (address) =>
      messages.filter((m) =>
        (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).some((t) =>
          t.value.some((v) => v.address?.toLowerCase() === address.toLowerCase()),
        ),
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
