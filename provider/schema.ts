/**
 * What the schema inferred from the facades' TypeScript types cannot say: which
 * inputs are secrets. Marked `secret` in the schema, they are wrapped as secrets
 * by every generated SDK before they leave the caller's program, so a password
 * passed as a plain string never reaches the engine, or the state, in plain text.
 */
import { packageName } from "./placement";

/** Secret inputs, by facade class. */
export const secretInputs: Record<string, string[]> = {
  PrometheusStack: ["grafanaAdminPassword"],
};

interface SchemaResource {
  inputProperties?: Record<string, { secret?: boolean }>;
}

/** The schema JSON with each secret input marked; a listed input the schema lacks is a bug here, and fails. */
export function markSecretInputs(schemaJson: string): string {
  const schema = JSON.parse(schemaJson) as { resources?: Record<string, SchemaResource> };
  for (const [component, inputs] of Object.entries(secretInputs)) {
    const token = `${packageName}:index:${component}`;
    for (const input of inputs) {
      const property = schema.resources?.[token]?.inputProperties?.[input];
      if (!property) throw new Error(`provider/schema.ts: ${token} has no input ${input} to mark secret`);
      property.secret = true;
    }
  }
  return JSON.stringify(schema);
}
