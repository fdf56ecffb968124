/**
 * Prometheus storage sizing, from the formula in Prometheus' storage docs:
 *   needed_disk = retention_seconds × ingested_samples_per_second × bytes_per_sample
 * with samples/s = active series / scrape interval and ~2 bytes per sample after
 * compression. The WAL and compaction headroom make the volume bigger than the
 * blocks; retention.size is set to 85% of the volume so the TSDB never fills it.
 */
import { durationSeconds } from "../../model/primitives";

export const bytesPerSample = 2;
/** Share of the volume the TSDB may use (`--storage.tsdb.retention.size`). */
export const retentionSizeShare = 0.85;
/** Headroom for the WAL, head chunks and compaction on top of the blocks. */
export const walHeadroom = 1.3;

export interface StoragePlan {
  samplesPerSecond: number;
  blocksBytes: number;
  volumeGi: number;
  volumeSize: string;
  /** Value for `--storage.tsdb.retention.size`, in whole megabytes. */
  retentionSize: string;
  explanation: string;
}

export function planPrometheusStorage(input: { retention: string; scrapeInterval: string; expectedActiveSeries: number; volumeSize?: string }): StoragePlan {
  const samplesPerSecond = input.expectedActiveSeries / durationSeconds(input.scrapeInterval);
  const blocksBytes = durationSeconds(input.retention) * samplesPerSecond * bytesPerSample;
  const computedGi = Math.max(5, Math.ceil((blocksBytes * walHeadroom) / retentionSizeShare / 2 ** 30));
  const volumeGi = input.volumeSize ? sizeGi(input.volumeSize) : computedGi;
  const retentionMB = Math.floor((volumeGi * 2 ** 30 * retentionSizeShare) / 2 ** 20);
  const explanation = input.volumeSize
    ? `volume ${input.volumeSize} set in config; retention.size ${retentionMB}MB (${retentionSizeShare * 100}%)`
    : `${input.expectedActiveSeries} series / ${input.scrapeInterval} = ${Math.round(samplesPerSecond)} samples/s × ${input.retention} × ${bytesPerSample} B = ${(blocksBytes / 2 ** 30).toFixed(1)} GiB of blocks; ×${walHeadroom} for WAL and compaction, ÷${retentionSizeShare} → ${volumeGi}Gi volume; retention.size ${retentionMB}MB`;
  return { samplesPerSecond, blocksBytes, volumeGi, volumeSize: `${volumeGi}Gi`, retentionSize: `${retentionMB}MB`, explanation };
}

function sizeGi(size: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti)$/.exec(size);
  if (!m) throw new Error(`'${size}' is not a size`);
  const factor = { Ki: 1 / 2 ** 20, Mi: 1 / 2 ** 10, Gi: 1, Ti: 2 ** 10 }[m[2] as "Ki" | "Mi" | "Gi" | "Ti"];
  return Number(m[1]) * factor;
}
