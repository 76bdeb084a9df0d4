#!/usr/bin/env node
// kubectl plugin: `kubectl vexil list|kill|restore FLAG -n NS` is `vexil flags … --kubernetes`
// against kubectl's cluster ($KUBECONFIG or ~/.kube/config; --kubeconfig also works).
/* global process */
import { launch } from "./launch.js";

const args = process.argv.slice(2);
await launch(["flags", ...args, ...(args.includes("--kubernetes") ? [] : ["--kubernetes"])]);
