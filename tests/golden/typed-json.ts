/**
 * The answer-file form of decoded values: JSON that keeps every JS type apart, so a golden answer pins the exact
 * type as well as the value (`1` vs `{"$bigint":"1"}`, an exact `$decimal` with its precision and scale, …).
 */
import {
  CalendarInterval,
  DayTimeInterval,
  Decimal,
  type Geography,
  type Geometry,
  LocalDate,
  LocalDateTime,
  LocalTime,
  Timestamp,
  YearMonthInterval,
} from "../../src/connect/types/values.ts";
import { VariantValue } from "../../src/connect/types/variant.ts";

export type TypedJson = null | boolean | number | string | TypedJson[] | { [key: string]: TypedJson };

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");

function number(value: number): TypedJson {
  if (Number.isNaN(value) || !Number.isFinite(value) || Object.is(value, -0))
    return { $number: Object.is(value, -0) ? "-0" : String(value) };
  return value;
}

/** Converts one decoded value to its typed JSON form. */
export function typedJson(value: unknown): TypedJson {
  if (value === null) return null;
  switch (typeof value) {
    case "boolean":
    case "string":
      return value;
    case "number":
      return number(value);
    case "bigint":
      return { $bigint: value.toString() };
    case "undefined":
      return { $undefined: true };
  }
  if (value instanceof Decimal) return { $decimal: value.toString(), precision: value.precision, scale: value.scale };
  if (value instanceof LocalDate) return { $date: value.toString() };
  if (value instanceof Timestamp) {
    return { $timestamp: value.toString(), zone: value.timeZone, epochMicros: value.epochMicros.toString() };
  }
  if (value instanceof LocalDateTime) return { $timestamp_ntz: value.toString() };
  if (value instanceof LocalTime) return { $time: value.toString() };
  if (value instanceof YearMonthInterval) return { $year_month_interval: value.toString(), months: value.months };
  if (value instanceof DayTimeInterval)
    return { $day_time_interval: value.toString(), micros: value.micros.toString() };
  if (value instanceof CalendarInterval) {
    return {
      $calendar_interval: value.toString(),
      months: value.months,
      days: value.days,
      microseconds: value.microseconds.toString(),
    };
  }
  if (value instanceof Uint8Array) return { $binary: hex(value) };
  if (value instanceof VariantValue) return { $variant: value.toString() };
  if (value instanceof Map) return { $map: [...value].map(([k, v]) => [typedJson(k), typedJson(v)]) };
  if (Array.isArray(value)) return value.map(typedJson);
  const name = (value as object).constructor?.name;
  if (name === "Geometry" || name === "Geography") {
    const spatial = value as Geometry | Geography;
    return { [`$${name.toLowerCase()}`]: { srid: spatial.srid, wkb: hex(spatial.wkb) } };
  }
  if (name === "Object" || name === undefined) {
    return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, typedJson(v)]));
  }
  throw new TypeError(`no typed JSON form for ${name}`);
}
