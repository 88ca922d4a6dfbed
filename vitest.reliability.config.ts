import { defineConfig } from "vitest/config";
import base from "./vitest.config";

// `npm run test:reliability`: the reliability suite at full scale (10k+ webhooks and bad
// requests). `npm test` runs the same files at a short scale.
export default defineConfig({
  test: {
    ...base.test,
    include: ["tests/reliability/**/*.test.ts"],
    // One file at a time: each loads the machine on its own.
    fileParallelism: false,
    testTimeout: 1_800_000,
    env: { ...base.test?.env, RELIABILITY_SCALE: "full" },
  },
});
