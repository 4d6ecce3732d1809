/**
 * The chain's footprint: countries → states → cities, with a relative population weight per state (how
 * many stores and customers it gets) and the sales tax applied to orders there. Curated so that a city
 * always lies in its state, which the reference study's Faker cities did not.
 */

export interface State {
  readonly country: string;
  readonly name: string;
  /** Relative weight for placing stores (and so customers) in this state. */
  readonly weight: number;
  /** Sales tax in basis points (1/100 of a percent), applied to the discounted subtotal. */
  readonly taxBasisPoints: number;
  readonly cities: readonly string[];
}

export const STATES: readonly State[] = [
  {
    country: "United States",
    name: "California",
    weight: 39,
    taxBasisPoints: 880,
    cities: ["Los Angeles", "San Diego", "San Jose", "San Francisco", "Fresno", "Sacramento"],
  },
  {
    country: "United States",
    name: "Texas",
    weight: 30,
    taxBasisPoints: 820,
    cities: ["Houston", "San Antonio", "Dallas", "Austin", "Fort Worth", "El Paso"],
  },
  {
    country: "United States",
    name: "Florida",
    weight: 22,
    taxBasisPoints: 700,
    cities: ["Jacksonville", "Miami", "Tampa", "Orlando", "St. Petersburg", "Tallahassee"],
  },
  {
    country: "United States",
    name: "New York",
    weight: 20,
    taxBasisPoints: 850,
    cities: ["New York City", "Buffalo", "Rochester", "Yonkers", "Syracuse", "Albany"],
  },
  {
    country: "United States",
    name: "Pennsylvania",
    weight: 13,
    taxBasisPoints: 630,
    cities: ["Philadelphia", "Pittsburgh", "Allentown", "Erie", "Reading", "Scranton"],
  },
  {
    country: "United States",
    name: "Illinois",
    weight: 12.5,
    taxBasisPoints: 890,
    cities: ["Chicago", "Aurora", "Naperville", "Joliet", "Rockford", "Springfield"],
  },
  {
    country: "United States",
    name: "Ohio",
    weight: 11.8,
    taxBasisPoints: 720,
    cities: ["Columbus", "Cleveland", "Cincinnati", "Toledo", "Akron", "Dayton"],
  },
  {
    country: "United States",
    name: "Georgia",
    weight: 11,
    taxBasisPoints: 740,
    cities: ["Atlanta", "Sandy Springs", "Augusta", "Macon", "Savannah", "Athens"],
  },
  {
    country: "United States",
    name: "North Carolina",
    weight: 10.8,
    taxBasisPoints: 700,
    cities: ["Charlotte", "Raleigh", "Greensboro", "Durham", "Winston-Salem", "Fayetteville"],
  },
  {
    country: "United States",
    name: "Michigan",
    weight: 10,
    taxBasisPoints: 600,
    cities: ["Detroit", "Grand Rapids", "Warren", "Sterling Heights", "Ann Arbor", "Lansing"],
  },
  {
    country: "Canada",
    name: "Ontario",
    weight: 8,
    taxBasisPoints: 1300,
    cities: ["Toronto", "Ottawa", "Mississauga", "Hamilton", "London"],
  },
  {
    country: "Canada",
    name: "Quebec",
    weight: 4.5,
    taxBasisPoints: 1498,
    cities: ["Montreal", "Quebec City", "Laval", "Gatineau"],
  },
  {
    country: "Canada",
    name: "British Columbia",
    weight: 3,
    taxBasisPoints: 1200,
    cities: ["Vancouver", "Surrey", "Burnaby", "Victoria"],
  },
  {
    country: "Mexico",
    name: "Ciudad de Mexico",
    weight: 4,
    taxBasisPoints: 1600,
    cities: ["Coyoacan", "Benito Juarez", "Miguel Hidalgo", "Cuauhtemoc"],
  },
  {
    country: "Mexico",
    name: "Jalisco",
    weight: 3,
    taxBasisPoints: 1600,
    cities: ["Guadalajara", "Zapopan", "Tlaquepaque", "Puerto Vallarta"],
  },
  {
    country: "Mexico",
    name: "Nuevo Leon",
    weight: 2.5,
    taxBasisPoints: 1600,
    cities: ["Monterrey", "San Nicolas de los Garza", "Guadalupe", "Apodaca"],
  },
];

/** Distinct countries, in first-appearance order (the `country` dictionary). */
export const COUNTRIES: readonly string[] = [...new Set(STATES.map((s) => s.country))];
/** State names (the `state` dictionary); index i is STATES[i]. */
export const STATE_NAMES: readonly string[] = STATES.map((s) => s.name);
/** Every city once per state, as "index in CITY_NAMES" (the `city` dictionary). */
export const CITY_NAMES: readonly string[] = STATES.flatMap((s) => s.cities);
/** CITY_OFFSETS[i] is the position of STATES[i].cities[0] in CITY_NAMES. */
export const CITY_OFFSETS: readonly number[] = STATES.reduce<number[]>((acc, _s, i) => {
  acc.push(i === 0 ? 0 : (acc[i - 1] ?? 0) + (STATES[i - 1]?.cities.length ?? 0));
  return acc;
}, []);
/** COUNTRY_OF_STATE[i] is the index in COUNTRIES of STATES[i]. */
export const COUNTRY_OF_STATE: readonly number[] = STATES.map((s) => COUNTRIES.indexOf(s.country));
