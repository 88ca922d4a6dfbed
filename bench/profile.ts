/**
 * Summarises V8 CPU profiles (`--cpu-prof`) of the app server: self time by where the code
 * lives (a package in node_modules, the app's own modules, Node's internals), and the
 * heaviest functions. `npx tsx bench/profile.ts <dir or .cpuprofile>...`
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: Node[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const files = process.argv.slice(2).flatMap((arg) =>
  statSync(arg).isDirectory()
    ? readdirSync(arg)
        .filter((f) => f.endsWith(".cpuprofile"))
        .map((f) => join(arg, f))
    : [arg],
);

function place(url: string): string {
  if (!url) return "(native: V8, GC, idle)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith("node:")) return "node internals";
  return url.includes("/build/") ? "app (build/server)" : url;
}

const byPlace = new Map<string, number>();
const byFunction = new Map<string, number>();
let total = 0;
for (const file of files) {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples.forEach((id, i) => {
    const node = nodes.get(id)!;
    const micros = profile.timeDeltas[i] ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === "(idle)") return;
    total += micros;
    const where = functionName === "(garbage collector)" ? "(garbage collector)" : place(url);
    byPlace.set(where, (byPlace.get(where) ?? 0) + micros);
    const name = `${functionName || "(anonymous)"} ${url.replace(/.*node_modules\//, "")}:${lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  });
}
const top = (map: Map<string, number>, n: number) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)}%  ${(v / 1000).toFixed(0).padStart(7)} ms  ${k}`);
console.log(`busy CPU: ${(total / 1000).toFixed(0)} ms over ${files.length} profile(s)\n\nby place:`);
console.log(top(byPlace, 15).join("\n"));
console.log("\nheaviest functions (self time):");
console.log(top(byFunction, 25).join("\n"));
