// SDK benchmark: each generated SDK's in-process engine (Python, Go, Java) against the fastest
// in-process peers its language offers, on the four cases of bench/cases.ts, in the same run.
//   node bench/sdk.ts [--quick] [--languages python,go,java] [--output json]
// Each language runs as its own program (bench/sdk/<language>/), which sanity-checks every
// system's answers over the 1000 users before timing it and measures CPU time per evaluation.
import { rmSync } from "node:fs";
import { parseArgs } from "node:util";
import { CASE_IDS, CASE_TITLES } from "./cases.ts";
import { describeMachine, machineInfo } from "./machine.ts";
import { runMain } from "./options.ts";
import { formatNs, markdownTable, writeResults } from "./report.ts";
import { writeBenchConfig } from "./sdk/config.ts";
import { LANGUAGES, runLanguage, type Language } from "./sdk/languages.ts";
import { tail } from "../test/sdk/engines/toolchains.ts";

interface Result {
  language: Language;
  system: string;
  name: string;
  version: string;
  case: string;
  nsPerEval: number;
  rounds: number[];
  sanity: string;
}

function readOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      languages: { type: "string", default: LANGUAGES.join(",") },
      output: { type: "string" },
    },
  });
  const languages = values.languages.split(",").map((l) => l.trim()) as Language[];
  const unknown = languages.filter((l) => !(LANGUAGES as readonly string[]).includes(l));
  if (unknown.length > 0)
    throw new Error(`unknown language(s) ${unknown.join(", ")}; choose from ${LANGUAGES.join(", ")}`);
  if (values.output !== undefined && values.output !== "json")
    throw new Error(`--output takes "json", got "${values.output}"`);
  return { languages, quick: values.quick, json: values.output === "json" };
}

/** One table per language: a row per case, a column per system, and Vexil against the fastest peer. */
function table(results: Result[]): { text: string; slower: string[] } {
  const systems = [...new Set(results.map((r) => r.system))];
  const named = systems.map((s) => {
    const r = results.find((x) => x.system === s)!;
    return `${r.name} ${r.version}`;
  });
  const slower: string[] = [];
  const rows = CASE_IDS.map((id) => {
    const row = systems.map((s) => results.find((r) => r.system === s && r.case === id));
    const vexil = row[systems.indexOf("vexil")];
    const peers = row.filter((r): r is Result => r !== undefined && r.system !== "vexil");
    const fastest = peers.reduce<Result | undefined>((a, b) => (a && a.nsPerEval <= b.nsPerEval ? a : b), undefined);
    let verdict = "";
    if (vexil && fastest) {
      const ratio = fastest.nsPerEval / vexil.nsPerEval;
      verdict = `${ratio.toFixed(1)}× ${fastest.system}`;
      if (ratio < 1) slower.push(`${vexil.language} ${id}: ${(1 / ratio).toFixed(2)}× slower than ${fastest.name}`);
    }
    return [CASE_TITLES[id], ...row.map((r) => (r ? formatNs(r.nsPerEval) : "—")), verdict];
  });
  return { text: markdownTable(["case", ...named, "Vexil vs fastest peer"], rows), slower };
}

async function main(argv: string[]): Promise<boolean> {
  const { languages, quick, json } = readOptions(argv);
  const machine = machineInfo();
  console.log(`# SDK engine benchmark\n${describeMachine(machine)}`);
  console.log("median CPU time per evaluation over 1000 rotating users (higher × = Vexil faster)\n");
  const config = writeBenchConfig();
  const all: Result[] = [];
  let ok = true;
  try {
    for (const language of languages) {
      const output = await runLanguage(language, config, quick);
      const results = output.stdout
        .split("\n")
        .filter((l) => l.startsWith("RESULT "))
        .map((l) => JSON.parse(l.slice(7)) as Result);
      if (output.code !== 0 || results.length === 0) throw new Error(`${language} benchmark failed:\n${tail(output)}`);
      const bad = results.filter((r) => r.sanity !== "ok");
      for (const r of bad) console.log(`  ✗ ${language} ${r.name} ${r.case}: ${r.sanity}`);
      ok &&= bad.length === 0;
      const { text, slower } = table(results);
      console.log(`## ${language}\n\n${text}\n`);
      for (const line of slower) console.log(`  goal missed: ${line}`);
      all.push(...results);
    }
  } finally {
    rmSync(config, { recursive: true, force: true });
  }
  if (json) console.log(`wrote ${writeResults("sdk", { machine, quick, results: all })}`);
  return ok;
}

await runMain(() => main(process.argv.slice(2)));
