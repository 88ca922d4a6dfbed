import { useRouteLoaderData } from "@remix-run/react";
import { translator, type Locale } from "../i18n";

/** The admin user's language, from the app layout's loader, for every page below it. */
export function useLocale(): Locale {
  const data = useRouteLoaderData<{ locale: Locale }>("routes/app");
  return data?.locale ?? "en";
}

export function useT() {
  return translator(useLocale());
}
