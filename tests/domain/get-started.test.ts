import { describe, expect, it } from "vitest";
import { getStarted, type GetStartedFacts } from "../../app/domain/get-started";

const NOTHING: GetStartedFacts = {
  embed: "off",
  live: false,
  hasMember: false,
  hasRedemption: false,
  emailsReviewed: false,
};

describe("the Get started checklist", () => {
  it("lists the five steps in the order a merchant can take them, none done in a new shop", () => {
    const list = getStarted(NOTHING);
    expect(list.steps).toEqual([
      { id: "embed", state: "todo" },
      { id: "launch", state: "todo" },
      { id: "member", state: "todo" },
      { id: "redemption", state: "todo" },
      { id: "emails", state: "todo" },
    ]);
    expect(list).toMatchObject({ done: 0, total: 5, complete: false });
  });

  it.each([
    ["embed", { embed: "on" }],
    ["launch", { live: true }],
    ["member", { hasMember: true }],
    ["redemption", { hasRedemption: true }],
    ["emails", { emailsReviewed: true }],
  ] as const)("ticks %s from its own fact only", (id, fact) => {
    const list = getStarted({ ...NOTHING, ...fact });
    expect(list.steps.filter((s) => s.state === "done").map((s) => s.id)).toEqual([id]);
    expect(list.done).toBe(1);
  });

  it("says the embed could not be checked, and does not count it as done", () => {
    const list = getStarted({ ...NOTHING, embed: "unknown", live: true, hasMember: true });
    expect(list.steps[0]).toEqual({ id: "embed", state: "unknown" });
    expect(list).toMatchObject({ done: 2, complete: false });
  });

  it("is complete only when all five are done", () => {
    const all = { embed: "on", live: true, hasMember: true, hasRedemption: true, emailsReviewed: true } as const;
    expect(getStarted(all)).toMatchObject({ done: 5, total: 5, complete: true });
    expect(getStarted({ ...all, embed: "unknown" })).toMatchObject({ done: 4, complete: false });
  });
});
