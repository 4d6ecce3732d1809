/**
 * The product catalog: templates × sizes × brands, priced per product, with a cost from the category's
 * margin. Product 102 is always the low-margin staple Mineral Water (the cross-sell anchor), and a few
 * high-margin personal-care products with little organic demand are planted as its cross-sell targets.
 * Popularity inside a category is Zipf over a seeded rank, so the same products stay best sellers everywhere.
 */

import { cumulative, Rng, STREAM } from "../rng.ts";
import type { Scenario } from "../scenario.ts";
import { CATEGORIES } from "../vocabulary.ts";
import { ANCHOR, BRAND_STEMS, BRAND_SUFFIXES, HOUSE_BRAND, SIZE_PRICE_STEP, TEMPLATES } from "./catalog-templates.ts";

export interface Product {
  readonly id: number;
  readonly name: string;
  readonly category: number;
  readonly brand: string;
  readonly priceCents: number;
  readonly costCents: number;
}

export interface Catalog {
  /** products[id - 1]. */
  readonly products: readonly Product[];
  /** Indexed by product id (slot 0 unused), for hot loops. */
  readonly priceCents: Int32Array;
  readonly costCents: Int32Array;
  readonly categoryOf: Int8Array;
  /** Product ids of each category in popularity order, and their cumulative popularity. */
  readonly byCategory: readonly Int32Array[];
  readonly popularityCum: readonly Float64Array[];
  readonly anchorId: number;
  /** Planted cross-sell targets: high-margin personal-care products viewed by Mineral Water buyers. */
  readonly crossSellTargets: readonly number[];
}

const TARGET_CATEGORIES = ["Personal Care", "Hair Care"];
/** Planted targets get at least this margin. */
const TARGET_MIN_MARGIN = 0.6;

interface Draft {
  name: string;
  category: number;
  brand: string;
  priceCents: number;
  margin: number;
}

export function buildCatalog(scenario: Scenario): Catalog {
  const seed = scenario.seed;
  const total = scenario.world.products;
  const weights = CATEGORIES.map((c) => scenario.world.categoryWeights[c] ?? 0);
  const counts = largestRemainder(total - 1, weights);
  const rng = new Rng();

  // Drafts per category, in a seeded popularity order (index 0 = best seller).
  const perCategory: Draft[][] = CATEGORIES.map((category, c) => {
    rng.reset(seed, STREAM.catalog, c);
    const templates = TEMPLATES[category];
    const combos = templates.reduce((n, tpl) => n + tpl.sizes.length, 0);
    const wanted = counts[c] ?? 0;
    const brandCount = Math.max(6, Math.ceil(wanted / combos) + 2);
    const brands = brandNames(category, brandCount, rng);
    const premiums = brands.map((b) => (b === HOUSE_BRAND ? 0.8 : rng.logNormal(1.05, 0.15)));
    const drafts: Draft[] = [];
    for (const tpl of templates) {
      tpl.sizes.forEach((size, s) => {
        brands.forEach((brand, b) => {
          const dollars = tpl.price * SIZE_PRICE_STEP ** s * (premiums[b] ?? 1);
          drafts.push({
            name: `${brand} ${tpl.name}, ${size}`,
            category: c,
            brand,
            priceCents: Math.max(49, Math.floor(dollars * 10) * 10 + 9),
            margin: 0,
          });
        });
      });
    }
    shuffle(drafts, rng);
    const chosen = drafts.slice(0, wanted);
    const margin = scenario.world.categoryMargins[category] ?? 0.3;
    for (const d of chosen) d.margin = clamp(margin + 0.04 * rng.normal(), 0.02, 0.9);
    return chosen;
  });

  // Planted targets: from the least popular half of the personal-care categories.
  rng.reset(seed, STREAM.plantedCrossSell, 0);
  const candidates: Draft[] = [];
  for (const name of TARGET_CATEGORIES) {
    const list = perCategory[CATEGORIES.indexOf(name as (typeof CATEGORIES)[number])] ?? [];
    candidates.push(...list.slice(Math.floor(list.length / 2)));
  }
  shuffle(candidates, rng);
  const targetDrafts = candidates.slice(0, scenario.crossSell.targetCount);
  for (const d of targetDrafts) d.margin = Math.max(d.margin, TARGET_MIN_MARGIN + 0.05 * rng.float());

  // Ids: a seeded interleaving of all categories, with the anchor forced to id 102.
  const all = perCategory.flat();
  rng.reset(seed, STREAM.catalog, 1_000);
  shuffle(all, rng);
  const anchorCategory = CATEGORIES.indexOf(ANCHOR.category);
  const anchorDraft: Draft = {
    name: ANCHOR.name,
    category: anchorCategory,
    brand: ANCHOR.brand,
    priceCents: ANCHOR.unitPriceCents,
    margin: 1 - ANCHOR.unitCostCents / ANCHOR.unitPriceCents,
  };
  all.splice(ANCHOR.productId - 1, 0, anchorDraft);
  const idOf = new Map<Draft, number>(all.map((d, i) => [d, i + 1]));

  const products: Product[] = all.map((d, i) => ({
    id: i + 1,
    name: d.name,
    category: d.category,
    brand: d.brand,
    priceCents: d.priceCents,
    costCents: d === anchorDraft ? ANCHOR.unitCostCents : Math.round(d.priceCents * (1 - d.margin)),
  }));
  const priceCents = new Int32Array(total + 1);
  const costCents = new Int32Array(total + 1);
  const categoryOf = new Int8Array(total + 1);
  for (const p of products) {
    priceCents[p.id] = p.priceCents;
    costCents[p.id] = p.costCents;
    categoryOf[p.id] = p.category;
  }
  const skew = scenario.world.popularitySkew;
  const byCategory = perCategory.map((list, c) => {
    const ids = list.map((d) => idOf.get(d) ?? 0);
    // The staple is its category's best seller.
    if (c === anchorCategory) ids.unshift(ANCHOR.productId);
    return Int32Array.from(ids);
  });
  const popularityCum = byCategory.map((ids) =>
    cumulative(Array.from(ids, (_id, rank) => 1 / (rank + 1) ** skew).concat(ids.length === 0 ? [1] : [])),
  );
  return {
    products,
    priceCents,
    costCents,
    categoryOf,
    byCategory,
    popularityCum,
    anchorId: ANCHOR.productId,
    crossSellTargets: targetDrafts.map((d) => idOf.get(d) ?? 0),
  };
}

function brandNames(category: (typeof CATEGORIES)[number], count: number, rng: Rng): string[] {
  const suffixes = BRAND_SUFFIXES[category];
  const names = new Set<string>([HOUSE_BRAND]);
  for (let tries = 0; names.size < count && tries < count * 50; tries++) {
    const stem = BRAND_STEMS[rng.int(BRAND_STEMS.length)] ?? HOUSE_BRAND;
    names.add(`${stem} ${suffixes[rng.int(suffixes.length)] ?? ""}`.trim());
  }
  return [...names];
}

/** Splits `total` into integer parts proportional to `weights` (largest remainder method). */
export function largestRemainder(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    out[i] = (out[i] ?? 0) + 1;
  }
  return out;
}

function shuffle<T>(items: T[], rng: Rng): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = items[i] as T;
    items[i] = items[j] as T;
    items[j] = tmp;
  }
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
