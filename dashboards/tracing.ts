/**
 * Trace search queries for the two backends Watchpost can run. Tempo has a
 * typed query in the foundation SDK; Jaeger does not, so its query model is
 * written here against the same `cog.Builder<cog.Dataquery>` interface.
 */
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import * as tempo from "@grafana/grafana-foundation-sdk/tempo";
import { datasources } from "./base";
import { varRef, vars } from "./selectors";

/** How many traces a search panel lists. */
const searchLimit = 20;

/** TraceQL: spans of the selected services. Grafana expands a multi-value `$service` into a regex alternation. */
export function traceqlServiceSearch(): string {
  return `{ resource.service.name =~ "${varRef(vars.service)}" }`;
}

export function tempoSearch(): tempo.DataqueryBuilder {
  return new tempo.DataqueryBuilder().datasource(datasources.tempo).queryType("traceql").query(traceqlServiceSearch()).limit(searchLimit).tableType(tempo.SearchTableType.Traces);
}

/** The Jaeger datasource's search query: one service, most recent traces. */
export interface JaegerSearchQuery extends cog.Dataquery {
  refId?: string;
  datasource: typeof datasources.jaeger;
  queryType: "search";
  service: string;
  limit: number;
}

export class JaegerSearchBuilder implements cog.Builder<cog.Dataquery> {
  private readonly internal: JaegerSearchQuery;

  constructor(service: string) {
    this.internal = {
      datasource: datasources.jaeger,
      queryType: "search",
      service,
      limit: searchLimit,
      // Marker method of the SDK's Dataquery union; JSON.stringify drops it like the SDK's own.
      _implementsDataqueryVariant() {},
    };
  }

  refId(refId: string): this {
    this.internal.refId = refId;
    return this;
  }

  build(): JaegerSearchQuery {
    return this.internal;
  }
}

/** Jaeger searches one service at a time: the panel asks the user to pick one in the service variable. */
export function jaegerSearch(): JaegerSearchBuilder {
  return new JaegerSearchBuilder(varRef(vars.service));
}
