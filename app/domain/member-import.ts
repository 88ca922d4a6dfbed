import { UNKNOWN_BIRTH_YEAR } from "./time";
import { normalizeEmail, parseDbId } from "./validation";

/**
 * Member files from other loyalty apps: which app a header row comes from, which column
 * holds what, and each row read into the fields Comeback imports, with the reasons a row
 * cannot be. Pure: the upload, the database and Shopify are elsewhere.
 *
 * Column names are the ones each vendor documents for its import or export files
 * (links beside each format); a file whose columns match no format is mapped by hand.
 */

export const IMPORT_FIELDS = [
  "email",
  "customerId",
  "firstName",
  "lastName",
  "fullName",
  "points",
  "tier",
  "birthday",
  "referralCode",
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
export type ColumnMapping = Partial<Record<ImportField, number>>;

/** How a format writes birthdays. */
type BirthdayStyle = "iso" | "us" | "any";

interface ImportFormat {
  id: string;
  /** Shown to the merchant. */
  label: string;
  /** Where its columns are documented. */
  source: string;
  /** Lower-cased header names per field; the first that is present wins. */
  columns: Partial<Record<ImportField, string[]>>;
  /** A header that only this format has, so it wins over a look-alike. */
  marker?: (headers: string[]) => boolean;
  birthdays: BirthdayStyle;
}

export const IMPORT_FORMATS: readonly ImportFormat[] = [
  {
    id: "comeback",
    label: "Comeback",
    source: "README: Members CSV",
    columns: {
      email: ["email"],
      customerId: ["shopify_customer_id"],
      firstName: ["first_name"],
      lastName: ["last_name"],
      points: ["points_balance"],
      tier: ["tier"],
      birthday: ["birthday"],
      referralCode: ["referral_code"],
    },
    marker: (h) => h.includes("points_balance") && h.includes("shopify_customer_id"),
    birthdays: "iso",
  },
  {
    id: "rivo",
    label: "Rivo",
    source: "https://help.rivo.io/en/articles/6671188-using-csv-files-with-rivo-loyalty",
    columns: {
      email: ["email", "customer email"],
      customerId: ["shopify customer id"],
      points: ["points balance"],
      tier: ["vip tier"],
      birthday: ["birthdate"],
    },
    marker: (h) => h.includes("vip tier") || h.includes("birthdate") || h.includes("credits balance"),
    birthdays: "any",
  },
  {
    id: "yotpo",
    label: "Yotpo Loyalty (Swell)",
    source: "https://support.yotpo.com/v1/docs/importingexporting-points-and-customers",
    columns: {
      email: ["email"],
      firstName: ["first name"],
      lastName: ["last name"],
      fullName: ["full name"],
      points: ["points balance"],
      birthday: ["birthday (mm/dd) or (mm/dd/yyyy)", "birthday"],
    },
    marker: (h) => h.includes("points spent") || h.some((name) => name.startsWith("birthday (mm/dd)")),
    birthdays: "us",
  },
  {
    id: "joy",
    label: "Joy Loyalty",
    source: "https://help.joy.so/new-joy-loyalty/customers/import-customer-data",
    columns: {
      email: ["email"],
      fullName: ["name"],
      points: ["points"],
      tier: ["membership type"],
      birthday: ["birthday(mm/dd)", "birthday"],
    },
    marker: (h) => h.includes("membership type") || h.includes("birthday(mm/dd)"),
    birthdays: "us",
  },
  {
    id: "bon",
    label: "BON Loyalty",
    source: "https://bonloyalty.com/docs/customers/import-customer-data-via-csv-file",
    columns: {
      email: ["customer email", "customer emails", "email"],
      customerId: ["shopify customer id", "shopify customer ids", "shopify id"],
      points: ["points", "points balance"],
    },
    marker: (h) => h.some((name) => name.startsWith("shopify customer id") || name === "shopify id"),
    birthdays: "any",
  },
  {
    // Smile.io's points import and LoyaltyLion's (its support asks for email and points
    // columns) have the same shape: points added to the balance.
    id: "smile",
    label: "Smile.io / LoyaltyLion",
    source: "https://help.smile.io/en/articles/4036233-import-points-with-a-csv-file",
    columns: {
      email: ["email"],
      firstName: ["first_name"],
      lastName: ["last_name"],
      points: ["points", "points_balance"],
      tier: ["vip_status", "vip_tier"],
      birthday: ["date_of_birth", "birthday"],
      referralCode: ["referral_code"],
    },
    birthdays: "iso",
  },
];

export function importFormat(id: string): ImportFormat | null {
  return IMPORT_FORMATS.find((format) => format.id === id) ?? null;
}

const headerName = (text: string) =>
  text
    .replace(/^\uFEFF/, "")
    .trim()
    .toLowerCase()
    .replace(/\s+/g, " ");

function mappingFor(format: ImportFormat, headers: string[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  for (const field of IMPORT_FIELDS) {
    for (const name of format.columns[field] ?? []) {
      const index = headers.indexOf(name);
      if (index >= 0) {
        mapping[field] = index;
        break;
      }
    }
  }
  return mapping;
}

/** A mapping can import when it names who (email or Shopify id) and how many points. */
export function mappingComplete(mapping: ColumnMapping): boolean {
  return (mapping.email !== undefined || mapping.customerId !== undefined) && mapping.points !== undefined;
}

/**
 * The format a header row comes from and its columns; "generic" with whatever could be
 * guessed when no format's columns are all there (the merchant completes the mapping).
 */
export function detectFormat(header: string[]): { format: string; mapping: ColumnMapping } {
  const headers = header.map(headerName);
  const candidates = IMPORT_FORMATS.map((format) => ({ format, mapping: mappingFor(format, headers) })).filter(
    ({ mapping }) => mappingComplete(mapping),
  );
  const marked = candidates.find(({ format }) => format.marker?.(headers));
  const chosen = marked ?? candidates.find(({ format }) => !format.marker);
  if (chosen) return { format: chosen.format.id, mapping: chosen.mapping };
  // A best guess from every format's names, for the mapping form to start from.
  const guess: ColumnMapping = {};
  for (const format of IMPORT_FORMATS)
    for (const [field, index] of Object.entries(mappingFor(format, headers))) guess[field as ImportField] ??= index;
  return { format: "generic", mapping: guess };
}

/** Why a row cannot be imported (each has en and ru text in the admin). */
export type RowError =
  | "no_customer"
  | "bad_email"
  | "bad_customer_id"
  | "no_points"
  | "bad_points"
  | "negative_points"
  | "too_many_points"
  | "bad_birthday"
  | "unknown_tier"
  | "bad_referral_code"
  | "duplicate";

export interface ImportedRow {
  email: string | null;
  customerId: bigint | null;
  firstName: string | null;
  lastName: string | null;
  points: number | null;
  tier: string | null;
  /** yyyy-mm-dd; UNKNOWN_BIRTH_YEAR-mm-dd when the file gives no year. */
  birthday: string | null;
  referralCode: string | null;
  errors: RowError[];
}

const MAX_POINTS = 100_000_000;
const REFERRAL_CODE = /^[A-Za-z0-9_-]{3,32}$/;

/** Whole points: "1250", "1250.00"; not "1,250" (Smile and Yotpo say no separators), not 12.5. */
export function parsePoints(text: string): number | RowError {
  const value = text.trim();
  if (!/^-?\d+(?:\.0+)?$/.test(value)) return "bad_points";
  const points = Number(value.replace(/\.0+$/, ""));
  if (points < 0) return "negative_points";
  return points > MAX_POINTS ? "too_many_points" : points;
}

function isoDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

/**
 * A birthday as the format writes it: ISO yyyy-mm-dd (Smile: year 1004 means unknown),
 * --mm-dd (ISO 8601 without a year, as Comeback exports it), US mm/dd or mm/dd/yyyy
 * (Yotpo, Joy), or European dd.mm.yyyy and dd.mm.
 */
export function parseBirthday(text: string, style: BirthdayStyle, today = new Date()): string | null {
  const value = text.trim();
  let year: number | null = null;
  let month: number;
  let day: number;
  let match: RegExpExecArray | null;
  if ((match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value))) {
    [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if ((match = /^--(\d{2})-(\d{2})$/.exec(value))) {
    [month, day] = [Number(match[1]), Number(match[2])];
  } else if (style !== "iso" && (match = /^(\d{1,2})\/(\d{1,2})(?:\/(\d{4}))?$/.exec(value))) {
    [month, day] = [Number(match[1]), Number(match[2])];
    year = match[3] ? Number(match[3]) : null;
  } else if ((match = /^(\d{1,2})\.(\d{1,2})(?:\.(\d{4}))?$/.exec(value))) {
    [day, month] = [Number(match[1]), Number(match[2])];
    year = match[3] ? Number(match[3]) : null;
  } else if (style === "any" && (match = /^(\d{2})-(\d{2})$/.exec(value))) {
    [month, day] = [Number(match[1]), Number(match[2])];
  } else return null;
  // Smile writes an unknown year as 1004; any year before 1900 or in the future is no year.
  if (year !== null && (year < 1900 || year > today.getUTCFullYear())) year = null;
  return isoDate(year ?? UNKNOWN_BIRTH_YEAR, month, day);
}

/** Reads one row with a mapping; tiers are checked later against the shop's. */
export function readRow(cells: string[], mapping: ColumnMapping, format: string): ImportedRow {
  const cell = (field: ImportField) => {
    const index = mapping[field];
    // An apostrophe before =, +, - or @ is the export's guard against spreadsheet formulas.
    const value = index === undefined ? "" : (cells[index] ?? "").trim().replace(/^'(?=[=+\-@])/, "");
    return value === "" ? null : value;
  };
  const errors: RowError[] = [];
  const emailText = cell("email");
  const email = emailText ? normalizeEmail(emailText) : null;
  if (emailText && (!email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))) errors.push("bad_email");
  const idText = cell("customerId")?.replace(/^gid:\/\/shopify\/Customer\//, "") ?? null;
  const customerId = idText ? parseDbId(idText) : null;
  if (idText && customerId === null) errors.push("bad_customer_id");
  if (!emailText && !idText) errors.push("no_customer");
  const pointsText = cell("points");
  const points = pointsText === null ? null : parsePoints(pointsText);
  if (pointsText === null) errors.push("no_points");
  else if (typeof points === "string") errors.push(points);
  const birthdayText = cell("birthday");
  const style = importFormat(format)?.birthdays ?? "any";
  const birthday = birthdayText ? parseBirthday(birthdayText, style) : null;
  if (birthdayText && !birthday) errors.push("bad_birthday");
  const referralCode = cell("referralCode");
  if (referralCode && !REFERRAL_CODE.test(referralCode)) errors.push("bad_referral_code");
  let firstName = cell("firstName");
  let lastName = cell("lastName");
  const fullName = cell("fullName");
  if (fullName && !firstName && !lastName) {
    const [first, ...rest] = fullName.split(/\s+/);
    firstName = first ?? null;
    lastName = rest.join(" ") || null;
  }
  return {
    email: errors.includes("bad_email") ? null : email,
    customerId,
    firstName: firstName?.slice(0, 100) ?? null,
    lastName: lastName?.slice(0, 100) ?? null,
    points: typeof points === "number" ? points : null,
    tier: cell("tier")?.slice(0, 100) ?? null,
    birthday,
    referralCode: errors.includes("bad_referral_code") ? null : (referralCode?.toUpperCase() ?? null),
    errors,
  };
}

/**
 * The field separator of a CSV from its first lines: the one of comma, semicolon and tab
 * that splits the header most often outside quotes (Excel in Russian writes semicolons).
 */
export function detectDelimiter(sample: string): "," | ";" | "\t" {
  const firstLine = sample.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
  let quoted = false;
  const counts = { ",": 0, ";": 0, "\t": 0 };
  for (const char of firstLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && char in counts) counts[char as keyof typeof counts] += 1;
  }
  const best = (Object.entries(counts) as Array<[keyof typeof counts, number]>).sort((a, b) => b[1] - a[1])[0]!;
  return best[1] > 0 ? best[0] : ",";
}

/** A birthday as Comeback exports it: yyyy-mm-dd, or --mm-dd when the year is not known. */
export function exportBirthday(birthday: Date | null): string {
  if (!birthday) return "";
  const iso = birthday.toISOString().slice(0, 10);
  return birthday.getUTCFullYear() === UNKNOWN_BIRTH_YEAR ? `--${iso.slice(5)}` : iso;
}
