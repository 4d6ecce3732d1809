/**
 * Lossless JS values for the Spark types that no JS primitive holds exactly: DECIMAL (`Decimal`), DATE
 * (`LocalDate`), TIMESTAMP (`Timestamp`, an instant shown in a time zone), TIMESTAMP_NTZ (`LocalDateTime`), TIME
 * (`LocalTime`), the three interval types and GEOMETRY/GEOGRAPHY (VARIANT's `VariantValue` is in variant.ts).
 * Each keeps Spark's full precision, prints an exact ISO-8601-like string from `toString`/`toJSON`, and offers
 * lossy JS forms only under explicit names (`toNumber`, `toDate`).
 */
import {
  checkCivil,
  civilFromEpochDay,
  epochDayFromCivil,
  floorDiv,
  formatEpochDay,
  formatLocalMicros,
  formatMicrosFraction,
  MICROS_PER_DAY,
  MICROS_PER_SECOND,
  pad2,
} from "./calendar.ts";
import { formatOffset, offsetResolver } from "./time-zone.ts";

/** Node's hook for `console.log`/REPL display: values show as `Decimal(1.50)` rather than their fields. */
const inspect = Symbol.for("nodejs.util.inspect.custom");

/**
 * A value that prints as its Spark text: `console.log` shows `Name(text)` and `JSON.stringify` writes the text.
 * Subclasses define `toString()` (and `equals`).
 */
abstract class TextValue {
  abstract toString(): string;
  [inspect](): string {
    return `${this.constructor.name}(${this.toString()})`;
  }
  toJSON(): string {
    return this.toString();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Decimal

const MAX_PRECISION = 38;
const DECIMAL_TEXT = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

// 10^0 … 10^38: the bound a precision allows, compared instead of counting digits (decoding builds many Decimals).
const POWERS_OF_TEN: readonly bigint[] = Array.from({ length: MAX_PRECISION + 1 }, (_, n) => 10n ** BigInt(n));

function digitCount(value: bigint): number {
  return (value < 0n ? -value : value).toString().length;
}

/** Divides by 10^drop with ROUND_HALF_UP, Spark's rounding for casts and arithmetic. */
function roundHalfUp(unscaled: bigint, drop: number): bigint {
  const divisor = pow10(drop);
  const quotient = unscaled / divisor;
  const remainder = unscaled % divisor;
  const twice = (remainder < 0n ? -remainder : remainder) * 2n;
  if (twice >= divisor) return unscaled < 0n ? quotient - 1n : quotient + 1n;
  return quotient;
}

/**
 * An exact decimal number: `unscaled × 10^-scale`, with Spark's `precision` (total digits, ≤ 38) and `scale`.
 * Arithmetic on JS floats would lose digits beyond 2^53, so the value is a bigint; convert with `toNumber()` only
 * when a float is really wanted. Using a Decimal where a number is expected (`d * 2`) throws instead of rounding.
 * @example Decimal.parse("-12.50").toString() // "-12.50" (precision 4, scale 2)
 */
export class Decimal extends TextValue {
  constructor(
    readonly unscaled: bigint,
    readonly precision: number,
    readonly scale: number,
  ) {
    super();
    if (typeof unscaled !== "bigint")
      throw new TypeError(`Decimal unscaled value must be a bigint, got ${typeof unscaled}`);
    if (!Number.isInteger(precision) || precision < 1 || precision > MAX_PRECISION) {
      throw new RangeError(`Decimal precision must be an integer in 1..${MAX_PRECISION}, got ${precision}`);
    }
    if (!Number.isInteger(scale) || scale < 0 || scale > precision) {
      throw new RangeError(`Decimal scale must be an integer in 0..precision (${precision}), got ${scale}`);
    }
    if ((unscaled < 0n ? -unscaled : unscaled) >= (POWERS_OF_TEN[precision] as bigint)) {
      throw new RangeError(
        `Decimal ${unscaledToString(unscaled, scale)} has ${digitCount(unscaled)} digits, more than precision ${precision}`,
      );
    }
  }

  /**
   * Parses `"123"`, `"-0.05"`, `"1.5e3"`. Without a scale the text's own scale is kept; with one, the value is
   * rounded half-up to it (as Spark's cast does). Precision defaults to the digits needed. Throws a RangeError
   * when the value does not fit the precision.
   */
  static parse(text: string, precision?: number, scale?: number): Decimal {
    const match = DECIMAL_TEXT.exec(text.trim());
    const whole = match?.[2] ?? "";
    const fraction = match?.[3] ?? "";
    if (!match || whole.length + fraction.length === 0) {
      throw new SyntaxError(
        `not a decimal number: "${text}" (expected digits with an optional sign, point and exponent)`,
      );
    }
    let unscaled = BigInt(whole + fraction || "0");
    if (match[1] === "-") unscaled = -unscaled;
    let ownScale = fraction.length - Number(match[4] ?? 0);
    if (ownScale < 0) {
      unscaled *= pow10(-ownScale);
      ownScale = 0;
    }
    return Decimal.fromUnscaled(unscaled, ownScale, precision, scale);
  }

  /**
   * Builds a Decimal from a string, a bigint (an integer) or a JS number (via its shortest exact decimal text,
   * so `0.1` becomes 0.1, not the binary float's 55 digits). Precision and scale work as in `parse`.
   */
  static from(value: string | bigint | number | Decimal, precision?: number, scale?: number): Decimal {
    if (value instanceof Decimal) return Decimal.fromUnscaled(value.unscaled, value.scale, precision, scale);
    if (typeof value === "bigint") return Decimal.fromUnscaled(value, 0, precision, scale);
    if (typeof value === "number") {
      if (!Number.isFinite(value)) throw new RangeError(`cannot make a Decimal from ${value}`);
      return Decimal.parse(String(value), precision, scale);
    }
    if (typeof value === "string") return Decimal.parse(value, precision, scale);
    throw new TypeError(`cannot make a Decimal from ${typeof value}`);
  }

  private static fromUnscaled(unscaled: bigint, ownScale: number, precision?: number, scale?: number): Decimal {
    let value = unscaled;
    let targetScale = ownScale;
    if (scale !== undefined) {
      if (!Number.isInteger(scale) || scale < 0 || scale > MAX_PRECISION) {
        throw new RangeError(`Decimal scale must be an integer in 0..${MAX_PRECISION}, got ${scale}`);
      }
      value = scale >= ownScale ? value * pow10(scale - ownScale) : roundHalfUp(value, ownScale - scale);
      targetScale = scale;
    }
    const needed = Math.max(digitCount(value), targetScale, 1);
    if (precision === undefined && needed > MAX_PRECISION) {
      throw new RangeError(
        `Decimal ${unscaledToString(value, targetScale)} needs ${needed} digits, more than Spark's maximum of ${MAX_PRECISION}`,
      );
    }
    return new Decimal(value, precision ?? needed, targetScale);
  }

  /** This value at another scale (rounded half-up when digits are dropped) and, optionally, another precision. */
  rescale(scale: number, precision?: number): Decimal {
    return Decimal.fromUnscaled(
      this.unscaled,
      this.scale,
      precision ?? Math.max(this.precision - this.scale + scale, 1),
      scale,
    );
  }

  /** The exact decimal text, with exactly `scale` fraction digits (Spark prints `1.50` for DECIMAL(3,2)). */
  toString(): string {
    return unscaledToString(this.unscaled, this.scale);
  }

  /** JSON carries the exact text (a string), never a float. */

  /** The nearest JS number: lossy beyond 15–17 significant digits. */
  toNumber(): number {
    return Number(this.toString());
  }

  /** -1, 0 or 1: numeric comparison, independent of scale and precision. */
  compareTo(other: Decimal): number {
    const scale = Math.max(this.scale, other.scale);
    const a = this.unscaled * pow10(scale - this.scale);
    const b = other.unscaled * pow10(scale - other.scale);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** Numeric equality: `1.50` equals `1.5`. Compare `toString()` for an exact-representation check. */
  equals(other: Decimal): boolean {
    return this.compareTo(other) === 0;
  }

  [Symbol.toPrimitive](hint: string): string {
    if (hint === "number") {
      throw new TypeError(`Decimal ${this.toString()} is exact; call toNumber() to get a (lossy) JS number`);
    }
    return this.toString();
  }
}

function unscaledToString(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString();
  if (scale === 0) return (negative ? "-" : "") + digits;
  const padded = digits.padStart(scale + 1, "0");
  const point = padded.length - scale;
  return `${negative ? "-" : ""}${padded.slice(0, point)}.${padded.slice(point)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Dates and times

const DATE_TEXT = /^([+-]?\d{4,})-(\d{2})-(\d{2})$/;
const LOCAL_DATE_TIME_TEXT = /^([+-]?\d{4,})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?$/;
const OFFSET_TEXT = /(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)$/;
const TIME_TEXT = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;

function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in ${min}..${max}, got ${value}`);
  }
}

/** Microseconds of the `.ffffff…` text (digits beyond the sixth are truncated, as Spark does). */
function fractionMicros(text: string | undefined): number {
  return text === undefined ? 0 : Number(text.padEnd(6, "0").slice(0, 6));
}

function localMicrosFromParts(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  microsecond: number,
): bigint {
  checkCivil(year, month, day);
  checkInteger("hour", hour, 0, 23);
  checkInteger("minute", minute, 0, 59);
  checkInteger("second", second, 0, 59);
  checkInteger("microsecond", microsecond, 0, 999_999);
  const seconds = (hour * 60 + minute) * 60 + second;
  return (
    BigInt(epochDayFromCivil(year, month, day)) * MICROS_PER_DAY +
    BigInt(seconds) * MICROS_PER_SECOND +
    BigInt(microsecond)
  );
}

function parseLocalMicros(text: string, what: string): bigint {
  const m = LOCAL_DATE_TIME_TEXT.exec(text);
  if (!m) throw new SyntaxError(`not a ${what}: "${text}" (expected YYYY-MM-DD[THH:MM[:SS[.ffffff]]])`);
  return localMicrosFromParts(
    Number(m[1]),
    Number(m[2]),
    Number(m[3]),
    Number(m[4] ?? 0),
    Number(m[5] ?? 0),
    Number(m[6] ?? 0),
    fractionMicros(m[7]),
  );
}

/** Field view of wall-clock microseconds since 1970-01-01T00:00. */
interface LocalFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  microsecond: number;
}

function fieldsOfLocalMicros(micros: bigint): LocalFields {
  const day = floorDiv(micros, MICROS_PER_DAY);
  const ofDay = micros - day * MICROS_PER_DAY;
  const seconds = Number(ofDay / MICROS_PER_SECOND);
  return {
    ...civilFromEpochDay(Number(day)),
    hour: Math.floor(seconds / 3600),
    minute: Math.floor(seconds / 60) % 60,
    second: seconds % 60,
    microsecond: Number(ofDay % MICROS_PER_SECOND),
  };
}

/**
 * A calendar date (Spark DATE) with no time zone, so it never shifts by a day the way `new Date("2024-01-01")`
 * can. Stored as days since 1970-01-01 in the proleptic Gregorian calendar, as Spark stores it.
 * @example LocalDate.of(2024, 2, 29).toString() // "2024-02-29"
 */
export class LocalDate extends TextValue {
  constructor(readonly epochDay: number) {
    super();
    if (!Number.isSafeInteger(epochDay)) throw new RangeError(`LocalDate epochDay must be an integer, got ${epochDay}`);
  }

  static of(year: number, month: number, day: number): LocalDate {
    checkCivil(year, month, day);
    return new LocalDate(epochDayFromCivil(year, month, day));
  }

  /** Parses `YYYY-MM-DD`. */
  static parse(text: string): LocalDate {
    const m = DATE_TEXT.exec(text);
    if (!m) throw new SyntaxError(`not a date: "${text}" (expected YYYY-MM-DD)`);
    return LocalDate.of(Number(m[1]), Number(m[2]), Number(m[3]));
  }

  get year(): number {
    return civilFromEpochDay(this.epochDay).year;
  }
  get month(): number {
    return civilFromEpochDay(this.epochDay).month;
  }
  get day(): number {
    return civilFromEpochDay(this.epochDay).day;
  }

  /** A JS Date at midnight UTC of this day (read it back with the `getUTC*` methods). */
  toDate(): Date {
    return new Date(this.epochDay * 86_400_000);
  }

  toString(): string {
    return formatEpochDay(this.epochDay);
  }
  equals(other: LocalDate): boolean {
    return this.epochDay === other.epochDay;
  }
}

/**
 * An instant (Spark TIMESTAMP, i.e. TIMESTAMP_LTZ) with microsecond precision, carrying the time zone it is shown
 * in: decoded values carry the session time zone (`spark.sql.session.timeZone`), so `hour`, `toString()` etc. match
 * what Spark shows. `epochMicros` is the zone-independent instant; two Timestamps are `equals` when their instants are.
 * @example new Timestamp(1_704_067_200_000_001n, "Europe/Paris").toString() // "2024-01-01T01:00:00.000001+01:00"
 */
export class Timestamp extends TextValue {
  constructor(
    readonly epochMicros: bigint,
    readonly timeZone: string = "UTC",
  ) {
    super();
    if (typeof epochMicros !== "bigint") {
      throw new TypeError(`Timestamp epochMicros must be a bigint, got ${typeof epochMicros}`);
    }
    offsetResolver(timeZone);
  }

  /** The instant of a JS Date (millisecond precision). */
  static fromDate(date: Date, timeZone = "UTC"): Timestamp {
    const millis = date.getTime();
    if (Number.isNaN(millis)) throw new RangeError("cannot make a Timestamp from an invalid Date");
    return new Timestamp(BigInt(millis) * 1000n, timeZone);
  }

  /**
   * Parses an ISO-8601 date-time. With an offset (`Z`, `+01:00`) it is that instant; without one it is a wall-clock
   * time in `timeZone` (for a wall time skipped by a DST jump, the offset before the jump is used).
   */
  static parse(text: string, timeZone = "UTC"): Timestamp {
    const offset = OFFSET_TEXT.exec(text);
    const hasTime = /[T ]\d{2}:\d{2}/.test(text);
    if (offset && hasTime) {
      const local = parseLocalMicros(text.slice(0, offset.index), "timestamp");
      const seconds = offset[1] === "Z" ? 0 : offsetSeconds(offset[1] as string);
      return new Timestamp(local - BigInt(seconds) * MICROS_PER_SECOND, timeZone);
    }
    return new LocalDateTime(parseLocalMicros(text, "timestamp")).atZone(timeZone);
  }

  /** Offset from UTC of `timeZone` at this instant, in seconds. */
  get offsetSeconds(): number {
    return offsetResolver(this.timeZone)(Number(floorDiv(this.epochMicros, MICROS_PER_SECOND)));
  }

  /** The wall-clock date-time of this instant in its time zone. */
  toLocalDateTime(): LocalDateTime {
    return new LocalDateTime(this.epochMicros + BigInt(this.offsetSeconds) * MICROS_PER_SECOND);
  }

  /** The same instant shown in another time zone. */
  withTimeZone(timeZone: string): Timestamp {
    return new Timestamp(this.epochMicros, timeZone);
  }

  get year(): number {
    return this.toLocalDateTime().year;
  }
  get month(): number {
    return this.toLocalDateTime().month;
  }
  get day(): number {
    return this.toLocalDateTime().day;
  }
  get hour(): number {
    return this.toLocalDateTime().hour;
  }
  get minute(): number {
    return this.toLocalDateTime().minute;
  }
  get second(): number {
    return this.toLocalDateTime().second;
  }
  get microsecond(): number {
    return this.toLocalDateTime().microsecond;
  }

  /** Milliseconds since the epoch, rounded down: drops the sub-millisecond digits. */
  get epochMillis(): number {
    return Number(floorDiv(this.epochMicros, 1000n));
  }

  /** A JS Date of this instant: lossy, drops the microseconds beyond the millisecond. */
  toDate(): Date {
    return new Date(this.epochMillis);
  }

  /** ISO-8601 in the time zone, with the offset: `2024-01-01T01:00:00.000001+01:00`. */
  toString(): string {
    const offset = this.offsetSeconds;
    return formatLocalMicros(this.epochMicros + BigInt(offset) * MICROS_PER_SECOND) + formatOffset(offset);
  }
  equals(other: Timestamp): boolean {
    return this.epochMicros === other.epochMicros;
  }
}

function offsetSeconds(text: string): number {
  const digits = text.slice(1).replaceAll(":", "");
  const seconds =
    Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2, 4) || 0) * 60 + Number(digits.slice(4, 6) || 0);
  return text.startsWith("-") ? -seconds : seconds;
}

/**
 * A wall-clock date-time with no time zone (Spark TIMESTAMP_NTZ), microsecond precision. It is never shifted by
 * any zone: `2024-01-01T10:00` stays 10:00 wherever it is read. Stored as microseconds since 1970-01-01T00:00.
 * @example LocalDateTime.of(2024, 1, 1, 10, 0, 0, 5).toString() // "2024-01-01T10:00:00.000005"
 */
export class LocalDateTime extends TextValue {
  constructor(readonly epochMicros: bigint) {
    super();
    if (typeof epochMicros !== "bigint") {
      throw new TypeError(`LocalDateTime epochMicros must be a bigint, got ${typeof epochMicros}`);
    }
  }

  static of(
    year: number,
    month: number,
    day: number,
    hour = 0,
    minute = 0,
    second = 0,
    microsecond = 0,
  ): LocalDateTime {
    return new LocalDateTime(localMicrosFromParts(year, month, day, hour, minute, second, microsecond));
  }

  /** Parses `YYYY-MM-DD[THH:MM[:SS[.ffffff]]]` (a space may replace the `T`). */
  static parse(text: string): LocalDateTime {
    return new LocalDateTime(parseLocalMicros(text, "local date-time"));
  }

  private fields(): LocalFields {
    return fieldsOfLocalMicros(this.epochMicros);
  }
  get year(): number {
    return this.fields().year;
  }
  get month(): number {
    return this.fields().month;
  }
  get day(): number {
    return this.fields().day;
  }
  get hour(): number {
    return this.fields().hour;
  }
  get minute(): number {
    return this.fields().minute;
  }
  get second(): number {
    return this.fields().second;
  }
  get microsecond(): number {
    return this.fields().microsecond;
  }

  /** The date part. */
  toLocalDate(): LocalDate {
    return new LocalDate(Number(floorDiv(this.epochMicros, MICROS_PER_DAY)));
  }

  /**
   * The instant at which clocks in `timeZone` show this wall time. In a DST overlap the earlier instant is chosen;
   * in a DST gap the wall time is moved forward by the gap, as java.time does.
   */
  atZone(timeZone: string): Timestamp {
    const resolve = offsetResolver(timeZone);
    const localSeconds = Number(floorDiv(this.epochMicros, MICROS_PER_SECOND));
    const before = resolve(localSeconds - 86_400);
    const after = resolve(localSeconds + 86_400);
    // Try the offset in force before a transition first, so overlaps resolve to the earlier instant.
    for (const offset of [before, after]) {
      if (resolve(localSeconds - offset) === offset) {
        return new Timestamp(this.epochMicros - BigInt(offset) * MICROS_PER_SECOND, timeZone);
      }
    }
    return new Timestamp(this.epochMicros - BigInt(before) * MICROS_PER_SECOND, timeZone);
  }

  /** A JS Date whose UTC fields equal this wall time (lossy: milliseconds). */
  toDate(): Date {
    return new Date(Number(floorDiv(this.epochMicros, 1000n)));
  }

  toString(): string {
    return formatLocalMicros(this.epochMicros);
  }
  equals(other: LocalDateTime): boolean {
    return this.epochMicros === other.epochMicros;
  }
}

const NANOS_PER_DAY = 86_400_000_000_000n;

/**
 * A time of day without date or zone (Spark TIME(p), new in 4.1), kept as nanoseconds since midnight.
 * @example LocalTime.parse("12:30:00.5").toString() // "12:30:00.500"
 */
export class LocalTime extends TextValue {
  constructor(readonly nanoOfDay: bigint) {
    super();
    if (typeof nanoOfDay !== "bigint" || nanoOfDay < 0n || nanoOfDay >= NANOS_PER_DAY) {
      throw new RangeError(
        `LocalTime nanoOfDay must be a bigint in 0..${NANOS_PER_DAY - 1n}, got ${String(nanoOfDay)}`,
      );
    }
  }

  static of(hour: number, minute = 0, second = 0, nanosecond = 0): LocalTime {
    checkInteger("hour", hour, 0, 23);
    checkInteger("minute", minute, 0, 59);
    checkInteger("second", second, 0, 59);
    checkInteger("nanosecond", nanosecond, 0, 999_999_999);
    return new LocalTime(BigInt((hour * 60 + minute) * 60 + second) * 1_000_000_000n + BigInt(nanosecond));
  }

  /** Parses `HH:MM[:SS[.fffffffff]]`. */
  static parse(text: string): LocalTime {
    const m = TIME_TEXT.exec(text);
    if (!m) throw new SyntaxError(`not a time: "${text}" (expected HH:MM[:SS[.fffffffff]])`);
    return LocalTime.of(Number(m[1]), Number(m[2]), Number(m[3] ?? 0), Number((m[4] ?? "").padEnd(9, "0")));
  }

  get hour(): number {
    return Number(this.nanoOfDay / 3_600_000_000_000n);
  }
  get minute(): number {
    return Number((this.nanoOfDay / 60_000_000_000n) % 60n);
  }
  get second(): number {
    return Number((this.nanoOfDay / 1_000_000_000n) % 60n);
  }
  get nanosecond(): number {
    return Number(this.nanoOfDay % 1_000_000_000n);
  }

  /** `HH:MM:SS` plus the fraction in groups of three digits (`.500`, `.000001`), as java.time prints it. */
  toString(): string {
    const nanos = this.nanosecond;
    let fraction = "";
    if (nanos !== 0) {
      const digits = String(nanos).padStart(9, "0");
      fraction =
        "." + (nanos % 1_000_000 === 0 ? digits.slice(0, 3) : nanos % 1000 === 0 ? digits.slice(0, 6) : digits);
    }
    return `${pad2(this.hour)}:${pad2(this.minute)}:${pad2(this.second)}${fraction}`;
  }
  equals(other: LocalTime): boolean {
    return this.nanoOfDay === other.nanoOfDay;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Intervals

/**
 * An ANSI year-month interval (INTERVAL YEAR TO MONTH) as a signed count of months.
 * @example new YearMonthInterval(-14).toString() // "-P1Y2M"
 */
export class YearMonthInterval extends TextValue {
  constructor(readonly months: number) {
    super();
    checkInteger("YearMonthInterval months", months, -(2 ** 31), 2 ** 31 - 1);
  }

  static of(years: number, months = 0): YearMonthInterval {
    return new YearMonthInterval(years * 12 + months);
  }

  /** ISO-8601 duration: `P1Y2M`, `-P3M`, `P0M`. */
  toString(): string {
    const total = Math.abs(this.months);
    const years = Math.floor(total / 12);
    const months = total % 12;
    const body = (years === 0 ? "" : `${years}Y`) + (months === 0 && years !== 0 ? "" : `${months}M`);
    return `${this.months < 0 ? "-" : ""}P${body}`;
  }
  equals(other: YearMonthInterval): boolean {
    return this.months === other.months;
  }
}

function secondsText(micros: bigint): string {
  const seconds = micros / MICROS_PER_SECOND;
  const fraction = formatMicrosFraction(Number(micros % MICROS_PER_SECOND)).replace(/0+$/, "");
  return `${seconds}${fraction}`;
}

/**
 * An ANSI day-time interval (INTERVAL DAY TO SECOND) as a signed count of microseconds.
 * @example new DayTimeInterval(90_061_500_000n).toString() // "P1DT1H1M1.5S"
 */
export class DayTimeInterval extends TextValue {
  constructor(readonly micros: bigint) {
    super();
    if (typeof micros !== "bigint")
      throw new TypeError(`DayTimeInterval micros must be a bigint, got ${typeof micros}`);
  }

  static of(days: number, hours = 0, minutes = 0, seconds = 0, microseconds = 0): DayTimeInterval {
    const total = ((BigInt(days) * 24n + BigInt(hours)) * 60n + BigInt(minutes)) * 60n + BigInt(seconds);
    return new DayTimeInterval(total * MICROS_PER_SECOND + BigInt(microseconds));
  }

  /** Milliseconds as a JS number (lossy beyond 2^53 µs and below 1 ms). */
  toMillis(): number {
    return Number(this.micros) / 1000;
  }

  /** ISO-8601 duration with days: `P1DT2H3M4.5S`, `-PT0.000001S`, `PT0S`. */
  toString(): string {
    const negative = this.micros < 0n;
    let rest = negative ? -this.micros : this.micros;
    const days = rest / MICROS_PER_DAY;
    rest %= MICROS_PER_DAY;
    const hours = rest / 3_600_000_000n;
    rest %= 3_600_000_000n;
    const minutes = rest / 60_000_000n;
    rest %= 60_000_000n;
    let time = (hours === 0n ? "" : `${hours}H`) + (minutes === 0n ? "" : `${minutes}M`);
    if (rest !== 0n || (time === "" && days === 0n)) time += `${secondsText(rest)}S`;
    return `${negative ? "-" : ""}P${days === 0n ? "" : `${days}D`}${time === "" ? "" : `T${time}`}`;
  }
  equals(other: DayTimeInterval): boolean {
    return this.micros === other.micros;
  }
}

/**
 * Spark's legacy CalendarInterval (type `interval`): independent months, days and microseconds, since a month
 * has no fixed number of days and a day no fixed number of microseconds across DST.
 * @example new CalendarInterval(14, 3, 3_600_000_001n).toString() // "1 years 2 months 3 days 1 hours 0.000001 seconds"
 */
export class CalendarInterval extends TextValue {
  constructor(
    readonly months: number,
    readonly days: number,
    readonly microseconds: bigint,
  ) {
    super();
    checkInteger("CalendarInterval months", months, -(2 ** 31), 2 ** 31 - 1);
    checkInteger("CalendarInterval days", days, -(2 ** 31), 2 ** 31 - 1);
    if (typeof microseconds !== "bigint") {
      throw new TypeError(`CalendarInterval microseconds must be a bigint, got ${typeof microseconds}`);
    }
  }

  /** The text Spark shows for the value: `1 years 2 months 3 days 4 hours 5 minutes 6.000007 seconds`. */
  toString(): string {
    if (this.months === 0 && this.days === 0 && this.microseconds === 0n) return "0 seconds";
    const parts: string[] = [];
    const unit = (value: number | bigint, name: string): void => {
      if (value !== 0 && value !== 0n) parts.push(`${value} ${name}`);
    };
    unit(Math.trunc(this.months / 12), "years");
    unit(this.months % 12, "months");
    unit(this.days, "days");
    let rest = this.microseconds;
    unit(rest / 3_600_000_000n, "hours");
    rest %= 3_600_000_000n;
    unit(rest / 60_000_000n, "minutes");
    rest %= 60_000_000n;
    if (rest !== 0n) {
      const negative = rest < 0n;
      parts.push(`${negative ? "-" : ""}${secondsText(negative ? -rest : rest)} seconds`);
    }
    return parts.join(" ");
  }
  equals(other: CalendarInterval): boolean {
    return this.months === other.months && this.days === other.days && this.microseconds === other.microseconds;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Spatial values

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/** A GEOMETRY value: spatial reference id and well-known-binary (WKB) bytes. */
export class Geometry {
  constructor(
    readonly srid: number,
    readonly wkb: Uint8Array,
  ) {}
  /** `SRID=<srid>;<WKB as hex>`. */
  toString(): string {
    return `SRID=${this.srid};${hex(this.wkb)}`;
  }
  [inspect](): string {
    return `Geometry(${this.toString()})`;
  }
  toJSON(): { srid: number; wkb: string } {
    return { srid: this.srid, wkb: hex(this.wkb) };
  }
}

/** A GEOGRAPHY value: spatial reference id and well-known-binary (WKB) bytes. */
export class Geography {
  constructor(
    readonly srid: number,
    readonly wkb: Uint8Array,
  ) {}
  /** `SRID=<srid>;<WKB as hex>`. */
  toString(): string {
    return `SRID=${this.srid};${hex(this.wkb)}`;
  }
  [inspect](): string {
    return `Geography(${this.toString()})`;
  }
  toJSON(): { srid: number; wkb: string } {
    return { srid: this.srid, wkb: hex(this.wkb) };
  }
}
