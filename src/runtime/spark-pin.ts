/**
 * The one place where retail-lab pins its Spark. The Maven pom, the proto fetch script, the
 * runtime installer and the PySpark benchmark baseline all read these values.
 */
export const SPARK_PIN = {
  version: "4.1.3",
  scala: "2.13",
} as const;

/** Maven coordinates of an org.apache.spark artifact at the pinned version. */
export function sparkArtifact(name: string): string {
  return `org.apache.spark:${name}_${SPARK_PIN.scala}:${SPARK_PIN.version}`;
}
