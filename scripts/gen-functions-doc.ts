/**
 * Writes docs/functions.md from the function registry (see functions-doc.ts). Run after adding a registry
 * row: `npx tsx scripts/gen-functions-doc.ts`.
 */
import { writeFileSync } from "node:fs";
import { DOC_PATH, renderFunctionsDoc } from "./functions-doc.ts";

writeFileSync(DOC_PATH, renderFunctionsDoc());
