import adminEn from "./admin-en";

const en = {
  ...adminEn,
  "app.name": "Comeback",
  "login.title": "Log in",
  "login.shopLabel": "Shop domain",
  "login.shopHelp": "example.myshopify.com",
  "login.submit": "Log in",
  "login.errors.missingShop": "Please enter your shop domain to log in",
  "login.errors.invalidShop": "Please enter a valid shop domain to log in",
  "landing.heading": "Turn one-time buyers into returning customers",
  "landing.tagline": "Points, VIP tiers, rewards and referrals that run themselves.",
  "nav.home": "Home",
  "home.title": "Comeback",
  "home.status.heading": "Program status",
  "home.status.DRAFT": "Draft: the program is not live yet",
  "home.status.LIVE": "Live",
  "home.status.PAUSED": "Paused",
  "home.members": { one: "{count} member", other: "{count} members" },
  "home.empty.heading": "No members yet",
  "home.empty.body": "Customers join when they create an account or place an order once the program is live.",
  "error.heading": "Something went wrong",
  "error.body": "Please reload the page. If it happens again, contact support.",
} as const;

export default en;
