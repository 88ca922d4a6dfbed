/**
 * `npm run lint` (and so `npm test`) checks the layers: the import rules in
 * .dependency-cruiser.cjs, and that no two folders of app/ import each other in a circle
 * (a file-level check cannot see `services → shopify → services` spread over files).
 * Exits non-zero with every violation listed.
 */
import { createRequire } from "node:module";
import { cruise, type ICruiseResult } from "dependency-cruiser";

const require = createRequire(import.meta.url);
const config = require("../.dependency-cruiser.cjs") as { forbidden: unknown[]; options: Record<string, unknown> };

/**
 * A module's folder under app/ ("app/services"), or the file itself for app's top-level
 * files. shopify.server.ts, where the template configures the Shopify app, belongs to the
 * Shopify layer.
 */
function folderOf(path: string): string | null {
  if (path === "app/shopify.server.ts") return "app/shopify";
  const match = /^app\/([^/]+)(\/)?/.exec(path);
  if (!match) return null;
  return match[2] ? `app/${match[1]}` : path;
}

function folderCycles(result: ICruiseResult): string[][] {
  const edges = new Map<string, Set<string>>();
  for (const module of result.modules) {
    const from = folderOf(module.source);
    if (!from) continue;
    for (const dependency of module.dependencies) {
      const to = folderOf(dependency.resolved);
      if (!to || to === from || to === "app/generated") continue;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)!.add(to);
    }
  }
  // Every elementary cycle is overkill: one per strongly connected component says enough.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let next = 0;
  const visit = (node: string) => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const target of edges.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) low.set(node, Math.min(low.get(node)!, index.get(target)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return components;
}

const cruised = await cruise(["app", "server"], {
  ...config.options,
  ruleSet: { forbidden: config.forbidden },
  validate: true,
} as never);
const result = cruised.output as ICruiseResult;
const problems: string[] = [];
for (const violation of result.summary.violations) {
  const via = violation.cycle?.length
    ? ` (circle: ${violation.cycle.map((step) => (typeof step === "string" ? step : step.name)).join(" → ")})`
    : "";
  problems.push(`${violation.rule.name}: ${violation.from} → ${violation.to}${via}`);
}
for (const cycle of folderCycles(result)) problems.push(`folder-cycle: ${cycle.join(" ⇄ ")}`);

if (problems.length) {
  console.error(
    `Architecture check: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join("\n")}\nThe layers and their rules: docs/architecture.md`,
  );
  process.exit(1);
}
console.log(
  `Architecture check: ${result.summary.totalCruised} modules, ${result.summary.totalDependenciesCruised} imports, no rule broken, no folder cycle.`,
);
