/**
 * The exporter registry is the one list of exporters: every derived list
 * (config spec, secret keys, resource targets, alert-pack toggles, scrape
 * ports, dashboard rows) follows it, and each entry is complete.
 */
import { describe, expect, it } from "vitest";
import { exporterRows, rulePacks } from "../../components/catalogue";
import { exporters, exportersSpec, exporterSecretKeys, exporterFlags } from "../../components/exporters/index";
import type { ExporterEntry } from "../../components/exporters/types";
import { defaultResources } from "../../components/platform/targets";
import { scrapePorts } from "../../components/production/network";
import { resourceTargets, secretKeys } from "../../infra/config/schema";
import { imageUsers, images } from "../../model/versions";
import { exporterIds, scrapedDirectly } from "../../model/vocabulary";
import { alertPacks } from "../../rules/spec";

const entries = exporterIds.map((id) => [id, exporters[id] as ExporterEntry] as const);

describe("the exporter registry", () => {
  it("has an entry for every exporter id, and no other", () => {
    expect(Object.keys(exporters).sort()).toEqual([...exporterIds].sort());
  });

  it.each(entries)("%s: runs a process, or is scraped at the service itself, never both", (id, entry) => {
    expect(entry.process === undefined, `${id}: process`).toBe(scrapedDirectly.includes(id));
    expect(entry.directTarget === undefined, `${id}: directTarget`).toBe(!scrapedDirectly.includes(id));
  });

  it.each(entries)("%s: its rule pack carries its id, so alerts.packs.%s toggles it", (id, entry) => {
    expect(entry.rulePack.id).toBe(id);
    expect(rulePacks).toContain(entry.rulePack);
  });

  it.each(entries.filter(([, e]) => e.process))("%s: its process has a pinned image with a known user, a port no other part uses, limits", (id, entry) => {
    const p = entry.process!;
    expect(images[p.image]).toMatch(/:[^:]+$/);
    expect(imageUsers[p.image]).toBeDefined();
    expect(scrapePorts).toContain(p.port);
    expect(defaultResources[p.resourceName as keyof typeof defaultResources]).toEqual(p.resources);
    expect(resourceTargets).toContain(p.resourceName);
    expect(p.name).toBe(`${id}-exporter`);
  });

  it("gives each process its own port", () => {
    const ports = entries.flatMap(([, e]) => (e.process ? [e.process.port] : []));
    expect(new Set(ports).size).toBe(ports.length);
  });

  it.each(entries.filter(([, e]) => e.secret))("%s: its credential is a watchpost secret key", (_id, entry) => {
    expect(secretKeys).toHaveProperty(entry.secret!.key, entry.secret!.description);
    expect(exporterSecretKeys).toHaveProperty(entry.secret!.key);
  });

  it("accepts exporters.<id> for each id and rejects an unknown exporter", () => {
    expect(Object.keys(exportersSpec.parse({}))).toEqual([]);
    const unknown = exportersSpec.safeParse({ mongodb: {} });
    expect(unknown.success).toBe(false);
  });

  it("flags exactly the configured exporters", () => {
    const flags = exporterFlags(exportersSpec.parse({ redis: { address: "redis:6379" } }));
    expect(
      Object.entries(flags)
        .filter(([, on]) => on)
        .map(([id]) => id),
    ).toEqual(["redis"]);
    expect(Object.keys(flags)).toEqual([...exporterIds]);
  });

  it("puts every database row on the dashboard through its exporter, in registry order", () => {
    const withRows = entries.filter(([, e]) => e.databaseRow).map(([id]) => id);
    expect(exporterRows.map((r) => r.exporter)).toEqual(withRows);
  });
});

describe("alerts.packs toggles", () => {
  it("name every pack of the catalogue that has a toggle, and nothing else (slo, custom, recording and escalation follow their config)", () => {
    const followConfig = new Set(["slo", "custom", "recording", "escalation"]);
    const packIds = rulePacks.map((p) => p.id).filter((id) => !followConfig.has(id));
    expect([...alertPacks].sort()).toEqual([...packIds].sort());
  });

  it("keep the catalogue's order", () => {
    const order = rulePacks.map((p) => p.id).filter((id) => (alertPacks as readonly string[]).includes(id));
    expect([...alertPacks]).toEqual(order);
  });
});
