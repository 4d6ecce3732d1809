/**
 * Stores: the two online channels (ids 1 and 2) and the physical branches (ids 3…). Branches are spread
 * over states in proportion to the states' weights and get a log-normal traffic weight, which also decides
 * how many customers call them home.
 */

import type { Pools } from "../pools.ts";
import { cumulative, Rng, STREAM } from "../rng.ts";
import type { Scenario } from "../scenario.ts";
import { CH_APP, CH_STORE, CH_WEB } from "../vocabulary.ts";
import { CITY_OFFSETS, COUNTRY_OF_STATE, STATES } from "./geography.ts";
import { largestRemainder } from "./products.ts";

export const WEB_STORE_ID = 1;
export const APP_STORE_ID = 2;
export const FIRST_PHYSICAL_STORE_ID = 3;

export interface Store {
  readonly id: number;
  readonly name: string;
  readonly channel: number;
  /** Indices into COUNTRIES / STATES / CITY_NAMES; -1 for online channels. */
  readonly country: number;
  readonly state: number;
  readonly city: number;
  /** Epoch day the store opened. */
  readonly openedOn: number;
  readonly weight: number;
}

export interface StoreNetwork {
  readonly stores: readonly Store[];
  /** Physical stores only, and their cumulative traffic weights. */
  readonly physical: readonly Store[];
  readonly physicalCum: Float64Array;
  /** Physical stores of each state, for "another store in the same state". */
  readonly byState: readonly (readonly Store[])[];
  /** Cumulative weight of each state in traffic, for anonymous visitors. */
  readonly stateCum: Float64Array;
}

const DAY_MS = 86_400_000;

export function buildStores(scenario: Scenario, pools: Pools, windowStartMs: number): StoreNetwork {
  const rng = new Rng();
  const startDay = Math.floor(windowStartMs / DAY_MS);
  const online = (id: number, name: string, channel: number, yearsBefore: number): Store => ({
    id,
    name,
    channel,
    country: -1,
    state: -1,
    city: -1,
    openedOn: startDay - Math.round(yearsBefore * 365.25),
    weight: 0,
  });
  const stores: Store[] = [
    online(WEB_STORE_ID, "Online Store (web)", CH_WEB, 12),
    online(APP_STORE_ID, "Mobile App", CH_APP, 6),
  ];
  const perState = largestRemainder(
    scenario.world.stores,
    STATES.map((s) => s.weight),
  );
  const names = new Set<string>();
  let id = FIRST_PHYSICAL_STORE_ID;
  STATES.forEach((state, s) => {
    for (let k = 0; k < (perState[s] ?? 0); k++, id++) {
      rng.reset(scenario.seed, STREAM.stores, id);
      // The first city of a state (its largest) gets the most stores.
      const cityInState = Math.min(state.cities.length - 1, Math.floor(state.cities.length * rng.float() ** 1.6));
      const city = state.cities[cityInState] ?? "";
      let name = `${city} ${pools.streetNames[rng.int(pools.streetNames.length)] ?? "Main Street"}`;
      // Two branches on the same street of a city are told apart by number, like real chains do.
      for (let n = 2; names.has(name); n++) name = `${name.replace(/ #\d+$/, "")} #${n}`;
      names.add(name);
      stores.push({
        id,
        name,
        channel: CH_STORE,
        country: COUNTRY_OF_STATE[s] ?? 0,
        state: s,
        city: (CITY_OFFSETS[s] ?? 0) + cityInState,
        openedOn: startDay - 30 - rng.int(25 * 365),
        weight: rng.logNormal(1, 0.6),
      });
    }
  });
  const physical = stores.filter((s) => s.channel === CH_STORE);
  const byState = STATES.map((_, s) => physical.filter((p) => p.state === s));
  const stateWeights = STATES.map((_, s) => (byState[s] ?? []).reduce((a, p) => a + p.weight, 0));
  return {
    stores,
    physical,
    physicalCum: cumulative(physical.map((s) => s.weight)),
    byState,
    stateCum: cumulative(stateWeights),
  };
}
