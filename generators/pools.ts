/**
 * Faker-built vocabularies: person names, street names and brand names, drawn once at start-up from a
 * Faker instance seeded with the scenario seed. Rows then index these pools with the counter-based PRNG
 * (a few ns per pick instead of microseconds per Faker call). Faker's output changes between majors, so the
 * version is pinned and checked here and recorded in the manifest.
 */
import { createRequire } from "node:module";
// The en_US entry point loads one locale; the package root would load all of them (about 0.2 s).
import { faker as fakerEnUs } from "@faker-js/faker/locale/en_US";
import type { Scenario } from "./scenario.ts";
import { assembleWorld, type World } from "./world/world.ts";

/** The Faker version the pools were designed against; a different install would change every dataset. */
export const FAKER_VERSION = "10.6.0";

export interface Pools {
  readonly firstNames: readonly string[];
  readonly lastNames: readonly string[];
  readonly streetNames: readonly string[];
}

/**
 * en_US has 473 family names and draws 5% of last names as double-barrelled pairs: a pool of 500 holds nearly
 * all single names and a few pairs, as a real customer base would (2,000 would be three-quarters pairs and
 * take 30,000 draws).
 */
const POOL_SIZES = { firstNames: 2_000, lastNames: 500, streetNames: 400 } as const;

/** Throws when the installed Faker is not the pinned version. */
export function installedFakerVersion(): string {
  const require = createRequire(import.meta.url);
  const version = (require("@faker-js/faker/package.json") as { version: string }).version;
  if (version !== FAKER_VERSION) {
    throw new Error(
      `@faker-js/faker ${version} is installed but the generators are pinned to ${FAKER_VERSION}; ` +
        `run npm ci so that datasets stay reproducible`,
    );
  }
  return version;
}

/** Builds the pools for a seed. Deterministic: same seed and Faker version, same pools. */
export function buildPools(seed: number): Pools {
  installedFakerVersion();
  const faker = fakerEnUs;
  // Faker folds a number seed to 32 bits; mixing in the high bits keeps seeds above 2^32 distinct.
  faker.seed([seed % 4_294_967_296, Math.floor(seed / 4_294_967_296), 0x5eed]);
  faker.setDefaultRefDate(new Date(Date.UTC(2025, 0, 1)));
  const distinct = (size: number, make: () => string, clean: (s: string) => string = (s) => s): string[] => {
    const seen = new Set<string>();
    // Faker's lists are finite; stop after enough misses rather than loop forever.
    for (let misses = 0; seen.size < size && misses < size * 20; ) {
      const value = clean(make());
      if (value.length === 0 || seen.has(value)) misses++;
      else seen.add(value);
    }
    return [...seen];
  };
  const asciiWord = (s: string) => s.normalize("NFD").replace(/[^A-Za-z' -]/g, "");
  return {
    firstNames: distinct(POOL_SIZES.firstNames, () => faker.person.firstName(), asciiWord),
    lastNames: distinct(POOL_SIZES.lastNames, () => faker.person.lastName(), asciiWord),
    streetNames: distinct(POOL_SIZES.streetNames, () => faker.location.street(), asciiWord),
  };
}

/** Builds the pools for the scenario's seed and assembles the world around them. */
export function buildWorld(scenario: Scenario): World {
  return assembleWorld(scenario, buildPools(scenario.seed));
}
