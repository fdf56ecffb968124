/** The Elasticsearch row of the Database & cache dashboard. */
import type { DashboardBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import { jobs } from "../../model/conventions";
import { prom, row, statPanel, thresholds, timeseriesPanel } from "../base";
import type { DatabaseRow } from "../databases";
import { byJob, eq, sel } from "../selectors";
import type { Matchers } from "../selectors";

function add(builder: DashboardBuilder, scope: Matchers = {}): void {
  const es = { ...byJob(jobs.elasticsearch), ...scope };
  const heap = { area: eq("heap") };
  builder
    .withRow(row("Elasticsearch"))
    .withPanel(
      statPanel({
        title: "Cluster status",
        description: "Elasticsearch cluster health. Yellow: replicas unassigned, data still complete. Red: primary shards missing.",
        targets: [prom(`max by (color) (${sel("elasticsearch_cluster_health_status", es)}) == 1`, { instant: true, legend: "{{color}}" })],
      }),
    )
    .withPanel(
      statPanel({
        title: "Nodes",
        description: "Nodes in the cluster, as the cluster itself reports.",
        targets: [prom(`max(${sel("elasticsearch_cluster_health_number_of_nodes", es)})`, { instant: true })],
      }),
    )
    .withPanel(
      statPanel({
        title: "Unassigned shards",
        description: "Shards no node holds. Above zero the cluster is yellow or red.",
        targets: [prom(`max(${sel("elasticsearch_cluster_health_unassigned_shards", es)})`, { instant: true })],
      }).thresholds(thresholds([null, "green"], [1, "orange"])),
    )
    .withPanel(
      statPanel({
        title: "Worst heap use",
        description: "The fullest JVM heap of any node. Sustained values above 85% lead to long garbage-collection pauses.",
        targets: [
          prom(`max(${sel("elasticsearch_jvm_memory_used_bytes", es, heap)} / ${sel("elasticsearch_jvm_memory_max_bytes", es, heap)})`, {
            instant: true,
          }),
        ],
        unit: "percentunit",
      }).thresholds(thresholds([null, "green"], [0.75, "orange"], [0.85, "red"])),
    )
    .withPanel(
      timeseriesPanel({
        title: "Data disk free",
        description: "Share of each node's data path that is free. Elasticsearch stops allocating shards to a node at its disk watermarks.",
        targets: [
          prom(`${sel("elasticsearch_filesystem_data_available_bytes", es)} / ${sel("elasticsearch_filesystem_data_size_bytes", es)}`, {
            legend: "{{name}}",
          }),
        ],
        unit: "percentunit",
      })
        .min(0)
        .max(1)
        .span(24),
    );
}

export const elasticsearchRow: DatabaseRow = {
  title: "Elasticsearch",
  add,
  /** elasticsearch_exporter. Upstream: github.com/prometheus-community/elasticsearch_exporter README, "Metrics". */
  metrics: [
    "elasticsearch_cluster_health_status",
    "elasticsearch_cluster_health_number_of_nodes",
    "elasticsearch_cluster_health_unassigned_shards",
    "elasticsearch_jvm_memory_used_bytes",
    "elasticsearch_jvm_memory_max_bytes",
    "elasticsearch_filesystem_data_available_bytes",
    "elasticsearch_filesystem_data_size_bytes",
  ],
};
