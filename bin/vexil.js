#!/usr/bin/env node
// The `vexil` command (see launch.js for how it finds Node.js 26 and the CLI).
/* global process */
import { launch } from "./launch.js";

await launch(process.argv.slice(2));
