import { InvalidInputError } from "./errors";

/**
 * Money as integers: an amount in minor units (cents, kopecks, yen) with its ISO 4217
 * currency. Shopify sends amounts as decimal strings ("19.99"); they are parsed exactly,
 * never through floating point.
 */
export interface Money {
  amountMinor: bigint;
  currency: string;
}

const exponentCache = new Map<string, number>();

/** Number of minor-unit digits for a currency (USD 2, JPY 0, KWD 3). */
export function currencyExponent(currency: string): number {
  const code = currency.toUpperCase();
  let exponent = exponentCache.get(code);
  if (exponent === undefined) {
    try {
      exponent = new Intl.NumberFormat("en", { style: "currency", currency: code }).resolvedOptions()
        .maximumFractionDigits!;
    } catch {
      throw new MoneyError(`unknown currency "${currency}"`);
    }
    exponentCache.set(code, exponent);
  }
  return exponent;
}

export class MoneyError extends InvalidInputError {
  override name = "MoneyError";
}

const DECIMAL = /^(-)?(\d{1,15})(?:\.(\d{1,6}))?$/;

/**
 * Parses a decimal string into minor units of `currency`. Extra precision beyond the
 * currency's exponent is rounded half away from zero (Shopify sends at most the
 * currency's precision, but some apps send "10.005").
 */
export function parseMinor(value: string | number, currency: string): bigint {
  const text = typeof value === "number" ? numberToPlain(value) : value.trim();
  const match = DECIMAL.exec(text);
  if (!match) throw new MoneyError(`"${value}" is not a decimal amount`);
  const [, sign, whole, fraction = ""] = match;
  const exponent = currencyExponent(currency);
  const padded = fraction.padEnd(exponent, "0");
  let minor = BigInt(whole! + padded.slice(0, exponent));
  const rest = padded.slice(exponent);
  if (rest && Number(rest[0]) >= 5) minor += 1n;
  return sign ? -minor : minor;
}

function numberToPlain(value: number): string {
  if (!Number.isFinite(value)) throw new MoneyError(`"${value}" is not a decimal amount`);
  return value.toFixed(6).replace(/\.?0+$/, "");
}

/** Formats minor units for people, in their locale, with the currency's symbol. */
export function formatMoney(amountMinor: bigint | number, currency: string, locale = "en"): string {
  const exponent = currencyExponent(currency);
  const minor = BigInt(amountMinor);
  const negative = minor < 0n;
  const abs = negative ? -minor : minor;
  const divisor = 10n ** BigInt(exponent);
  // Through a decimal string so that large amounts keep every digit.
  const major = `${negative ? "-" : ""}${abs / divisor}${exponent ? "." + (abs % divisor).toString().padStart(exponent, "0") : ""}`;
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(major as unknown as number);
}

export function minorToDecimalString(amountMinor: bigint, currency: string): string {
  const exponent = currencyExponent(currency);
  const negative = amountMinor < 0n;
  const abs = negative ? -amountMinor : amountMinor;
  const divisor = 10n ** BigInt(exponent);
  const fraction = exponent ? "." + (abs % divisor).toString().padStart(exponent, "0") : "";
  return `${negative ? "-" : ""}${abs / divisor}${fraction}`;
}

/** floor(a / b) for non-negative bigints, and for negatives rounding toward -infinity. */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** ceil(a / b) for bigints. */
export function ceilDiv(a: bigint, b: bigint): bigint {
  return -floorDiv(-a, b);
}
