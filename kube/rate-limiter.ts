// Client-side request budget for the operator's background writes (status patches, Events),
// the token bucket client-go users know as --kube-api-qps / --kube-api-burst. A cold start
// with 10 000 new flags has 10 000 statuses to write; without a budget they would go out as
// fast as the API server answers and crowd out every other client of it. Snapshot writes do
// not take from this budget: a kill switch must never wait behind a status backlog.

export interface RateLimit {
  /** sustained requests per second; 0 means unlimited */
  qps: number;
  /** requests allowed at once after an idle period */
  burst: number;
}

export class RateLimiter {
  private readonly qps: number;
  private readonly burst: number;
  private tokens: number;
  private updatedAt = performance.now();

  constructor(limit: RateLimit) {
    if (!(limit.qps >= 0) || !Number.isFinite(limit.qps))
      throw new Error(`rate limit: qps must be a number ≥ 0 (0 = unlimited), got ${limit.qps}`);
    if (!Number.isInteger(limit.burst) || limit.burst < 1)
      throw new Error(`rate limit: burst must be an integer ≥ 1, got ${limit.burst}`);
    this.qps = limit.qps;
    this.burst = limit.burst;
    this.tokens = limit.burst;
  }

  /**
   * Reserves one request and resolves when it may be sent. Reservations are granted in call
   * order: each caller is told how long to wait for its own token, so waiting callers never
   * compete for the same one.
   */
  async take(): Promise<void> {
    const delayMs = this.reserve();
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  }

  /** Milliseconds until the reserved token is available (0: now). */
  reserve(): number {
    if (this.qps === 0) return 0;
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.qps);
    this.updatedAt = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.qps) * 1000;
  }
}
