/**
 * Proleptic Gregorian calendar arithmetic on day and microsecond counts since 1970-01-01, the calendar Spark 3+
 * uses for DATE and TIMESTAMP. Pure integer math, so it never depends on the host time zone or on `Date` parsing.
 */

/** A calendar date; `month` is 1..12 and `day` 1..31. Years may be ≤ 0 (year 0 is 1 BCE), as in java.time. */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

export const MICROS_PER_SECOND = 1_000_000n;
export const MICROS_PER_DAY = 86_400_000_000n;
export const SECONDS_PER_DAY = 86_400;

// Day counts are computed in 400-year eras of 146097 days, with March as the first month so the leap day is last.
const DAYS_PER_ERA = 146_097;

/** Days since 1970-01-01 of the given date. */
export function epochDayFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthFromMarch = month > 2 ? month - 3 : month + 9;
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * DAYS_PER_ERA + dayOfEra - 719_468;
}

/** The date `epochDay` days after 1970-01-01 (negative for earlier dates). */
export function civilFromEpochDay(epochDay: number): CivilDate {
  const z = epochDay + 719_468;
  const era = Math.floor(z / DAYS_PER_ERA);
  const dayOfEra = z - era * DAYS_PER_ERA;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Floor division for bigint (bigint `/` truncates toward zero, which is wrong for instants before 1970). */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** The non-negative remainder matching `floorDiv`. */
export function floorMod(a: bigint, b: bigint): bigint {
  const r = a % b;
  return r !== 0n && r < 0n !== b < 0n ? r + b : r;
}

/** Years as java.time prints them: 4 digits at least, a sign for years < 0 or > 9999. */
export function formatYear(year: number): string {
  if (year < 0) return "-" + String(-year).padStart(4, "0");
  return year > 9999 ? "+" + String(year) : String(year).padStart(4, "0");
}

export function pad2(n: number): string {
  return n < 10 ? "0" + n : String(n);
}

/** `YYYY-MM-DD` of a day count. */
export function formatEpochDay(epochDay: number): string {
  const { year, month, day } = civilFromEpochDay(epochDay);
  return `${formatYear(year)}-${pad2(month)}-${pad2(day)}`;
}

/** `.ffffff` for a non-zero microsecond fraction, else the empty string (so whole seconds print as `HH:MM:SS`). */
export function formatMicrosFraction(micros: number): string {
  return micros === 0 ? "" : "." + String(micros).padStart(6, "0");
}

/** `HH:MM:SS[.ffffff]` of microseconds within a day. */
export function formatTimeOfDay(microsOfDay: bigint): string {
  const seconds = Number(microsOfDay / MICROS_PER_SECOND);
  const fraction = Number(microsOfDay % MICROS_PER_SECOND);
  return `${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}${formatMicrosFraction(fraction)}`;
}

/** `YYYY-MM-DDTHH:MM:SS[.ffffff]` of microseconds since 1970-01-01T00:00 (wall clock, no zone). */
export function formatLocalMicros(epochMicros: bigint): string {
  const day = floorDiv(epochMicros, MICROS_PER_DAY);
  return `${formatEpochDay(Number(day))}T${formatTimeOfDay(epochMicros - day * MICROS_PER_DAY)}`;
}

/** Checks a year/month/day triple, naming the bad part. */
export function checkCivil(year: number, month: number, day: number): void {
  if (!Number.isInteger(year)) throw new RangeError(`year must be an integer, got ${year}`);
  if (!Number.isInteger(month) || month < 1 || month > 12) throw new RangeError(`month must be 1..12, got ${month}`);
  const max = daysInMonth(year, month);
  if (!Number.isInteger(day) || day < 1 || day > max) {
    throw new RangeError(`day must be 1..${max} for ${formatYear(year)}-${pad2(month)}, got ${day}`);
  }
}
