import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tierCauseText } from "../../app/i18n/reasons";

/** Every cause the services store for a tier change, as written in their source. */
function storedCauses(): string[] {
  const causes = new Set<string>();
  for (const dir of ["app/services", "app/services/admin"]) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
      const source = readFileSync(join(dir, file), "utf8");
      const calls = /(?:applyTierUpgrade|upgradeAfterEarning|upgradeMembersAfterEarning)\([^;]*?,\s*([`"])(.*?)\1/gs;
      for (const [, , cause] of source.matchAll(calls)) causes.add(cause!);
      for (const [, cause] of source.matchAll(/cause: `(.*?)`/g)) causes.add(cause!);
      for (const [, cause] of source.matchAll(/'((?:evaluation|override)[^']*)'/g)) causes.add(cause!);
    }
  }
  // Template parts become sample values.
  return [...causes].map((c) => c.replace(/\$\{[^}]*\}/g, "sample"));
}

describe("tier history causes", () => {
  it("reads every cause the services store in English and in Russian, keeping the merchant's words", () => {
    const causes = storedCauses();
    expect(causes.length).toBeGreaterThanOrEqual(14);
    const untranslated = causes.filter((cause) => tierCauseText("ru", cause) === cause);
    expect(untranslated).toEqual([]);
    expect(tierCauseText("ru", "override ended: Promotion is over")).toBe("Ручной уровень снят: Promotion is over");
    expect(tierCauseText("en", "override ended: qualifies")).toBe("Manual tier ended: the member earned this tier");
    expect(tierCauseText("ru", "order #1001")).toBe("Заказ #1001");
    expect(tierCauseText("ru", "follow: instagram")).toContain("Instagram");
    // Older or unknown causes stay readable as stored.
    expect(tierCauseText("ru", "migrated from Smile")).toBe("migrated from Smile");
  });
});
