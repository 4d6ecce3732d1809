/**
 * The closed vocabularies of the retail world: every low-cardinality string a table can hold. The schema
 * turns each list into a Parquet dictionary column, and the generators store an index into it, so the
 * order of a list is part of the output contract: append new values at the end, never reorder.
 */

export const CHANNELS = ["web", "app", "store"] as const;
export type Channel = (typeof CHANNELS)[number];
/** Channel indices used in hot loops. */
export const CH_WEB = 0;
export const CH_APP = 1;
export const CH_STORE = 2;

export const DEVICES = ["desktop", "mobile", "tablet", "ios", "android"] as const;
export const DEV_DESKTOP = 0;
export const DEV_MOBILE = 1;
export const DEV_TABLET = 2;
export const DEV_IOS = 3;
export const DEV_ANDROID = 4;

export const EVENT_TYPES = ["page_view", "search", "product_view", "begin_checkout"] as const;
export const EV_PAGE_VIEW = 0;
export const EV_SEARCH = 1;
export const EV_PRODUCT_VIEW = 2;
export const EV_BEGIN_CHECKOUT = 3;

export const CART_ACTIONS = ["add", "remove"] as const;
export const CART_ADD = 0;
export const CART_REMOVE = 1;

export const GATEWAYS = ["paynova", "swiftpay", "cardbridge"] as const;
export type Gateway = (typeof GATEWAYS)[number];

export const PAYMENT_METHODS = ["credit_card", "debit_card", "wallet", "paypal"] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export const PM_CREDIT = 0;
export const PM_DEBIT = 1;
export const PM_WALLET = 2;
export const PM_PAYPAL = 3;

export const CARD_BRANDS = ["visa", "mastercard", "amex", "discover"] as const;

export const PAYMENT_RESULTS = ["approved", "declined", "error", "timeout"] as const;
export const RES_APPROVED = 0;
export const RES_DECLINED = 1;
export const RES_ERROR = 2;
export const RES_TIMEOUT = 3;

/** Soft codes first, then hard codes; `HARD_DECLINE_FROM` is the first hard one. */
export const DECLINE_CODES = [
  "insufficient_funds",
  "do_not_honor",
  "try_again_later",
  "authentication_required",
  "expired_card",
  "incorrect_number",
  "lost_card",
  "stolen_card",
  "fraudulent",
  "pickup_card",
] as const;
export const HARD_DECLINE_FROM = 4;

export const DECLINE_TYPES = ["soft", "hard"] as const;

/** Funnel stages in order; `max_stage` in session_truth is the furthest one a session reached. */
export const STAGES = ["visit", "product_view", "cart_add", "begin_checkout", "payment_attempt", "purchase"] as const;
export type Stage = (typeof STAGES)[number];
export const ST_VISIT = 0;
export const ST_PRODUCT_VIEW = 1;
export const ST_CART_ADD = 2;
export const ST_BEGIN_CHECKOUT = 3;
export const ST_PAYMENT_ATTEMPT = 4;
export const ST_PURCHASE = 5;

/** Why a session ended where it did (session_truth.exit_reason). */
export const EXIT_REASONS = [
  "browsed",
  "cart_abandoned",
  "login_required",
  "checkout_abandoned",
  "payment_abandoned",
  "attempts_exhausted",
  "purchased",
] as const;
export const EXIT_BROWSED = 0;
export const EXIT_CART_ABANDONED = 1;
export const EXIT_LOGIN_REQUIRED = 2;
export const EXIT_CHECKOUT_ABANDONED = 3;
export const EXIT_PAYMENT_ABANDONED = 4;
export const EXIT_ATTEMPTS_EXHAUSTED = 5;
export const EXIT_PURCHASED = 6;

export const SEGMENTS = ["vip", "regular", "occasional", "new"] as const;
export const SEG_VIP = 0;
export const SEG_REGULAR = 1;
export const SEG_OCCASIONAL = 2;
export const SEG_NEW = 3;

export const CATEGORIES = [
  "Pharmacy",
  "Personal Care",
  "Hair Care",
  "Beauty",
  "Vitamins",
  "Beverages",
  "Grocery",
  "Household",
  "Baby",
  "First Aid",
] as const;
export type Category = (typeof CATEGORIES)[number];
