/**
 * Parses `--param key=value` pairs against a job's parameter specs. A bad name or value is an error
 * that names it and says what is allowed; absent parameters take their defaults.
 */
import type { ParamSpecs, ParamValues } from "./job.ts";

export class ParamError extends Error {
  override name = "ParamError";
}

/** Splits `key=value` strings into pairs (the value may itself contain `=`). */
export function splitParamArgs(args: readonly string[]): Array<[string, string]> {
  return args.map((arg) => {
    const at = arg.indexOf("=");
    if (at <= 0) throw new ParamError(`--param ${JSON.stringify(arg)} is not of the form key=value`);
    return [arg.slice(0, at), arg.slice(at + 1)];
  });
}

/** Resolves raw `key=value` pairs for one job. `jobId` is only used in messages. */
export function resolveParams<S extends ParamSpecs>(
  jobId: string,
  specs: S,
  pairs: ReadonlyArray<[string, string]>,
): ParamValues<S> {
  const values: Record<string, string | number | boolean> = {};
  for (const [name, spec] of Object.entries(specs)) values[name] = spec.default;
  for (const [name, raw] of pairs) {
    const spec = specs[name];
    if (!spec) {
      const known = Object.keys(specs);
      throw new ParamError(
        `job ${jobId} has no parameter ${JSON.stringify(name)}; ${known.length ? `its parameters are: ${known.join(", ")}` : "it takes no parameters"}`,
      );
    }
    values[name] = parseValue(jobId, name, spec, raw);
  }
  return values as ParamValues<S>;
}

function parseValue(jobId: string, name: string, spec: ParamSpecs[string], raw: string): string | number | boolean {
  const where = `parameter ${name} of job ${jobId}`;
  switch (spec.type) {
    case "string":
      if (raw.trim() === "") throw new ParamError(`${where} must not be empty`);
      return raw;
    case "enum":
      if (!spec.choices.includes(raw)) {
        throw new ParamError(`${where} is ${JSON.stringify(raw)}; allowed: ${spec.choices.join(", ")}`);
      }
      return raw;
    case "boolean":
      if (raw === "true") return true;
      if (raw === "false") return false;
      throw new ParamError(`${where} is ${JSON.stringify(raw)}; allowed: true, false`);
    case "integer":
    case "number": {
      const value = Number(raw);
      const integral = spec.type === "integer";
      if (raw.trim() === "" || !Number.isFinite(value) || (integral && !Number.isInteger(value))) {
        throw new ParamError(
          `${where} is ${JSON.stringify(raw)}; expected ${integral ? "a whole number" : "a number"}`,
        );
      }
      if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
        throw new ParamError(`${where} is ${raw}; allowed range: ${spec.min ?? "-∞"} to ${spec.max ?? "∞"}`);
      }
      return value;
    }
  }
}
