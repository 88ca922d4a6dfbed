import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { currencyExponent, formatMoney, minorToDecimalString, MoneyError, parseMinor } from "../../app/domain/money";

describe("money", () => {
  it("knows each currency's minor unit", () => {
    expect(currencyExponent("USD")).toBe(2);
    expect(currencyExponent("rub")).toBe(2);
    expect(currencyExponent("JPY")).toBe(0);
    expect(currencyExponent("KWD")).toBe(3);
    expect(() => currencyExponent("ZZZZ")).toThrow(MoneyError);
  });

  it("parses Shopify's decimal strings exactly", () => {
    expect(parseMinor("199.00", "USD")).toBe(19900n);
    expect(parseMinor("0.10", "USD")).toBe(10n);
    expect(parseMinor("1999", "JPY")).toBe(1999n);
    expect(parseMinor("1.234", "KWD")).toBe(1234n);
    expect(parseMinor("10.5", "USD")).toBe(1050n);
    expect(parseMinor("-3.25", "EUR")).toBe(-325n);
    // Apps sometimes send more precision than the currency has: rounded half away from zero.
    expect(parseMinor("10.005", "USD")).toBe(1001n);
    expect(parseMinor("10.004", "USD")).toBe(1000n);
    expect(parseMinor(19.99, "USD")).toBe(1999n);
  });

  it("refuses what is not an amount", () => {
    for (const bad of ["", "abc", "1e5", "1,00", "NaN", "12.", ".5", "1234567890123456789"]) {
      expect(() => parseMinor(bad, "USD"), bad).toThrow(MoneyError);
    }
    expect(() => parseMinor(Number.POSITIVE_INFINITY, "USD")).toThrow(MoneyError);
  });

  it("round-trips every amount through its decimal string", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }),
        fc.constantFrom("USD", "JPY", "KWD"),
        (minor, currency) => {
          expect(parseMinor(minorToDecimalString(minor, currency), currency)).toBe(minor);
        },
      ),
    );
  });

  it("formats for people in en and ru", () => {
    expect(formatMoney(123456n, "USD", "en")).toBe("$1,234.56");
    expect(formatMoney(123456n, "RUB", "ru").replace(/\s/g, " ")).toBe("1 234,56 ₽");
    expect(formatMoney(1500n, "JPY", "en")).toBe("¥1,500");
  });
});
