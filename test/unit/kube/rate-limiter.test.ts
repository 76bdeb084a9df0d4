import { describe, expect, it } from "vitest";
import { RateLimiter } from "../../../kube/rate-limiter.ts";

describe("RateLimiter", () => {
  it("grants the burst at once and spaces further requests at the sustained rate", () => {
    const limiter = new RateLimiter({ qps: 100, burst: 3 });
    const delays = Array.from({ length: 6 }, () => limiter.reserve());
    expect(delays.slice(0, 3)).toEqual([0, 0, 0]);
    // reservations queue up: the 4th waits ~10 ms, the 5th ~20 ms, the 6th ~30 ms
    expect(delays[3]).toBeGreaterThan(8);
    expect(delays[3]).toBeLessThanOrEqual(10);
    expect(delays[4]).toBeGreaterThan(18);
    expect(delays[5]).toBeGreaterThan(28);
  });

  it("take() waits for the reserved token", async () => {
    const limiter = new RateLimiter({ qps: 50, burst: 1 });
    const started = performance.now();
    for (let i = 0; i < 4; i++) await limiter.take();
    expect(performance.now() - started).toBeGreaterThanOrEqual(55); // 3 waits of 20 ms, less timer slack
  });

  it("never waits with qps 0 (unlimited)", () => {
    const limiter = new RateLimiter({ qps: 0, burst: 1 });
    expect(Array.from({ length: 1000 }, () => limiter.reserve()).every((delay) => delay === 0)).toBe(true);
  });

  it("rejects a negative rate and a burst below one, naming the value", () => {
    expect(() => new RateLimiter({ qps: -1, burst: 10 })).toThrow(
      "rate limit: qps must be a number ≥ 0 (0 = unlimited), got -1",
    );
    expect(() => new RateLimiter({ qps: 10, burst: 0 })).toThrow("rate limit: burst must be an integer ≥ 1, got 0");
    expect(() => new RateLimiter({ qps: Number.NaN, burst: 1 })).toThrow("got NaN");
  });
});
