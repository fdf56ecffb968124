/** The facades the component provider serves, each a flat, Input-typed face over one Watchpost component. */
export { AlertRouting, type AlertRoutingArgs } from "./alerting";
export { LoggingStack, type LoggingStackArgs } from "./logging";
export { PrometheusStack, type PrometheusStackArgs } from "./prometheus";
export { TracingStack, type TracingStackArgs } from "./tracing";
