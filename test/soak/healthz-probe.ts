// Asks GET /healthz every 100 ms from its own process (so the load generator's event loop never
// delays the measurement) until stdin closes, then prints the latencies in ms as JSON.
const url = process.argv[2];
if (!url) throw new Error("usage: healthz-probe.ts URL");
const latencies: number[] = [];
const failures: string[] = [];
let running = true;
process.stdin.on("end", () => (running = false));
process.stdin.resume();
while (running) {
  const started = performance.now();
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    await response.arrayBuffer();
    if (response.status !== 200) failures.push(`status ${response.status}`);
  } catch (error) {
    failures.push((error as Error).message);
  }
  latencies.push(performance.now() - started);
  await new Promise((resolve) => setTimeout(resolve, 100));
}
process.stdout.write(JSON.stringify({ latencies, failures }));
