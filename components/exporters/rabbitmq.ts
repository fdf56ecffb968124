/** RabbitMQ: its built-in `rabbitmq_prometheus` plugin, scraped directly; Watchpost runs no exporter. */
import { z } from "zod";
import { hostPort } from "../../model/primitives";
import { rabbitmqPack } from "../../rules/packs/rabbitmq";
import type { ExporterEntry } from "./types";

const spec = z.strictObject({ target: hostPort });

export const rabbitmq = {
  /** RabbitMQ's built-in `rabbitmq_prometheus` plugin endpoint (port 15692). */
  spec,
  directTarget: (c) => c.target,
  // The plugin aggregates on /metrics; per-queue series (depth, consumers) come from /metrics/per-object.
  metricsPath: "/metrics/per-object",
  rulePack: rabbitmqPack,
} as const satisfies ExporterEntry<typeof spec>;
