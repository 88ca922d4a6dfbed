import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseReview, verify } from "../../app/integrations/reviews/providers";

const url = new URL("https://comeback.test/webhooks/reviews/x?shop=a.myshopify.com");
const at = (seconds: number) => new Date(seconds * 1000);

describe("review provider signatures", () => {
  it("Okendo (Svix): accepts Svix's published example and rejects a stale or altered one", () => {
    // The worked example from Svix's "verifying payloads manually" guide.
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const headers = new Headers({
      "svix-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
      "svix-timestamp": "1614265330",
      "svix-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    });
    const rawBody = '{"test": 2432232314}';
    expect(verify("okendo", { rawBody, headers, url, now: at(1614265330 + 10) }, secret)).toEqual({
      ok: true,
      deliveryId: "msg_p5jXN8AQM9LWM0D4loKWxJek",
    });
    expect(verify("okendo", { rawBody, headers, url, now: at(1614265330 + 301) }, secret).ok).toBe(false);
    expect(verify("okendo", { rawBody: '{"test": 1}', headers, url, now: at(1614265330) }, secret).ok).toBe(false);
    // Several signatures (secret rotation): any valid v1 entry passes.
    headers.set("svix-signature", "v1,AAAA v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    expect(verify("okendo", { rawBody, headers, url, now: at(1614265330) }, secret).ok).toBe(true);
  });

  it("Judge.me: hex HMAC-SHA256 of the raw body with the API token", () => {
    const rawBody = JSON.stringify({ review: { id: 1 } });
    const good = createHmac("sha256", "token").update(rawBody).digest("hex");
    const check = (signature: string) =>
      verify(
        "judgeme",
        { rawBody, headers: new Headers({ "JUDGEME-HMAC-SHA256": signature }), url, now: new Date() },
        "token",
      ).ok;
    expect(check(good)).toBe(true);
    expect(check(good.toUpperCase())).toBe(true);
    expect(check(createHmac("sha256", "other").update(rawBody).digest("hex"))).toBe(false);
    expect(verify("judgeme", { rawBody, headers: new Headers(), url, now: new Date() }, "token").ok).toBe(false);
  });

  it("Stamped: the shared secret header; Yotpo: the URL token", () => {
    const base = { rawBody: "{}", url, now: new Date() };
    expect(verify("stamped", { ...base, headers: new Headers({ "X-Stamped-Webhook-Secret": "s3" }) }, "s3").ok).toBe(
      true,
    );
    expect(verify("stamped", { ...base, headers: new Headers({ "X-Stamped-Webhook-Secret": "s4" }) }, "s3").ok).toBe(
      false,
    );
    const withToken = new URL(url);
    withToken.searchParams.set("token", "tok");
    expect(verify("yotpo", { ...base, url: withToken, headers: new Headers() }, "tok").ok).toBe(true);
    expect(verify("yotpo", { ...base, headers: new Headers() }, "tok").ok).toBe(false);
  });

  it('generic: t=…,v1=… over "t.body" within 5 minutes', () => {
    const rawBody = '{"id":"r1"}';
    const t = 1_800_000_000;
    const v1 = createHmac("sha256", "gen").update(`${t}.${rawBody}`).digest("hex");
    const headers = new Headers({ "X-Comeback-Signature": `t=${t},v1=${v1}` });
    expect(verify("generic", { rawBody, headers, url, now: at(t + 60) }, "gen").ok).toBe(true);
    expect(verify("generic", { rawBody, headers, url, now: at(t + 600) }, "gen").ok).toBe(false);
    expect(verify("generic", { rawBody: '{"id":"r2"}', headers, url, now: at(t) }, "gen").ok).toBe(false);
  });

  it("reads each provider's payload into one review shape", () => {
    expect(
      parseReview("judgeme", {
        review: {
          id: 111,
          rating: 5,
          product_external_id: 632910392,
          reviewer: { email: "John@Example.com" },
          pictures: [{ urls: {} }],
        },
      }),
    ).toEqual({
      provider: "judgeme",
      externalId: "111",
      email: "john@example.com",
      productId: "632910392",
      rating: 5,
      hasPhoto: true,
    });
    expect(
      parseReview("okendo", {
        resource: {
          reviewId: "abc",
          productId: "shopify-632910392",
          rating: 4,
          reviewer: { email: "a@b.co" },
          media: [{ type: "image", isHidden: false }],
        },
      }),
    ).toMatchObject({ externalId: "abc", productId: "632910392", hasPhoto: true });
    expect(
      parseReview("yotpo", {
        event: "review_create",
        data: { id: "219", score: "5", customer_email: "x@example.com", external_product_id: "632910392" },
      }),
    ).toMatchObject({
      externalId: "219",
      rating: 5,
      productId: "632910392",
      hasPhoto: false,
    });
    expect(
      parseReview("stamped", {
        id: 14243711,
        customerEmail: "e@x.io",
        reviewRating: 3,
        productId: 2640569991268,
        reviewUserPhotos: null,
      }),
    ).toMatchObject({
      externalId: "14243711",
      productId: "2640569991268",
      hasPhoto: false,
    });
    expect(() => parseReview("generic", { email: "x@y.z" })).toThrow();
  });
});
