import { containersCases } from "./containers";
import { customCases } from "./custom";
import { escalationCases } from "./escalation";
import { elasticsearchCases, nginxCases, rabbitmqCases } from "./brokers";
import { postgresCases, redisCases } from "./datastores";
import { securityCases, uptimeCases } from "./edge";
import { hostsCases } from "./hosts";
import { kubernetesCases } from "./kubernetes";
import { mysqlCases } from "./mysql";
import { selfMonitoringCases } from "./selfMonitoring";
import { serviceCases } from "./service";
import { sloCases } from "./slo";
import type { PackCases } from "./types";

/** Case sets by name; each becomes one promtool test file. */
export const packCases: Record<string, PackCases> = {
  service: serviceCases,
  slo: sloCases,
  hosts: hostsCases,
  containers: containersCases,
  kubernetes: kubernetesCases,
  postgres: postgresCases,
  redis: redisCases,
  rabbitmq: rabbitmqCases,
  nginx: nginxCases,
  elasticsearch: elasticsearchCases,
  mysql: mysqlCases,
  uptime: uptimeCases,
  security: securityCases,
  selfMonitoring: selfMonitoringCases,
  custom: customCases,
  escalation: escalationCases,
};
