/**
 * The home page's "Get started" checklist: five steps a new merchant takes, each ticked
 * from what is true in the shop right now, never from a flag the merchant clicks.
 *
 * - embed: the storefront launcher (app embed) is on in the live theme. Read from
 *   Shopify; when Shopify cannot tell us (scope not granted yet, throttled, slow) the
 *   step says so rather than guessing, and counts as not done.
 * - launch: the program is live.
 * - member: someone has joined.
 * - redemption: a member has spent points on a reward and got a code.
 * - emails: the merchant has looked at the lifecycle emails: saved one (text, switch or
 *   sender) or sent themselves a test.
 *
 * The order is the order a merchant can do them in: a redemption needs a member, a
 * member needs the launcher and a live program.
 */

export const STEPS = ["embed", "launch", "member", "redemption", "emails"] as const;
export type StepId = (typeof STEPS)[number];

/** done / not done, or (the embed only) could not be checked. */
export type StepState = "done" | "todo" | "unknown";

export interface GetStartedFacts {
  embed: "on" | "off" | "unknown";
  live: boolean;
  hasMember: boolean;
  hasRedemption: boolean;
  emailsReviewed: boolean;
}

export interface GetStarted {
  steps: Array<{ id: StepId; state: StepState }>;
  done: number;
  total: number;
  complete: boolean;
}

export function getStarted(facts: GetStartedFacts): GetStarted {
  const tick = (yes: boolean): StepState => (yes ? "done" : "todo");
  const states: Record<StepId, StepState> = {
    embed: facts.embed === "on" ? "done" : facts.embed === "off" ? "todo" : "unknown",
    launch: tick(facts.live),
    member: tick(facts.hasMember),
    redemption: tick(facts.hasRedemption),
    emails: tick(facts.emailsReviewed),
  };
  const steps = STEPS.map((id) => ({ id, state: states[id] }));
  const done = steps.filter((step) => step.state === "done").length;
  return { steps, done, total: steps.length, complete: done === steps.length };
}
