import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import prisma from "../db.server";
import { languageOf } from "../domain/localized";
import { verifyLink } from "../integrations/email/links.server";
import { htmlResponse, mailPage, pageText } from "../integrations/email/pages";
import { appConfig } from "../platform/runtime.server";
import { messageRecipient, unsubscribeFromMessage } from "../services/messages";

/**
 * /m/u/<token>: the List-Unsubscribe address (RFC 8058). A POST (the mail client's
 * one-click, or the button on this page) unsubscribes from the message's category. A GET
 * only shows the button: link scanners follow GETs, and must not unsubscribe anyone.
 */
async function message(token: string) {
  const id = verifyLink(appConfig().apiSecret, "unsubscribe", token);
  return id ? messageRecipient(prisma, id) : null;
}

export const loader = async ({ params }: LoaderFunctionArgs) => {
  const found = await message(params.token ?? "");
  const language = languageOf(found?.locale) ?? "en";
  if (!found)
    return htmlResponse(
      mailPage(language, pageText("unsub_title", language), `<p>${pageText("pref_invalid", language)}</p>`),
      404,
    );
  return htmlResponse(
    mailPage(
      language,
      pageText("unsub_title", language),
      `<h1>${pageText("unsub_title", language)}</h1><form method="post"><button type="submit">${pageText("unsub_confirm", language)}</button></form>`,
    ),
  );
};

export const action = async ({ params }: ActionFunctionArgs) => {
  const found = await message(params.token ?? "");
  const language = languageOf(found?.locale) ?? "en";
  if (!found)
    return htmlResponse(
      mailPage(language, pageText("unsub_title", language), `<p>${pageText("pref_invalid", language)}</p>`),
      404,
    );
  await unsubscribeFromMessage(prisma, found.id);
  return htmlResponse(
    mailPage(
      language,
      pageText("unsub_title", language),
      `<h1>${pageText("unsub_title", language)}</h1><p role="status">${pageText("unsub_done", language)}</p>`,
    ),
  );
};
