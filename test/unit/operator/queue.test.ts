import { describe, expect, it } from "vitest";
import { WorkQueue } from "../../../operator/queue.ts";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe("WorkQueue", () => {
  it("hands out a key added many times only once", async () => {
    const queue = new WorkQueue();
    queue.add("shop/production");
    queue.add("shop/production");
    queue.add("shop/staging");
    expect(queue.length).toBe(2);
    expect(await queue.get()).toBe("shop/production");
    expect(await queue.get()).toBe("shop/staging");
    expect(queue.length).toBe(0);
  });

  it("never gives a key to a second worker while the first is processing it", async () => {
    const queue = new WorkQueue();
    queue.add("a");
    const first = await queue.get();
    queue.add("a"); // an event arrives during processing
    let second: string | undefined;
    void queue.get().then((key) => (second = key));
    await sleep(10);
    expect(second).toBeUndefined();
    queue.done(first!);
    await sleep(0);
    expect(second).toBe("a");
  });

  it("does not requeue a processed key that did not change meanwhile", async () => {
    const queue = new WorkQueue();
    queue.add("a");
    queue.done((await queue.get())!);
    expect(queue.length).toBe(0);
  });

  it("resolves a waiting worker as soon as a key is added", async () => {
    const queue = new WorkQueue();
    const pending = queue.get();
    queue.add("late");
    expect(await pending).toBe("late");
  });

  it("backs off exponentially per key and resets after forget", () => {
    const queue = new WorkQueue({ baseDelayMs: 10, maxDelayMs: 50 });
    expect(queue.addRateLimited("a")).toBe(10);
    expect(queue.addRateLimited("a")).toBe(20);
    expect(queue.addRateLimited("a")).toBe(40);
    expect(queue.addRateLimited("a")).toBe(50);
    expect(queue.addRateLimited("b")).toBe(10);
    expect(queue.failuresOf("a")).toBe(4);
    queue.forget("a");
    expect(queue.addRateLimited("a")).toBe(10);
    queue.shutDown();
  });

  it("delays retries beyond the overall budget", () => {
    const queue = new WorkQueue({ baseDelayMs: 1, retriesPerSecond: 10, retryBurst: 2 });
    expect(queue.addRateLimited("a")).toBe(1);
    expect(queue.addRateLimited("b")).toBe(1);
    expect(queue.addRateLimited("c")).toBeGreaterThanOrEqual(90);
    queue.shutDown();
  });

  it("adds a delayed key when its time comes, keeping the earliest of two delays", async () => {
    const queue = new WorkQueue();
    queue.addAfter("a", 200);
    queue.addAfter("a", 20);
    queue.addAfter("a", 500);
    expect(queue.length).toBe(0);
    await sleep(60);
    expect(queue.length).toBe(1);
    expect(await queue.get()).toBe("a");
    queue.shutDown();
  });

  it("reports depth changes and releases waiting workers on shutdown", async () => {
    const depths: number[] = [];
    const queue = new WorkQueue({ onDepthChange: (depth) => depths.push(depth) });
    queue.add("a");
    queue.add("b");
    await queue.get();
    expect(depths).toEqual([1, 2, 1]);
    await queue.get();
    const waiting = queue.get();
    queue.shutDown();
    expect(await waiting).toBeUndefined();
    expect(await queue.get()).toBeUndefined();
    queue.add("c");
    expect(queue.length).toBe(0);
  });
});
