// `vexil experiment list` and `vexil experiment results NAME`: experiment results read from a
// running evaluator (--url, its GET /v1/experiments) or straight from the event store
// (--events-database, or the store beside --flags).
import { Command } from "commander";
import { experimentResults, type ExperimentResults } from "../../event-store/results.ts";
import type { EventStore } from "../../event-store/store.ts";
import { openEventsDatabase } from "../events-database.ts";
import { experimentsTable, resultsText } from "../experiment-table.ts";
import { ExitCode, UsageError, outputOption, printJson, runAction, type Io, type OutputFormat } from "../output.ts";

export interface ExperimentOptions {
  url?: string;
  eventsDatabase?: string;
  flags?: string;
  namespace: string;
  output: OutputFormat;
  token?: string;
}

interface Reader {
  list(): Promise<ExperimentResults[]>;
  /** undefined when there is no such experiment */
  get(name: string): Promise<{ results: ExperimentResults; control: string } | undefined>;
  close(): Promise<void>;
}

async function fetchJson(url: string, token: string | undefined): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const response = await fetch(url, { headers });
  return { status: response.status, body: await response.json().catch(() => undefined) };
}

function evaluatorReader(base: string, token: string | undefined): Reader {
  const url = base.replace(/\/+$/, "");
  const fail = (status: number, body: unknown) => {
    const details = (body as { errorDetails?: string } | undefined)?.errorDetails ?? `HTTP ${status}`;
    return new Error(`${url} answered ${status}: ${details}`);
  };
  return {
    async list() {
      const { status, body } = await fetchJson(`${url}/v1/experiments`, token);
      if (status !== 200) throw fail(status, body);
      return (body as { experiments: ExperimentResults[] }).experiments;
    },
    async get(name) {
      const { status, body } = await fetchJson(`${url}/v1/experiments/${encodeURIComponent(name)}`, token);
      if (status === 404) return undefined;
      if (status !== 200) throw fail(status, body);
      const results = body as ExperimentResults;
      return { results, control: controlOf(results) };
    },
    close: async () => {},
  };
}

/** The evaluator's results do not carry the spec: the control is the row without a lift. */
function controlOf(results: ExperimentResults): string {
  const rows = Object.values(results.results)[0] ?? [];
  return rows.find((r) => r.lift === undefined)?.variant ?? "";
}

function storeReader(store: EventStore, namespace: string): Reader {
  return {
    async list() {
      const definitions = await store.experiments(namespace);
      return Promise.all(definitions.map((d) => experimentResults(store, d)));
    },
    async get(name) {
      const definition = (await store.experiments(namespace)).find((d) => d.name === name);
      if (!definition) return undefined;
      return { results: await experimentResults(store, definition), control: definition.spec.control };
    },
    close: () => store.close(),
  };
}

function readerFor(options: ExperimentOptions): Reader {
  if (options.url && (options.eventsDatabase || options.flags)) {
    throw new UsageError("read either an evaluator (--url) or an event store (--events-database / --flags), not both");
  }
  if (options.url) return evaluatorReader(options.url, options.token ?? process.env.VEXIL_TOKEN);
  const store = openEventsDatabase(options.eventsDatabase, options.flags);
  if (!store)
    throw new UsageError("say where results are: --url http://evaluator:8080, --events-database, or --flags DIR");
  return storeReader(store, options.namespace);
}

export async function runExperimentList(io: Io, options: ExperimentOptions): Promise<ExitCode> {
  const reader = readerFor(options);
  try {
    const list = await reader.list();
    if (options.output === "json") printJson(io, { experiments: list });
    else io.out(experimentsTable(list));
    return ExitCode.OK;
  } finally {
    await reader.close();
  }
}

export async function runExperimentResults(io: Io, name: string, options: ExperimentOptions): Promise<ExitCode> {
  const reader = readerFor(options);
  try {
    const found = await reader.get(name);
    if (!found) {
      io.err(`error: no experiment "${name}" in namespace ${options.namespace}\n`);
      return ExitCode.PROBLEMS;
    }
    if (options.output === "json") printJson(io, found.results);
    else io.out(resultsText(found.results, found.control));
    return ExitCode.OK;
  } finally {
    await reader.close();
  }
}

function sourceOptions(command: Command): Command {
  return command
    .option("--url <url>", "an evaluator to ask (GET /v1/experiments), e.g. http://vexil-evaluator:8080")
    .option("--token <token>", "bearer token for an evaluator with auth (default $VEXIL_TOKEN)")
    .option("--events-database <url|file>", "read the event store directly: postgres://… or a SQLite file")
    .option("--flags <dir>", "directory mode: read the store beside the flags (<dir>/.vexil/events.db)")
    .option("--namespace <ns>", "namespace of the experiments (store only)", "default")
    .addOption(outputOption());
}

export function registerExperiment(program: Command): void {
  const group = program.command("experiment").description("experiment results: exposures, conversions, statistics");
  const list = sourceOptions(group.command("list").description("every experiment with its phase and leading variant"));
  list.action(runAction(list, (io, options: ExperimentOptions) => runExperimentList(io, options)));
  const results = sourceOptions(
    group
      .command("results")
      .argument("<name>", "experiment name")
      .description("per-metric, per-variant results of one experiment"),
  );
  results.action(
    runAction(results, (io, name: string, options: ExperimentOptions) => runExperimentResults(io, name, options)),
  );
}
