import { describe, expect, it } from "vitest";
import { requestLocale } from "../../app/http/locale";

/** The admin's language: Shopify's ?locale=, then the cookie it left, then the browser's languages. */
describe("the admin's language", () => {
  const request = (path: string, headers: Record<string, string> = {}) =>
    new Request(`https://comeback.test${path}`, { headers });

  it("follows Shopify's ?locale= and remembers it for the data requests that come without it", () => {
    const first = requestLocale(request("/app?locale=ru-RU", { "accept-language": "en-US" }));
    expect(first.locale).toBe("ru");
    expect(first.setCookie).toMatch(/^comeback_locale=ru;/);
    expect(
      requestLocale(request("/app/members", { cookie: "a=1; comeback_locale=ru", "accept-language": "en" })).locale,
    ).toBe("ru");
  });

  it("outside Shopify, takes the browser's first language the admin speaks, by preference", () => {
    expect(requestLocale(request("/app", { "accept-language": "de-DE,ru;q=0.8,en;q=0.5" })).locale).toBe("ru");
    expect(requestLocale(request("/app", { "accept-language": "en;q=0.4, ru-RU;q=0.9" })).locale).toBe("ru");
    expect(requestLocale(request("/app", { "accept-language": "ru;q=0, en-GB" })).locale).toBe("en");
    expect(requestLocale(request("/app", { "accept-language": "ja, de" })).locale).toBe("en");
    expect(requestLocale(request("/app")).locale).toBe("en");
  });
});
