/**
 * Several instances of one backing service: `exporters.<id>` takes either
 * today's single object or a list of named instances, each with its own
 * credential, labels, exporter process and scrape target. The names, the
 * per-instance secret keys and the labels every instance's series carry are
 * spelled here, once.
 */
import { z } from "zod";
import { labels as conventionLabels } from "../../model/conventions";
import { labelNameProblem } from "../../model/primitives";

/**
 * An instance's name: it becomes part of a Docker container name, a Kubernetes Service and Helm release
 * name (DNS labels), and of its secret key. Every dash-separated part starts with a letter, so the
 * secret key (`postgresPassword` + `OrdersEu` for `orders-eu`) maps back to exactly one name.
 */
export const instanceNamePattern = /^[a-z][a-z0-9]*(-[a-z][a-z0-9]*)*$/;
/** Room for `elasticsearch-exporter-<name>` within a Helm release name (53 characters). */
export const instanceNameMaxLength = 24;

/** Label names the stack sets itself on every exporter target: an instance's labels may not replace them. */
export const reservedInstanceLabels: readonly string[] = [
  "instance",
  "job",
  conventionLabels.instanceName,
  conventionLabels.service,
  conventionLabels.environment,
  conventionLabels.cluster,
  conventionLabels.replica,
  conventionLabels.severity,
];

const instanceName = z
  .string({ error: "expected an instance name such as orders" })
  .max(instanceNameMaxLength, { error: `expected at most ${instanceNameMaxLength} characters: it names the instance's exporter container, Service and Helm release` })
  .regex(instanceNamePattern, {
    error: "expected lower-case letters and digits, each dash-separated part starting with a letter, such as orders or orders-eu: it names containers, Services and the secret key",
  })
  .describe("instance name: lower-case letters and digits, each dash-separated part starting with a letter, such as orders-eu; at most 24 characters");

const instanceLabels = z
  .record(z.string(), z.string({ error: "expected a label value, as a string" }))
  .superRefine((labels, ctx) => {
    for (const name of Object.keys(labels)) {
      const problem = labelNameProblem(name);
      if (problem) ctx.addIssue({ code: "custom", path: [name], message: `${JSON.stringify(name)} ${problem}` });
      else if (reservedInstanceLabels.includes(name))
        ctx.addIssue({ code: "custom", path: [name], message: `${JSON.stringify(name)} is set by the stack on every exporter target; expected another label name, such as team` });
    }
  })
  .describe("labels every series of this instance carries, such as {team: payments}")
  .default({});

/** The fields a list entry has besides the exporter's own settings. */
export interface InstanceFields {
  name: string;
  labels: Record<string, string>;
}

/** `exporters.<id>`: the exporter's settings as one object (one instance, as before), or a list of named instances. */
export function singleOrInstances<S extends z.ZodObject>(spec: S) {
  const entry = spec.extend({ name: instanceName, labels: instanceLabels });
  const list = z
    .array(entry)
    .min(1, { error: "expected at least one instance; remove the key to watch none" })
    .superRefine((items, ctx) => {
      items.forEach((item, i) => {
        const first = items.findIndex((other) => other.name === item.name);
        if (first !== i)
          ctx.addIssue({ code: "custom", path: [i, "name"], message: `is the name of instance [${first}] already; expected a name of its own, such as ${item.name}-2` });
      });
    });
  // Typed as the exporter's own settings plus name and labels; `extend` on a generic object loses its shape.
  return z.union([spec, list as unknown as z.ZodType<Array<z.output<S> & InstanceFields>, Array<z.input<S> & { name: string; labels?: Record<string, string> }>>]);
}

/** An instance's secret key: `base` + the instance name in PascalCase (`postgresPasswordOrdersEu`), and back. */
export { namedKey as instanceSecretKey, parseNamedKey as parseInstanceSecretKey } from "../../model/primitives";

/** One instance of a configured exporter; `name` undefined for the single-object form. */
export interface ExporterInstance<C = unknown> {
  /** Its settings without `name` and `labels`. */
  config: C;
  name?: string;
  labels: Record<string, string>;
}

/** The instances of an `exporters.<id>` value, in list order; the single-object form is one unnamed instance. */
export function instancesOf<C extends object>(value: C | Array<C & InstanceFields>): ExporterInstance<C>[] {
  if (!Array.isArray(value)) return [{ config: value, labels: {} }];
  return value.map(({ name, labels, ...config }) => ({ config: config as unknown as C, name, labels }));
}

/** The labels the instance's target carries: its name and its own labels; none for the single-object form. */
export function instanceTargetLabels(instance: Pick<ExporterInstance, "name" | "labels">): Record<string, string> {
  return instance.name === undefined ? {} : { [conventionLabels.instanceName]: instance.name, ...instance.labels };
}
