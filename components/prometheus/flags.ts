/** Prometheus command-line settings Watchpost sets on both platforms. */
/**
 * `--rules.alert.for-grace-period`. Prometheus restores an alert's pending
 * time after a restart only for rules whose `for` is at least this long; the
 * default 10m would skip ServiceDown (1m) and HighErrorRate (5m), which would
 * then start their `for` over, outlast Alertmanager's 4-minute resolve window
 * and send a false RESOLVED followed by a second page. 1m restores every
 * built-in rule that has a `for`, and still gives a restarted Prometheus a
 * minute of fresh samples before a restored alert may fire.
 */
export const alertForGracePeriod = "1m";

/*
 * Not set anywhere: `--web.enable-lifecycle`. It opens POST /-/reload and /-/quit to anyone who
 * reaches the web port, and Prometheus has no authentication of its own, so on a Docker stack
 * published beyond loopback (`docker.bindAddress`) anyone on the network could stop it. Nothing
 * needs it: a changed config or rule file is a changed upload, which makes Pulumi replace the
 * container, and the drill restarts its Prometheus by signal. On Kubernetes the operator sets it
 * for its config-reloader sidecar, behind the NetworkPolicies and oauth2-proxy.
 */
