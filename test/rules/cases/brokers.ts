import { fires, type PackCases, quiet, s } from "./types";

const rmq = (node: string) => `job="rabbitmq",instance="${node}"`;
const queue = `${rmq("rmq-1:15692")},vhost="/",queue="orders"`;
const q = { job: "rabbitmq", instance: "rmq-1:15692", vhost: "/", queue: "orders" };

const nginx = 'job="nginx",instance="nginx:9113"';
const n = { job: "nginx", instance: "nginx:9113" };
const connections = (handledPerSecond: number) => [
  s(`nginx_connections_accepted{${nginx}}`, "0+6000x15"),
  s(`nginx_connections_handled{${nginx}}`, `0+${handledPerSecond * 60}x15`),
];

const es = 'job="elasticsearch",instance="es-exporter:9114",cluster="logs"';
const e = { job: "elasticsearch", instance: "es-exporter:9114", cluster: "logs" };
const health = (color: string, value: number) => s(`elasticsearch_cluster_health_status{${es},color="${color}"}`, `${value}x20`);
const heap = (used: number) => [
  s(`elasticsearch_jvm_memory_used_bytes{${es},name="es-1",area="heap"}`, `${used}x15`),
  s(`elasticsearch_jvm_memory_max_bytes{${es},name="es-1",area="heap"}`, "100x15"),
];

export const rabbitmqCases: PackCases = {
  files: ["rabbitmq.rules.yml"],
  cases: [
    fires(
      "RabbitmqDown",
      "every node down",
      "3m",
      [s(`up{${rmq("rmq-1:15692")}}`, "0x5"), s(`up{${rmq("rmq-2:15692")}}`, "0x5")],
      [{ labels: { severity: "critical", job: "rabbitmq" } }],
    ),
    quiet("RabbitmqDown", "one node still up", "3m", [s(`up{${rmq("rmq-1:15692")}}`, "0x5"), s(`up{${rmq("rmq-2:15692")}}`, "1x5")]),
    fires(
      "RabbitmqNodeDown",
      "one of two nodes down",
      "3m",
      [s(`up{${rmq("rmq-1:15692")}}`, "0x5"), s(`up{${rmq("rmq-2:15692")}}`, "1x5")],
      [{ labels: { severity: "critical", job: "rabbitmq", instance: "rmq-1:15692" } }],
    ),
    quiet("RabbitmqNodeDown", "whole cluster down is RabbitmqDown instead", "3m", [s(`up{${rmq("rmq-1:15692")}}`, "0x5"), s(`up{${rmq("rmq-2:15692")}}`, "0x5")]),
    fires(
      "RabbitmqQueueBacklog",
      "20k ready messages",
      "15m",
      [s(`rabbitmq_queue_messages_ready{${queue}}`, "20000x20")],
      [{ labels: { severity: "warning", ...q }, value: "20k" }],
    ),
    quiet("RabbitmqQueueBacklog", "9k ready messages", "15m", [s(`rabbitmq_queue_messages_ready{${queue}}`, "9000x20")]),
    fires(
      "RabbitmqQueueNoConsumers",
      "messages but no consumer",
      "8m",
      [s(`rabbitmq_queue_consumers{${queue}}`, "0x10"), s(`rabbitmq_queue_messages_ready{${queue}}`, "5x10")],
      [{ labels: { severity: "critical", ...q }, value: "0" }],
    ),
    quiet("RabbitmqQueueNoConsumers", "an empty queue without consumers", "8m", [
      s(`rabbitmq_queue_consumers{${queue}}`, "0x10"),
      s(`rabbitmq_queue_messages_ready{${queue}}`, "0x10"),
    ]),
    fires(
      "RabbitmqTooManyUnackedMessages",
      "1.5k unacked",
      "15m",
      [s(`rabbitmq_queue_messages_unacked{${queue}}`, "1500x20")],
      [{ labels: { severity: "warning", ...q }, value: "1.5k" }],
    ),
    quiet("RabbitmqTooManyUnackedMessages", "900 unacked", "15m", [s(`rabbitmq_queue_messages_unacked{${queue}}`, "900x20")]),
    fires(
      "RabbitmqTooManyConnections",
      "1.2k connections",
      "8m",
      [s(`rabbitmq_connections{${rmq("rmq-1:15692")}}`, "1200x10")],
      [{ labels: { severity: "warning", instance: "rmq-1:15692" }, value: "1.2k" }],
    ),
    quiet("RabbitmqTooManyConnections", "800 connections", "8m", [s(`rabbitmq_connections{${rmq("rmq-1:15692")}}`, "800x10")]),
  ],
};

export const nginxCases: PackCases = {
  files: ["nginx.rules.yml"],
  cases: [
    fires("NginxDown", "stub_status unreachable", "3m", [s(`nginx_up{${nginx}}`, "0x5")], [{ labels: { severity: "critical", ...n } }]),
    quiet("NginxDown", "up", "3m", [s(`nginx_up{${nginx}}`, "1x5")]),
    fires("NginxDroppedConnections", "10% not handled", "12m", connections(90), [{ labels: { severity: "critical", ...n }, value: "10%" }]),
    quiet("NginxDroppedConnections", "all handled", "12m", connections(100)),
  ],
};

export const elasticsearchCases: PackCases = {
  files: ["elasticsearch.rules.yml"],
  cases: [
    fires("ElasticsearchDown", "health unreadable", "3m", [s(`elasticsearch_cluster_health_up{${es}}`, "0x5")], [{ labels: { severity: "critical", ...e } }]),
    quiet("ElasticsearchDown", "health readable", "3m", [s(`elasticsearch_cluster_health_up{${es}}`, "1x5")]),
    fires("ElasticsearchClusterRed", "red", "3m", [health("red", 1), health("yellow", 0), health("green", 0)], [{ labels: { severity: "critical", color: "red", ...e } }]),
    quiet("ElasticsearchClusterRed", "yellow is not red", "3m", [health("red", 0), health("yellow", 1), health("green", 0)]),
    fires(
      "ElasticsearchClusterYellow",
      "yellow for 16m",
      "16m",
      [health("red", 0), health("yellow", 1), health("green", 0)],
      [{ labels: { severity: "warning", color: "yellow", ...e } }],
    ),
    quiet("ElasticsearchClusterYellow", "yellow for 10m only", "10m", [health("red", 0), health("yellow", 1), health("green", 0)]),
    fires("ElasticsearchHighJvmHeapUsage", "95% heap", "12m", heap(95), [{ labels: { severity: "warning", name: "es-1", area: "heap", ...e }, value: "95%" }]),
    quiet("ElasticsearchHighJvmHeapUsage", "70% heap", "12m", heap(70)),
    fires(
      "ElasticsearchUnassignedShards",
      "3 unassigned for 35m",
      "35m",
      [s(`elasticsearch_cluster_health_unassigned_shards{${es}}`, "3x40")],
      [{ labels: { severity: "warning", ...e }, value: "3" }],
    ),
    quiet("ElasticsearchUnassignedShards", "all assigned", "35m", [s(`elasticsearch_cluster_health_unassigned_shards{${es}}`, "0x40")]),
  ],
};
