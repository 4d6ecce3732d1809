/** Column positions of `orders` and `order_lines`, shared by the online journeys and the POS orders that both write them. */
import { columnIndex, TABLES } from "./schema.ts";

export const ORDER_COLUMNS = columnIndex(TABLES.orders, [
  "order_id",
  "customer_id",
  "session_id",
  "store_id",
  "channel",
  "ordered_at",
  "subtotal",
  "discount",
  "tax",
  "total",
]);

export const ORDER_LINE_COLUMNS = columnIndex(TABLES.order_lines, [
  "order_id",
  "line_no",
  "product_id",
  "quantity",
  "unit_price",
  "unit_cost",
]);
