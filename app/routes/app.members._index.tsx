import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import {
  Badge,
  Card,
  EmptyState,
  IndexFilters,
  IndexTable,
  Page,
  Pagination,
  Text,
  useSetIndexFiltersMode,
  type IndexFiltersProps,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import prisma from "../db.server";
import { listMembers, parseMemberListQuery } from "../services/member-list";
import { localizedName, programLanguage } from "../domain/localized";
import { formatMoney } from "../domain/money";
import { adminContext } from "../shopify/admin-context.server";
import { useLocale, useT } from "../components/locale";
import { PageError } from "../components/page-error";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, locale } = await adminContext(request);
  const query = parseMemberListQuery(new URL(request.url).searchParams);
  const page = await listMembers(prisma, shop, query);
  // Tier names in the admin's language where the program has them (as on the member page).
  const language = programLanguage(locale, shop.settings.languages, shop.settings.defaultLanguage);
  const nameOf = (tier: (typeof shop.tiers)[number]) => localizedName(tier.name, tier.names, language);
  const tierName = (id: string | null) => {
    const tier = shop.tiers.find((t) => t.id === id);
    return tier ? nameOf(tier) : null;
  };
  return {
    query,
    tiers: shop.tiers.map((t) => ({ id: t.id, name: nameOf(t) })),
    nextCursor: page.nextCursor,
    previousCursor: page.previousCursor,
    total: page.total,
    members: page.members.map((m) => ({
      id: m.id,
      name: [m.firstName, m.email].filter(Boolean).join(" · ") || m.id.slice(0, 8),
      balance: m.balance,
      tier: tierName(m.tierId),
      orders: m.orderCount,
      spent: formatMoney(m.totalSpentMinor, shop.currency, locale),
      lastOrderAt: m.lastOrderAt ? new Date(m.lastOrderAt).toISOString() : null,
      joinedAt: new Date(m.enrolledAt).toISOString(),
      excluded: m.status === "EXCLUDED",
    })),
  };
};

export default function Members() {
  const t = useT();
  const locale = useLocale();
  const { members, nextCursor, previousCursor, total, tiers, query } = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const navigation = useNavigation();
  const [search, setSearch] = useState(query.search ?? "");
  const { mode, setMode } = useSetIndexFiltersMode();
  const date = new Intl.DateTimeFormat(locale, { dateStyle: "medium" });
  const number = new Intl.NumberFormat(locale);

  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    next.delete("cursor");
    next.delete("dir");
    for (const [key, value] of Object.entries(changes)) {
      if (value === null || value === "") next.delete(key);
      else next.set(key, value);
    }
    setParams(next);
  };

  // Search as the merchant types (Polaris' IndexFilters has no submit): a pause of 300 ms
  // applies it, as does Enter.
  const applied = query.search ?? "";
  useEffect(() => {
    if (search.trim() === applied) return;
    const timer = setTimeout(() => update({ q: search.trim() }), 300);
    return () => clearTimeout(timer);
    // Only the typed text and the applied search start it: update() is new on every render.
  }, [search, applied]);
  const page = (cursor: string | null, dir: "after" | "before") => {
    const next = new URLSearchParams(params);
    if (cursor) next.set("cursor", cursor);
    else next.delete("cursor");
    if (dir === "before") next.set("dir", "before");
    else next.delete("dir");
    setParams(next);
  };

  const filters: IndexFiltersProps["filters"] = [
    {
      key: "tier",
      label: t("members.filter.tier"),
      filter: (
        <select
          aria-label={t("members.filter.tier")}
          value={query.tierId ?? ""}
          onChange={(e) => update({ tier: e.target.value })}
        >
          <option value="">{t("members.filter.anyTier")}</option>
          <option value="none">{t("members.override.none")}</option>
          {tiers.map((tier) => (
            <option key={tier.id} value={tier.id}>
              {tier.name}
            </option>
          ))}
        </select>
      ),
      shortcut: true,
    },
    {
      key: "dormant",
      label: t("members.filter.dormant"),
      filter: (
        <select
          aria-label={t("members.filter.dormant")}
          value={query.dormantDays ? String(query.dormantDays) : ""}
          onChange={(e) => update({ dormant: e.target.value })}
        >
          <option value="">{t("members.filter.anyActivity")}</option>
          {[60, 90, 180, 365].map((days) => (
            <option key={days} value={days}>
              {t("members.filter.dormantDays", { count: days })}
            </option>
          ))}
        </select>
      ),
      shortcut: true,
    },
  ];
  const appliedFilters: IndexFiltersProps["appliedFilters"] = [
    ...(query.tierId
      ? [
          {
            key: "tier",
            label: `${t("members.filter.tier")}: ${tiers.find((x) => x.id === query.tierId)?.name ?? t("members.override.none")}`,
            onRemove: () => update({ tier: null }),
          },
        ]
      : []),
    ...(query.dormantDays
      ? [
          {
            key: "dormant",
            label: t("members.filter.dormantDays", { count: query.dormantDays }),
            onRemove: () => update({ dormant: null }),
          },
        ]
      : []),
  ];
  const sortOptions: IndexFiltersProps["sortOptions"] = [
    { label: t("members.sort.recent"), value: "recent desc", directionLabel: t("members.sort.newest") },
    { label: t("members.balance"), value: "balance desc", directionLabel: t("members.sort.highest") },
    { label: t("members.sort.lastOrder"), value: "lastOrder desc", directionLabel: t("members.sort.newest") },
  ];

  return (
    <Page
      title={t("nav.members")}
      fullWidth
      primaryAction={{ content: t("members.import"), url: "/app/imports" }}
      secondaryActions={[
        {
          content: t("members.exportMembers"),
          // The list's search and filters, not its page: every member they match.
          url: `/app/members/export?${new URLSearchParams([...params].filter(([key]) => key !== "cursor"))}`,
          external: true,
        },
        { content: t("members.exportLedger"), url: "/app/ledger/export", external: true },
      ]}
    >
      <Card padding="0">
        <div
          onKeyDown={(event) => {
            if (event.key === "Enter" && (event.target as HTMLElement).tagName === "INPUT")
              update({ q: search.trim() });
          }}
        >
          <IndexFilters
            queryValue={search}
            queryPlaceholder={t("members.search")}
            onQueryChange={setSearch}
            onQueryClear={() => {
              setSearch("");
              update({ q: null });
            }}
            onQueryBlur={() => update({ q: search })}
            sortOptions={sortOptions}
            sortSelected={[`${query.sort} desc`]}
            onSort={([value]) => update({ sort: value?.split(" ")[0] ?? null })}
            filters={filters}
            appliedFilters={appliedFilters}
            onClearAll={() => update({ tier: null, dormant: null, q: null })}
            mode={mode}
            setMode={setMode}
            tabs={[]}
            selected={0}
            loading={navigation.state === "loading"}
            cancelAction={{ onAction: () => undefined }}
          />
        </div>
        {members.length === 0 ? (
          <EmptyState heading={t("members.empty.heading")} image="">
            <p>
              {t(query.search || query.tierId || query.dormantDays ? "members.empty.filtered" : "members.empty.body")}
            </p>
          </EmptyState>
        ) : (
          <IndexTable
            resourceName={{ singular: t("members.one"), plural: t("nav.members") }}
            itemCount={members.length}
            selectable={false}
            headings={[
              { title: t("members.name") },
              { title: t("members.override.tier") },
              { title: t("members.balance"), alignment: "end" },
              { title: t("members.orders"), alignment: "end" },
              { title: t("members.spent"), alignment: "end" },
              { title: t("members.sort.lastOrder") },
              { title: t("members.joined") },
            ]}
          >
            {members.map((m, index) => (
              <IndexTable.Row id={m.id} key={m.id} position={index}>
                <IndexTable.Cell>
                  <Link to={`/app/members/${m.id}`}>{m.name}</Link>
                  {m.excluded ? (
                    <>
                      {" "}
                      <Badge tone="warning">{t("members.excluded")}</Badge>
                    </>
                  ) : null}
                </IndexTable.Cell>
                <IndexTable.Cell>
                  {m.tier ? (
                    <Badge>{m.tier}</Badge>
                  ) : (
                    <Text as="span" tone="subdued">
                      —
                    </Text>
                  )}
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {number.format(m.balance)}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {number.format(m.orders)}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {m.spent}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>{m.lastOrderAt ? date.format(new Date(m.lastOrderAt)) : "—"}</IndexTable.Cell>
                <IndexTable.Cell>{date.format(new Date(m.joinedAt))}</IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
      </Card>
      <div style={{ display: "flex", justifyContent: "center", alignItems: "center", gap: 16, padding: "16px" }}>
        {total !== null ? (
          <Text as="p" tone="subdued">
            {t("members.total", { count: total })}
          </Text>
        ) : null}
        <Pagination
          hasPrevious={Boolean(previousCursor)}
          onPrevious={() => page(previousCursor, "before")}
          previousTooltip={t("members.previous")}
          hasNext={Boolean(nextCursor)}
          onNext={() => page(nextCursor, "after")}
          nextTooltip={t("members.next")}
        />
      </div>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageError />;
}
