// `npm run bench:events`: the experiments pipeline's figures for docs/benchmarks.md.
//   events ingested per second per evaluator core (SQLite, PostgreSQL),
//   evaluation throughput with exposure recording on vs off (goal: within 10 %),
//   the SQL aggregation of 1 million users × 3 variants (goal: under 2 s).
// Options: --users N (default 1000000), --seconds N per evaluation run (default 10), --batches N (default 500).
import { parseArgs } from "node:util";
import { postgresAggregate, sqliteAggregate } from "./events/aggregate.ts";
import { evaluate, ingest } from "./events/serving.ts";
import { startPostgres } from "../test/postgres/server.ts";

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "1000000" },
    seconds: { type: "string", default: "10" },
    batches: { type: "string", default: "500" },
  },
});
const users = Number(values.users);
const seconds = Number(values.seconds);
const batches = Number(values.batches);

const postgres = await startPostgres("ingest");
try {
  console.log("ingestion: POST /v1/events, 100 events a batch, 8 in flight, until all are stored");
  for (const figure of [
    await ingest("SQLite", undefined, batches),
    await ingest("PostgreSQL", postgres.url, batches),
  ]) {
    console.log(
      `  ${figure.store.padEnd(11)} ${figure.events} events in ${figure.seconds.toFixed(2)} s wall, ` +
        `${figure.cpuSeconds.toFixed(2)} s evaluator CPU → ${Math.round(figure.perCoreSecond)} events per core-second`,
    );
  }
  console.log(`evaluation: OFREP, a new user each request, 16 connections, ${seconds} s`);
  // the first run of a session is penalised (the load generator warms up in this process): one
  // discarded run, then "off" before and after the "on" runs, compared with their mean
  await evaluate("warm-up", ["--no-events"], 3);
  const offBefore = await evaluate("off (--no-events)", ["--no-events"], seconds);
  const onSqlite = await evaluate("on, SQLite", [], seconds);
  const onPostgres = await evaluate("on, PostgreSQL", ["--events-database", postgres.url], seconds);
  const offAfter = await evaluate("off again", ["--no-events"], seconds);
  const offRate = (offBefore.requestsPerSecond + offAfter.requestsPerSecond) / 2;
  for (const figure of [offBefore, onSqlite, onPostgres, offAfter]) {
    const change = ((figure.requestsPerSecond / offRate - 1) * 100).toFixed(1);
    console.log(
      `  ${figure.recording.padEnd(18)} ${Math.round(figure.requestsPerSecond)} req/s, ` +
        `${figure.cpuPerRequestMicros.toFixed(1)} µs CPU per request (${change}% vs mean of off)`,
    );
  }
} finally {
  await postgres.stop();
}
console.log(`aggregation: ${users} users × 3 variants, 1 conversion and 1 numeric metric`);
for (const figure of [await sqliteAggregate(users), await postgresAggregate(users)]) {
  console.log(
    `  ${figure.store.padEnd(22)} ${figure.seconds.toFixed(2)} s (${figure.conversions} converted, ${figure.values} with values)`,
  );
}
