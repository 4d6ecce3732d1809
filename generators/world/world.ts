/**
 * Everything a thread needs to generate any row: the Faker pools, stores, catalog, the customer model and
 * the calendar. The pools are built once (pools.ts, the only Faker user) and handed to worker threads as
 * plain strings; the rest is assembled from the scenario in a few milliseconds in every thread.
 */
import type { Pools } from "../pools.ts";
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

export function assembleWorld(scenario: Scenario, pools: Pools): World {
  const timeline = new Timeline(scenario);
  const stores = buildStores(scenario, pools, timeline.startMs);
  const catalog = buildCatalog(scenario);
  const customers = new CustomerModel(scenario, stores, timeline.startMs, {
    firstNames: pools.firstNames.length,
    lastNames: pools.lastNames.length,
  });
  return { scenario, pools, timeline, stores, catalog, customers };
}
