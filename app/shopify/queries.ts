/** Admin API queries (the mutations live with their callers in discounts.server.ts). */

export const SHOP_QUERY = `#graphql
  query ComebackShop {
    shop {
      name
      currencyCode
      ianaTimezone
    }
    shopLocales(published: true) {
      locale
      primary
    }
  }
`;
