import { fires, type PackCases, quiet, s } from "./types";

/**
 * routing.escalation of the all-packs stack: level-2 after 15m, level-3 after 45m, over critical alerts.
 * The alert escalated is a real one of the catalogue, ResumeProcessingStalled (critical, for 15m): its
 * ALERTS series is the one Prometheus writes, not a fixture's.
 */
const stalledFor = (minutes: number) => [s('resumes_processed_total{job="worker"}', `5x${minutes}`)];
/** Stalled until `minutes`, then flowing again: the alert resolves. */
const stalledUntil = (minutes: number) => [s('resumes_processed_total{job="worker"}', `5x${minutes} 6+3x60`)];
const escalated = (level: string) => ({ labels: { severity: "critical", team: "platform", escalated_alertname: "ResumeProcessingStalled", escalation: level } });

export const escalationCases: PackCases = {
  files: ["custom.rules.yml", "escalation.rules.yml"],
  cases: [
    // Firing from ~17m: level-2 fires 15m later; level-3 (45m) is still pending.
    fires("AlertEscalated", "a critical alert still firing 15m after it started: level-2", "40m", stalledFor(90), [escalated("level-2")]),
    fires("AlertEscalated", "still firing 45m after it started: level-3 too", "70m", stalledFor(90), [escalated("level-2"), escalated("level-3")]),
    quiet("AlertEscalated", "a critical alert resolved before its 15m: no escalation", "40m", stalledUntil(25)),
    quiet("AlertEscalated", "the alert resolved after level-2 fired: the escalation resolves with it", "60m", stalledUntil(40)),
    quiet("AlertEscalated", "a warning alert firing for over an hour does not escalate", "120m", [s('user_registrations_total{job="api",service="api"}', "0+0.05x130")]),
  ],
};
