/**
 * Time arithmetic in a shop's time zone, without a date library: the zone's offset at an
 * instant comes from Intl, which knows every zone's rules and their history.
 */
export const DAY_MS = 86_400_000;

/**
 * The year a birthday is stored with when the member gave none: a leap year, so
 * February 29th is a valid date. The widget, the import and the export all read it so.
 */
export const UNKNOWN_BIRTH_YEAR = 2000;

/** How far the zone's wall clock is ahead of UTC at `at`, in milliseconds. */
export function zoneOffsetMs(at: Date, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return asUtc - at.getTime();
}

/** Midnight of January 1st of the zone's year containing `at`, `yearOffset` years away. */
export function calendarYearStart(at: Date, timeZone: string, yearOffset = 0): Date {
  const year = Number(new Intl.DateTimeFormat("en", { timeZone, year: "numeric" }).format(at)) + yearOffset;
  const guess = Date.UTC(year, 0, 1);
  return new Date(guess - zoneOffsetMs(new Date(guess), timeZone));
}

/** The same instant a year earlier (February 29th falls back to March 1st). */
export function twelveMonthsBefore(at: Date): Date {
  const start = new Date(at);
  start.setUTCFullYear(start.getUTCFullYear() - 1);
  return start;
}

/** The calendar day of an instant in a time zone, as yyyy-mm-dd. */
export function localDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

/** The day `count` days after (or before) a yyyy-mm-dd day. */
export function addDays(day: string, count: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + count * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The instant a yyyy-mm-dd day starts in a time zone. The offset is read twice: once at
 * the UTC guess and once at the answer, so a day that starts next to a daylight-saving
 * change still starts at its own offset.
 */
export function zonedMidnight(day: string, timeZone: string): Date {
  const guess = Date.parse(`${day}T00:00:00Z`);
  const first = guess - zoneOffsetMs(new Date(guess), timeZone);
  return new Date(guess - zoneOffsetMs(new Date(first), timeZone));
}
