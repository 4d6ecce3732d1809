/**
 * Everything a worker needs to generate any row: the Faker pools, stores, catalog, the customer model and
 * the calendar. Built from the scenario alone in a few tens of milliseconds, so each worker builds its own
 * copy instead of receiving it.
 */
import { buildPools, type Pools } from "../pools.ts";
import type { Scenario } from "../scenario.ts";
import { Timeline } from "../timeline.ts";
import { CustomerModel } from "./customers.ts";
import { buildCatalog, type Catalog } from "./products.ts";
import { buildStores, type StoreNetwork } from "./stores.ts";

export interface World {
  readonly scenario: Scenario;
  readonly pools: Pools;
  readonly timeline: Timeline;
  readonly stores: StoreNetwork;
  readonly catalog: Catalog;
  readonly customers: CustomerModel;
}

export function buildWorld(scenario: Scenario): World {
  const pools = buildPools(scenario.seed);
  const timeline = new Timeline(scenario);
  const stores = buildStores(scenario, pools, timeline.startMs);
  const catalog = buildCatalog(scenario, pools);
  const customers = new CustomerModel(scenario, stores, timeline.startMs, {
    firstNames: pools.firstNames.length,
    lastNames: pools.lastNames.length,
  });
  return { scenario, pools, timeline, stores, catalog, customers };
}
