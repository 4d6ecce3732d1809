/**
 * When things happen: the number of online sessions and POS orders on each day (weekday seasonality times a
 * monthly growth trend, app and web growing faster than stores) and the time of day (hourly profile). Start
 * times are a monotone function of the entity index, so session ids follow time, part files cover
 * consecutive time ranges, and a date filter on an event table prunes by row-group statistics.
 */
import type { Rng } from "./rng.ts";
import type { Scenario } from "./scenario.ts";
import { parseStartDate } from "./scenario.ts";

const DAY_MS = 86_400_000;
const DAYS_PER_MONTH = 30.4375;

/** Entities spread over days: dayStart[d] is the index of the first entity of day d; dayStart[days] = total. */
class DailyAllocation {
  readonly dayStart: Float64Array;
  private readonly hourCdf: Float64Array;

  constructor(
    readonly total: number,
    dailyWeights: readonly number[],
    hourWeights: readonly number[],
  ) {
    const days = dailyWeights.length;
    const weightSum = dailyWeights.reduce((a, b) => a + b, 0);
    this.dayStart = new Float64Array(days + 1);
    let running = 0;
    for (let d = 0; d < days; d++) {
      running += dailyWeights[d] ?? 0;
      // Rounding the cumulative share (not each day's share) keeps the total exact and the starts monotone.
      this.dayStart[d + 1] = Math.round((total * running) / weightSum);
    }
    this.dayStart[days] = total;
    const hourSum = hourWeights.reduce((a, b) => a + b, 0);
    this.hourCdf = new Float64Array(25);
    for (let h = 0; h < 24; h++) this.hourCdf[h + 1] = (this.hourCdf[h] ?? 0) + (hourWeights[h] ?? 0) / hourSum;
    this.hourCdf[24] = 1;
  }

  /** The day of entity `index` (binary search over dayStart). */
  dayOf(index: number): number {
    let lo = 0;
    let hi = this.dayStart.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((this.dayStart[mid] ?? 0) <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /**
   * Milliseconds after midnight for the k-th of n entities of a day. The quantile (k + u) / n is stratified,
   * so times within a day increase with k whatever u is, and the hourly profile shapes the spacing.
   */
  timeOfDay(k: number, n: number, u: number): number {
    const q = (k + u) / n;
    const cdf = this.hourCdf;
    let h = 0;
    while (h < 23 && (cdf[h + 1] ?? 1) <= q) h++;
    const lo = cdf[h] ?? 0;
    const width = (cdf[h + 1] ?? 1) - lo;
    const within = width > 0 ? (q - lo) / width : 0;
    return Math.min(DAY_MS - 1, Math.floor((h + within) * 3_600_000));
  }
}

/** A point in time, filled in place: hot loops reuse one instead of allocating one per row. */
export class TimePoint {
  /** Epoch milliseconds. */
  ms = 0;
  /** Day index in the window, 0..days-1. */
  day = 0;
}

/** The calendar of one scenario; pure and cheap to build, so every worker builds its own. */
export class Timeline {
  readonly startMs: number;
  readonly days: number;
  readonly sessions: DailyAllocation;
  readonly posOrders: DailyAllocation;
  /** Probability that a session of day d is on the app rather than the web. */
  readonly appShare: Float64Array;

  constructor(scenario: Scenario) {
    const startMs = parseStartDate(scenario.start);
    if (startMs === undefined) throw new Error(`bad start date ${scenario.start}`);
    this.startMs = startMs;
    this.days = scenario.days;
    const t = scenario.traffic;
    const web: number[] = [];
    const app: number[] = [];
    const store: number[] = [];
    this.appShare = new Float64Array(this.days);
    for (let d = 0; d < this.days; d++) {
      const weekday = (new Date(startMs + d * DAY_MS).getUTCDay() + 6) % 7; // 0 = Monday
      const months = d / DAYS_PER_MONTH;
      const online = t.weekdayFactors.online[weekday] ?? 1;
      const w = online * (1 - t.appShareAtStart) * (1 + t.monthlyGrowth.web) ** months;
      const a = online * t.appShareAtStart * (1 + t.monthlyGrowth.app) ** months;
      web.push(w);
      app.push(a);
      store.push((t.weekdayFactors.store[weekday] ?? 1) * (1 + t.monthlyGrowth.store) ** months);
      this.appShare[d] = w + a > 0 ? a / (w + a) : 0;
    }
    this.sessions = new DailyAllocation(
      scenario.sessions,
      web.map((w, d) => w + (app[d] ?? 0)),
      t.hourWeights.online,
    );
    this.posOrders = new DailyAllocation(
      Math.round(scenario.sessions * scenario.posOrdersPerSession),
      store,
      t.hourWeights.store,
    );
  }

  /** Start of session `index` (0-based) into `out`, drawing one uniform from the session's generator. */
  sessionStart(index: number, rng: Rng, out: TimePoint): TimePoint {
    return this.place(this.sessions, index, rng, out);
  }

  /** Checkout time of POS order `index` (0-based) into `out`. */
  posOrderTime(index: number, rng: Rng, out: TimePoint): TimePoint {
    return this.place(this.posOrders, index, rng, out);
  }

  /** Epoch day number (days since 1970-01-01) of a window day. */
  epochDay(day: number): number {
    return Math.floor(this.startMs / DAY_MS) + day;
  }

  private place(allocation: DailyAllocation, index: number, rng: Rng, out: TimePoint): TimePoint {
    const day = allocation.dayOf(index);
    const first = allocation.dayStart[day] ?? 0;
    const n = (allocation.dayStart[day + 1] ?? first + 1) - first;
    out.ms = this.startMs + day * DAY_MS + allocation.timeOfDay(index - first, n, rng.float());
    out.day = day;
    return out;
  }
}
