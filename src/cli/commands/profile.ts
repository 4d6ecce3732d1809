/**
 * `retail-lab profile <customer_id> --data DIR`: prints one customer's document (the shape job
 * `customer-profiles` writes), built from the generated tables with the customer filter pushed down into
 * every Parquet scan that has a customer_id, so it reads a sliver of the data.
 */
import type { ArgumentsCamelCase, CommandModule } from "yargs";
import { print } from "../output.ts";
import { remoteOption, withSession } from "../session.ts";

interface ProfileArgs {
  customer: string;
  data: string;
  recent: number;
  format: "json" | "extended-json";
  remote?: string;
}

/** Parses a customer id: a positive whole number (ids are int64, so it is kept as a bigint). */
export function parseCustomerId(raw: string): bigint {
  if (!/^[1-9][0-9]{0,18}$/.test(raw.trim())) {
    throw new Error(`customer id ${JSON.stringify(raw)} is not valid; expected a positive whole number such as 42`);
  }
  return BigInt(raw.trim());
}

export const profileCommand: CommandModule<object, ProfileArgs> = {
  command: "profile <customer>",
  describe: "Print one customer's document: profile, membership, lifetime value, recent orders, interactions",
  builder: (yargs) =>
    yargs
      .positional("customer", { type: "string", demandOption: true, describe: "The customer's id (customer_id)" })
      .option("data", {
        type: "string",
        demandOption: true,
        describe: "Data directory written by `retail-lab generate`",
      })
      .option("recent", { type: "number", default: 5, describe: "Orders embedded, most recent first (1-100)" })
      .option("format", {
        choices: ["json", "extended-json"] as const,
        default: "json" as const,
        describe: "Plain JSON (exact decimals as strings), or MongoDB extended JSON as the JSON Lines export",
      })
      .option("remote", remoteOption),
  handler: async (args: ArgumentsCamelCase<ProfileArgs>) => {
    const customerId = parseCustomerId(String(args.customer));
    if (!Number.isInteger(args.recent) || args.recent < 1 || args.recent > 100) {
      throw new Error(`--recent ${args.recent} is out of range; allowed: whole numbers from 1 to 100`);
    }
    const { customerProfile } = await import("../../../jobs/customer-profile.ts");
    const document = await withSession({ remote: args.remote }, (spark, signal) =>
      customerProfile(spark, args.data, customerId, { recentOrders: args.recent, format: args.format, signal }),
    );
    print(document);
  },
};
