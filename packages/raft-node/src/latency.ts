// Latency probes for the Ready loop: named phases, each a bounded ring of recent samples (ms),
// summarised as count / p50 / p99 / max. Always on: a probe costs one `performance.now()` and an
// array store, and the benchmark reads them (`RaftNode.latency()`) to print where commit latency
// goes. Nothing here influences behaviour.
//
// Invariant: memory is bounded by `samplesMax` per phase and by the fixed set of phase names the
// callers use.

export interface PhaseSummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export class LatencyProbes {
  private readonly rings = new Map<string, { samples: Float64Array; count: number }>();

  constructor(private readonly samplesMax = 8192) {}

  record(phase: string, ms: number): void {
    let ring = this.rings.get(phase);
    if (ring === undefined) {
      ring = { samples: new Float64Array(this.samplesMax), count: 0 };
      this.rings.set(phase, ring);
    }
    ring.samples[ring.count % this.samplesMax] = ms;
    ring.count++;
  }

  reset(): void {
    this.rings.clear();
  }

  summary(): Record<string, PhaseSummary> {
    const out: Record<string, PhaseSummary> = {};
    for (const [phase, ring] of this.rings) {
      const n = Math.min(ring.count, this.samplesMax);
      const sorted = ring.samples.slice(0, n).sort();
      const at = (p: number) => Number(sorted[Math.min(n - 1, Math.floor(p * n))]!.toFixed(3));
      out[phase] = { count: ring.count, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: Number(sorted[n - 1]!.toFixed(3)) };
    }
    return out;
  }
}
