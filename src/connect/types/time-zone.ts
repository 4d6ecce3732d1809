/**
 * UTC offsets of time zones at given instants, for showing TIMESTAMP values in the session time zone. Region ids
 * (`Europe/Paris`) use the host's tz database through Intl; fixed offsets (`+08:00`, `UTC`, `GMT-3`), which Spark
 * also accepts as `spark.sql.session.timeZone` but Intl does not, are parsed here.
 */

/** Returns the offset from UTC, in seconds, in effect at `epochSeconds`. */
export type OffsetResolver = (epochSeconds: number) => number;

const resolvers = new Map<string, OffsetResolver>();

const FIXED_OFFSET = /^(?:UTC|GMT|UT)?([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/;
const UTC_NAMES = new Set(["UTC", "GMT", "Z", "UT", "Etc/UTC", "Etc/GMT", "Etc/UCT", "Etc/Zulu", "Zulu", "UCT"]);

/** An offset resolver for the time zone id, cached per id. Throws a RangeError naming an unknown zone. */
export function offsetResolver(timeZone: string): OffsetResolver {
  let resolver = resolvers.get(timeZone);
  if (!resolver) {
    resolver = createResolver(timeZone);
    resolvers.set(timeZone, resolver);
  }
  return resolver;
}

function createResolver(timeZone: string): OffsetResolver {
  if (UTC_NAMES.has(timeZone)) return () => 0;
  const fixed = FIXED_OFFSET.exec(timeZone);
  if (fixed) {
    const seconds = Number(fixed[2]) * 3600 + Number(fixed[3] ?? 0) * 60 + Number(fixed[4] ?? 0);
    if (seconds > 18 * 3600) throw new RangeError(`time zone offset "${timeZone}" is beyond ±18:00`);
    const offset = fixed[1] === "-" ? -seconds : seconds;
    return () => offset;
  }
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      era: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
  } catch {
    throw new RangeError(
      `unknown time zone "${timeZone}": use a region id such as "Europe/Paris", "UTC" or an offset such as "+08:00"`,
    );
  }
  const exact = (epochSeconds: number): number => {
    const fields: Record<string, number> = {};
    let bce = false;
    for (const part of format.formatToParts(epochSeconds * 1000)) {
      if (part.type === "era") bce = part.value.startsWith("B");
      else if (part.type !== "literal") fields[part.type] = Number(part.value);
    }
    const year = bce ? 1 - (fields.year ?? 0) : (fields.year ?? 0);
    const wall = new Date(0);
    wall.setUTCFullYear(year, (fields.month ?? 1) - 1, fields.day ?? 1);
    wall.setUTCHours(fields.hour ?? 0, fields.minute ?? 0, fields.second ?? 0, 0);
    return Math.round(wall.getTime() / 1000) - epochSeconds;
  };
  // formatToParts costs microseconds; offsets change at most once within an hour, so when both ends of the hour
  // agree the whole hour has that offset. Bounded so a scan over centuries cannot grow it without limit.
  const byHour = new Map<number, number>();
  return (epochSeconds) => {
    const hour = Math.floor(epochSeconds / 3600);
    const cached = byHour.get(hour);
    if (cached !== undefined) return cached;
    const start = exact(hour * 3600);
    if (start !== exact(hour * 3600 + 3599)) return exact(epochSeconds);
    if (byHour.size >= 100_000) byHour.clear();
    byHour.set(hour, start);
    return start;
  };
}

/** `+HH:MM`, or `+HH:MM:SS` for historical offsets with seconds (LMT), `Z` never (Spark prints offsets). */
export function formatOffset(offsetSeconds: number): string {
  const sign = offsetSeconds < 0 ? "-" : "+";
  const total = Math.abs(offsetSeconds);
  const hh = String(Math.floor(total / 3600)).padStart(2, "0");
  const mm = String(Math.floor(total / 60) % 60).padStart(2, "0");
  const ss = total % 60;
  return `${sign}${hh}:${mm}${ss === 0 ? "" : ":" + String(ss).padStart(2, "0")}`;
}
