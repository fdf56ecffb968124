/**
 * Elasticsearch, from elasticsearch_exporter.
 */
import { jobs } from "../../model/conventions";
import { num } from "../promql";
import type { RulePack } from "../types";

const es = `job="${jobs.elasticsearch}"`;

export const elasticsearchPack: RulePack = {
  id: "elasticsearch",
  file: "elasticsearch.rules.yml",
  dashboard: "databases",
  enabledByDefault: (ctx) => ctx.exporters.elasticsearch,
  groups: (_ctx, t) => [
    {
      name: "elasticsearch-alerts",
      rules: [
        {
          alert: "ElasticsearchDown",
          expr: `elasticsearch_cluster_health_up{${es}} == 0`,
          for: "1m",
          severity: "critical",
          summary: "Elasticsearch {{ $labels.cluster }} is down",
          description: "elasticsearch_exporter cannot read cluster health from {{ $labels.instance }} for over a minute; search and log ingestion are failing.",
        },
        {
          alert: "ElasticsearchClusterRed",
          expr: `elasticsearch_cluster_health_status{${es},color="red"} == 1`,
          for: "1m",
          severity: "critical",
          summary: "Elasticsearch cluster {{ $labels.cluster }} is red",
          description: "At least one primary shard of {{ $labels.cluster }} is unassigned: some data cannot be searched or written.",
        },
        {
          alert: "ElasticsearchClusterYellow",
          expr: `elasticsearch_cluster_health_status{${es},color="yellow"} == 1`,
          for: "15m",
          severity: "warning",
          summary: "Elasticsearch cluster {{ $labels.cluster }} is yellow",
          description: "Replica shards of {{ $labels.cluster }} have been unassigned for 15 minutes: data is served, but one more node loss may lose some.",
        },
        {
          alert: "ElasticsearchHighJvmHeapUsage",
          expr: `elasticsearch_jvm_memory_used_bytes{${es},area="heap"}\n` + `/ elasticsearch_jvm_memory_max_bytes{${es},area="heap"}\n> ${num(t.elasticsearchHeapRatio)}`,
          for: "10m",
          severity: "warning",
          summary: "Elasticsearch node {{ $labels.name }} uses {{ $value | humanizePercentage }} of its heap",
          description: `JVM heap on {{ $labels.name }} ({{ $labels.cluster }}) is {{ $value | humanizePercentage }} full (threshold ${num(t.elasticsearchHeapRatio * 100)}%); long GC pauses and circuit-breaker errors follow.`,
        },
        {
          alert: "ElasticsearchUnassignedShards",
          expr: `elasticsearch_cluster_health_unassigned_shards{${es}} > 0`,
          for: "30m",
          severity: "warning",
          summary: "Elasticsearch {{ $labels.cluster }} has {{ $value }} unassigned shards",
          description:
            "{{ $value }} shards of {{ $labels.cluster }} have been unassigned for 30 minutes; the cluster cannot place them (disk watermarks, allocation filters or a lost node).",
        },
      ],
    },
  ],
};
