/**
 * The demo shop's catalogue, as the Admin API stand-in serves it (products with their
 * variants, collections) and the local storefront shows it. Ids are Shopify-style
 * numeric ids; GIDs are built from them as Shopify does (gid://shopify/Product/<id>).
 */
export interface StandinProduct {
  id: number;
  title: string;
  /** Minor units of the shop's currency. */
  price: number;
  variants: Array<{ id: number; title: string }>;
  collections: number[];
}

export const STANDIN_COLLECTIONS = [
  { id: 5001, title: "Green tea" },
  { id: 5002, title: "Black tea" },
  { id: 5003, title: "Teaware" },
];

export const STANDIN_PRODUCTS: StandinProduct[] = [
  {
    id: 632910392,
    title: "Sencha green tea, 100 g",
    price: 4990,
    variants: [{ id: 808950810, title: "Default Title" }],
    collections: [5001],
  },
  {
    id: 632910393,
    title: "Gyokuro green tea, 50 g",
    price: 8900,
    variants: [{ id: 808950811, title: "Default Title" }],
    collections: [5001],
  },
  {
    id: 632910394,
    title: "Assam black tea",
    price: 3490,
    variants: [
      { id: 808950812, title: "100 g" },
      { id: 808950813, title: "250 g" },
    ],
    collections: [5002],
  },
  {
    id: 632910395,
    title: "Earl Grey, 100 g",
    price: 3990,
    variants: [{ id: 808950814, title: "Default Title" }],
    collections: [5002],
  },
  {
    id: 632910396,
    title: "Cast iron teapot",
    price: 12900,
    variants: [{ id: 808950815, title: "Default Title" }],
    collections: [5003],
  },
  {
    id: 632910397,
    title: "Tea sample box",
    price: 990,
    variants: [{ id: 808950816, title: "Default Title" }],
    collections: [5001, 5002],
  },
];
