/** NGINX's stub_status through nginx-prometheus-exporter. */
import { z } from "zod";
import { credentialFreeUrl } from "../../model/primitives";
import { nginxPack } from "../../rules/packs/nginx";
import type { DockerPlacement, ExporterEntry, KubernetesPlacement } from "./types";

const spec = z.strictObject({
  statusUrl: credentialFreeUrl("the NGINX exporter sends none to stub_status: allow the exporter's address in the stub_status location instead"),
});

function urlPort(url: string): number {
  const u = new URL(url);
  return u.port ? Number(u.port) : u.protocol === "https:" ? 443 : 80;
}

export const nginx = {
  /** NGINX stub_status URL. */
  spec,
  process: {
    name: "nginx-exporter",
    port: 9113,
    image: "nginxExporter",
    resourceName: "nginxExporter",
    resources: { memory: "32Mi", cpu: "0.1" },
    egressPorts: (c) => [urlPort(c.statusUrl)],
    docker: (c): DockerPlacement => ({ command: [`--nginx.scrape-uri=${c.statusUrl}`] }),
    // Its chart has no securityContext values, so its pod could not run in a namespace that enforces
    // Pod Security "restricted": Watchpost's own Deployment instead, as nobody.
    kubernetes: ({ config: c }): KubernetesPlacement => ({ kind: "deployment", uid: 65534, args: [`--nginx.scrape-uri=${c.statusUrl}`] }),
  },
  rulePack: nginxPack,
} as const satisfies ExporterEntry<typeof spec>;
