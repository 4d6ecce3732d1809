/**
 * The hand-written part of the catalog: for each category, the kinds of product a pharmacy chain sells,
 * a typical shelf price for the smallest size, and the sizes it comes in. Brands (from the Faker pools)
 * multiply these into a catalog of any size; see products.ts.
 */
import type { Category } from "../vocabulary.ts";

export interface ProductTemplate {
  readonly name: string;
  /** Shelf price in dollars of the first size, before the brand's premium. */
  readonly price: number;
  readonly sizes: readonly string[];
}

/** Each size step costs this much more than the previous one. */
export const SIZE_PRICE_STEP = 1.55;

/** Brand-name suffixes per category, combined with Faker-built stems. */
export const BRAND_SUFFIXES: Record<Category, readonly string[]> = {
  Pharmacy: ["Health", "Pharma", "Relief", "Labs"],
  "Personal Care": ["Care", "Essentials", "Fresh", "Botanics"],
  "Hair Care": ["Hair", "Salon", "Locks", "Botanics"],
  Beauty: ["Beauty", "Cosmetics", "Skin", "Glow"],
  Vitamins: ["Naturals", "Nutrition", "Vita", "Wellness"],
  Beverages: ["Springs", "Drinks", "Brewing", "Farms"],
  Grocery: ["Foods", "Pantry", "Kitchen", "Snacks"],
  Household: ["Home", "Clean", "Supply", "Works"],
  Baby: ["Baby", "Little Ones", "Cradle", "Tots"],
  "First Aid": ["Medical", "Aid", "Care", "Safety"],
};

/**
 * First words of brand names. A curated list rather than Faker words: Faker's adjectives gave brands such
 * as "Failing Nutrition" or "Bruised Medical", which no catalog would carry.
 */
export const BRAND_STEMS = [
  "Amber",
  "Apex",
  "Aspen",
  "Avalon",
  "Azure",
  "Bayside",
  "Birch",
  "Bluebell",
  "Briar",
  "Bright",
  "Cascade",
  "Cedar",
  "Clearwater",
  "Clover",
  "Coastal",
  "Crest",
  "Daisy",
  "Dawn",
  "Elm",
  "Evergreen",
  "Fairview",
  "Fern",
  "Golden",
  "Granite",
  "Harbor",
  "Hazel",
  "Heritage",
  "Highland",
  "Horizon",
  "Ivy",
  "Juniper",
  "Lakeside",
  "Laurel",
  "Linden",
  "Lotus",
  "Maple",
  "Meadow",
  "Meridian",
  "Mistral",
  "Northwind",
  "Oakridge",
  "Orchard",
  "Pacific",
  "Pine",
  "Prairie",
  "Redwood",
  "Ridge",
  "Riverstone",
  "Sage",
  "Seabreeze",
  "Sierra",
  "Silverleaf",
  "Solstice",
  "Spruce",
  "Summit",
  "Sunrise",
  "Thistle",
  "True North",
  "Valley",
  "Willow",
] as const;

/** The retailer's own label, present in every category. */
export const HOUSE_BRAND = "Everyday";

/** The staple anchoring the cross-sell analysis: always product 102, low margin, high popularity. */
export const ANCHOR = {
  productId: 102,
  name: "Mineral Water",
  category: "Beverages" as Category,
  brand: HOUSE_BRAND,
  unitPriceCents: 129,
  unitCostCents: 121,
};

const t = (name: string, price: number, sizes: readonly string[]): ProductTemplate => ({ name, price, sizes });
const COUNTS = ["24 ct", "50 ct", "100 ct", "200 ct"];
const PILLS = ["30 ct", "60 ct", "120 ct"];
const BOTTLES = ["8 oz", "12 oz", "20 oz"];
const DRINKS = ["500 ml", "1 L", "6 pack"];
const SNACKS = ["single", "4 pack", "family size"];

export const TEMPLATES: Record<Category, readonly ProductTemplate[]> = {
  Pharmacy: [
    t("Ibuprofen 200mg Tablets", 5.99, COUNTS),
    t("Acetaminophen 500mg Caplets", 5.49, COUNTS),
    t("Naproxen Sodium 220mg", 6.99, COUNTS),
    t("Aspirin 81mg Low Dose", 4.49, COUNTS),
    t("Loratadine 10mg Allergy Relief", 9.99, PILLS),
    t("Cetirizine 10mg Allergy Relief", 10.99, PILLS),
    t("Fexofenadine 180mg", 12.99, PILLS),
    t("Omeprazole 20mg Acid Reducer", 11.99, ["14 ct", "28 ct", "42 ct"]),
    t("Famotidine 20mg", 8.99, PILLS),
    t("Cough Syrup DM", 8.49, ["4 oz", "8 oz"]),
    t("Nighttime Cold & Flu Liquid", 9.49, ["8 oz", "12 oz"]),
    t("Nasal Decongestant Spray", 7.99, ["0.5 oz", "1 oz"]),
    t("Antacid Chewable Tablets", 5.99, ["48 ct", "96 ct"]),
    t("Hydrocortisone Cream 1%", 5.49, ["1 oz", "2 oz"]),
    t("Lubricant Eye Drops", 8.99, ["0.5 oz", "1 oz"]),
    t("Motion Sickness Tablets", 6.99, ["12 ct", "24 ct"]),
    t("Lidocaine Pain Relief Patch", 10.99, ["5 ct", "10 ct"]),
    t("Sleep Aid Diphenhydramine", 6.49, PILLS),
  ],
  "Personal Care": [
    t("Body Wash", 6.49, ["12 oz", "18 oz", "24 oz"]),
    t("Bar Soap", 3.99, ["3 pack", "6 pack", "8 pack"]),
    t("Deodorant Stick", 5.49, ["2.6 oz", "2 pack"]),
    t("Antiperspirant Spray", 5.99, ["3.8 oz", "2 pack"]),
    t("Whitening Toothpaste", 3.99, ["4 oz", "2 pack", "3 pack"]),
    t("Electric Toothbrush Heads", 19.99, ["2 ct", "4 ct"]),
    t("Mouthwash", 5.49, ["500 ml", "1 L"]),
    t("Dental Floss", 3.49, ["50 m", "3 pack"]),
    t("Razor Cartridges", 17.99, ["4 ct", "8 ct"]),
    t("Shaving Gel", 4.49, ["7 oz", "2 pack"]),
    t("Hand Cream", 6.99, ["3 oz", "5 oz"]),
    t("Lip Balm", 2.99, ["single", "3 pack"]),
    t("Facial Cleanser", 8.99, ["6 oz", "12 oz"]),
    t("Cotton Swabs", 2.49, ["300 ct", "500 ct"]),
    t("Body Lotion", 7.49, ["10 oz", "20 oz"]),
    t("Beard Oil", 12.99, ["1 oz", "2 oz"]),
  ],
  "Hair Care": [
    t("Shampoo", 5.99, BOTTLES),
    t("Conditioner", 5.99, BOTTLES),
    t("Anti-Dandruff Shampoo", 7.49, BOTTLES),
    t("Argan Hair Oil", 11.99, ["1.7 oz", "3.4 oz"]),
    t("Hair Repair Ampoules", 13.99, ["6 ct", "12 ct"]),
    t("Dry Shampoo", 6.99, ["4 oz", "7 oz"]),
    t("Deep Conditioning Hair Mask", 9.99, ["8 oz", "16 oz"]),
    t("Styling Gel", 4.99, ["8 oz", "16 oz"]),
    t("Hair Spray", 5.49, ["8 oz", "12 oz"]),
    t("Heat Protectant Spray", 8.49, ["6 oz", "10 oz"]),
    t("Permanent Hair Color Kit", 10.99, ["1 kit", "2 kits"]),
  ],
  Beauty: [
    t("Moisturizing Cream", 13.99, ["1.7 oz", "3.4 oz"]),
    t("Hydrating Serum", 21.99, ["1 oz", "1.7 oz"]),
    t("Sunscreen SPF 50", 10.99, ["3 oz", "6 oz"]),
    t("Micellar Water", 7.99, ["8 oz", "13.5 oz"]),
    t("Liquid Foundation", 12.99, ["1 oz"]),
    t("Volumizing Mascara", 9.49, ["single", "2 pack"]),
    t("Matte Lipstick", 8.99, ["single", "duo"]),
    t("Waterproof Eyeliner", 7.49, ["single", "2 pack"]),
    t("Nail Polish", 4.99, ["single", "3 pack"]),
    t("Makeup Remover Wipes", 4.99, ["25 ct", "2 pack"]),
    t("Sheet Face Mask", 3.49, ["single", "5 pack"]),
    t("Night Repair Cream", 17.99, ["1.7 oz"]),
  ],
  Vitamins: [
    t("Vitamin C 1000mg", 9.99, PILLS),
    t("Vitamin D3 2000 IU", 8.49, PILLS),
    t("Daily Multivitamin", 12.99, PILLS),
    t("Omega-3 Fish Oil", 14.99, PILLS),
    t("Magnesium Glycinate", 12.49, PILLS),
    t("Zinc 50mg", 6.99, PILLS),
    t("Probiotic 30 Billion", 21.99, ["30 ct", "60 ct"]),
    t("Melatonin 5mg", 7.49, PILLS),
    t("Biotin 5000mcg", 9.49, PILLS),
    t("Calcium + D3", 9.99, PILLS),
    t("Vitamin B Complex", 8.99, PILLS),
    t("Elderberry Gummies", 11.99, ["60 ct", "120 ct"]),
  ],
  Beverages: [
    t("Sparkling Water", 1.29, DRINKS),
    t("Orange Juice", 3.49, ["1 L", "2 L"]),
    t("Grape Juice", 3.29, ["1 L", "2 L"]),
    t("Energy Drink", 2.49, ["250 ml", "4 pack"]),
    t("Sports Drink", 1.79, DRINKS),
    t("Iced Tea", 1.59, DRINKS),
    t("Cola", 1.69, DRINKS),
    t("Cold Brew Coffee", 3.29, ["330 ml", "4 pack"]),
    t("Coconut Water", 2.49, ["330 ml", "1 L"]),
    t("Electrolyte Drink", 2.29, DRINKS),
    t("Spring Water", 0.99, DRINKS),
  ],
  Grocery: [
    t("Granola Bars", 3.99, SNACKS),
    t("Trail Mix", 4.99, SNACKS),
    t("Potato Chips", 2.99, SNACKS),
    t("Whole Grain Crackers", 2.99, SNACKS),
    t("Dark Chocolate Bar", 1.99, SNACKS),
    t("Gummy Candy", 2.29, SNACKS),
    t("Instant Oatmeal", 3.79, ["8 ct", "16 ct"]),
    t("Peanut Butter", 3.49, ["16 oz", "28 oz"]),
    t("Rice Cakes", 2.79, SNACKS),
    t("Microwave Popcorn", 3.49, ["3 ct", "6 ct"]),
    t("Breakfast Cereal", 4.29, ["12 oz", "18 oz"]),
    t("Protein Bar", 2.29, SNACKS),
  ],
  Household: [
    t("Paper Towels", 7.99, ["2 rolls", "6 rolls", "12 rolls"]),
    t("Toilet Paper", 8.99, ["4 rolls", "12 rolls", "24 rolls"]),
    t("Dish Soap", 2.99, ["16 oz", "32 oz"]),
    t("Laundry Detergent", 10.99, ["50 oz", "100 oz"]),
    t("Disinfecting Wipes", 4.99, ["35 ct", "75 ct", "3 pack"]),
    t("Trash Bags", 6.99, ["20 ct", "45 ct"]),
    t("AA Batteries", 7.99, ["4 ct", "8 ct", "16 ct"]),
    t("LED Light Bulb", 5.99, ["single", "4 pack"]),
    t("Air Freshener", 3.49, ["single", "2 pack"]),
    t("Scrub Sponges", 2.99, ["3 ct", "6 ct"]),
    t("Aluminum Foil", 4.49, ["75 sq ft", "200 sq ft"]),
    t("Zip Storage Bags", 3.99, ["20 ct", "50 ct"]),
  ],
  Baby: [
    t("Diapers", 12.99, ["Size 1", "Size 2", "Size 3", "Size 4", "Size 5"]),
    t("Baby Wipes", 3.49, ["72 ct", "3 pack", "9 pack"]),
    t("Infant Formula", 27.99, ["12 oz", "20 oz"]),
    t("Baby Lotion", 5.99, ["9 oz", "13 oz"]),
    t("Diaper Rash Cream", 6.99, ["2 oz", "4 oz"]),
    t("Tear-Free Baby Shampoo", 5.49, ["9 oz", "13 oz"]),
    t("Orthodontic Pacifier", 4.99, ["single", "2 pack"]),
    t("Fruit Puree Pouches", 1.59, ["single", "4 pack", "12 pack"]),
  ],
  "First Aid": [
    t("Adhesive Bandages", 4.49, ["30 ct", "60 ct", "100 ct"]),
    t("Antibiotic Ointment", 5.99, ["0.5 oz", "1 oz"]),
    t("Sterile Gauze Pads", 4.99, ["10 ct", "25 ct"]),
    t("Medical Paper Tape", 3.49, ["single", "2 pack"]),
    t("Instant Cold Pack", 2.49, ["single", "4 pack"]),
    t("Elastic Bandage Wrap", 5.49, ["2 in", "3 in", "4 in"]),
    t("Digital Thermometer", 11.99, ["single"]),
    t("Hand Sanitizer", 2.99, ["2 oz", "8 oz", "16 oz"]),
    t("Burn Relief Gel", 5.99, ["2 oz", "4 oz"]),
    t("Blood Pressure Monitor", 39.99, ["arm", "wrist"]),
    t("Disposable Face Masks", 8.99, ["10 ct", "50 ct"]),
    t("Alcohol Prep Pads", 2.49, ["100 ct", "200 ct"]),
  ],
};
