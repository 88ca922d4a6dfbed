/**
 * Lists the admin's forms and the services share, kept free of server code so the
 * admin's pages can import them into the browser bundle.
 */

/** The actions set in the program page's earning form; birthdays and social follows have their own. */
export const EARNING_FORM_ACTIONS = [
  "SIGNUP",
  "FIRST_ORDER",
  "NEWSLETTER",
  "REFERRAL",
  "REVIEW",
  "PHOTO_REVIEW",
] as const;

/** Review apps whose webhooks Comeback verifies (integrations/reviews/providers.ts). */
export const REVIEW_PROVIDERS = ["judgeme", "yotpo", "okendo", "stamped", "generic"] as const;
export type ReviewProvider = (typeof REVIEW_PROVIDERS)[number];
