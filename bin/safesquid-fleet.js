#!/usr/bin/env node
// Committed shim: tsc does not set the executable bit on dist/cli.js, and npm links this file.
import "../dist/cli.js";
