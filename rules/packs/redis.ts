/**
 * Redis, from redis_exporter.
 */
import { jobs } from "../../model/conventions";
import { instanceText, num } from "../promql";
import type { RulePack } from "../types";

const redis = `job="${jobs.redis}"`;

export const redisPack: RulePack = {
  id: "redis",
  file: "redis.rules.yml",
  dashboard: "databases",
  enabledByDefault: (ctx) => ctx.exporters.redis,
  groups: (ctx, t) => {
    const who = instanceText(ctx, "redis");
    return [
      {
        name: "redis-alerts",
        rules: [
          {
            alert: "RedisDown",
            expr: `redis_up{${redis}} == 0`,
            for: "1m",
            severity: "critical",
            summary: `Redis ${who} is down`,
            description: `redis_exporter cannot reach Redis at ${who} for over a minute; caches, sessions and queues backed by it are failing.`,
          },
          {
            alert: "RedisHighMemoryUsage",
            // maxmemory 0 means "no limit": nothing to compare against.
            expr: `redis_memory_used_bytes{${redis}} / (redis_memory_max_bytes{${redis}} > 0) > ${num(t.redisMemoryOfMax)}`,
            for: "5m",
            severity: "warning",
            summary: `Redis ${who} uses {{ $value | humanizePercentage }} of maxmemory`,
            description: `${who} uses {{ $value | humanizePercentage }} of maxmemory (threshold ${num(t.redisMemoryOfMax * 100)}%); at the limit it evicts keys or rejects writes, depending on maxmemory-policy.`,
          },
          {
            alert: "RedisHighEvictionRate",
            expr: `rate(redis_evicted_keys_total{${redis}}[5m]) > ${num(t.redisEvictionsPerSecond)}`,
            for: "5m",
            severity: "warning",
            summary: `Redis ${who} evicts {{ $value | humanize }} keys/s`,
            description: `${who} is evicting {{ $value | humanize }} keys/s (threshold ${num(t.redisEvictionsPerSecond)}/s): it is full and dropping data callers expect to find.`,
          },
          {
            alert: "RedisRejectedConnections",
            expr: `increase(redis_rejected_connections_total{${redis}}[5m]) > 0`,
            severity: "critical",
            summary: `Redis ${who} is rejecting connections`,
            description: `${who} rejected {{ $value | humanize }} connections in 5 minutes because it reached maxclients.`,
          },
          {
            alert: "RedisLowHitRate",
            expr:
              `rate(redis_keyspace_hits_total{${redis}}[5m])\n` +
              `/ ((rate(redis_keyspace_hits_total{${redis}}[5m]) + rate(redis_keyspace_misses_total{${redis}}[5m])) > 0)\n` +
              `< ${num(t.redisHitRate)}`,
            for: "15m",
            severity: "warning",
            summary: `Redis ${who} hit rate is {{ $value | humanizePercentage }}`,
            description: `Only {{ $value | humanizePercentage }} of lookups on ${who} find their key (threshold ${num(t.redisHitRate * 100)}%); the cache is cold, too small or keyed wrongly, and load falls through to the database.`,
          },
        ],
      },
    ];
  },
};
