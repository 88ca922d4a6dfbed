import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Card,
  EmptyState,
  IndexFilters,
  IndexTable,
  Page,
  Pagination,
  Text,
  useIndexResourceState,
  useSetIndexFiltersMode,
  type IndexFiltersProps,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import prisma from "../db.server";
import { listMembers, parseMemberListQuery } from "../services/member-list";
import { latestBulkAction, startBulkAction } from "../services/admin/bulk-members";
import { adminAction, formFields } from "../http/admin-actions";
import { BulkActionModal, BulkBanner, type BulkAction } from "../components/member-bulk";
import { localizedName, programLanguage } from "../domain/localized";
import { formatMoney } from "../domain/money";
import { adminContext } from "../shopify/admin-context.server";
import { useLocale, useT } from "../components/locale";
import { PageError } from "../components/page-error";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, locale } = await adminContext(request);
  const query = parseMemberListQuery(new URL(request.url).searchParams);
  const [page, bulk] = await Promise.all([listMembers(prisma, shop, query), latestBulkAction(prisma, shop.id)]);
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
    // The newest bulk action while it runs, and for an hour after, for its banner.
    bulk:
      bulk && (bulk.status === "RUNNING" || (bulk.finishedAt && Date.now() - bulk.finishedAt.getTime() < 3_600_000))
        ? { ...bulk, startedAt: bulk.startedAt.toISOString(), finishedAt: bulk.finishedAt?.toISOString() ?? null }
        : null,
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

/** POST intent=bulk: a bulk action on the members picked, or on every member the filters match. */
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, actor } = await adminContext(request);
  const form = await formFields(request);
  if (form.intent !== "bulk") throw new Response("Unknown action", { status: 400 });
  return adminAction(() => startBulkAction(prisma, shop, form, actor));
};

export default function Members() {
  const t = useT();
  const locale = useLocale();
  const { members, nextCursor, previousCursor, total, tiers, query, bulk } = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const navigation = useNavigation();
  const [search, setSearch] = useState(query.search ?? "");
  const { mode, setMode } = useSetIndexFiltersMode();
  const date = new Intl.DateTimeFormat(locale, { dateStyle: "medium" });
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } =
    useIndexResourceState(members);
  const [bulkAction, setBulkAction] = useState<BulkAction | null>(null);
  const [bulkDismissed, setBulkDismissed] = useState<string | null>(null);
  // The list's search and filters (not its page): what "all members" means.
  const listQuery = new URLSearchParams([...params].filter(([key]) => key !== "cursor" && key !== "dir")).toString();
  const more = Boolean(nextCursor || previousCursor);
  const selection: { ids: string[] } | { all: true; query: string; total: number | null } =
    allResourcesSelected && more ? { all: true, query: listQuery, total } : { ids: selectedResources };
  const exportSelection = () => {
    const target =
      "ids" in selection ? `?${new URLSearchParams({ ids: selection.ids.join(",") })}` : `?${selection.query}`;
    window.open(`/app/members/export${target}`, "_blank", "noopener");
  };
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
      <BlockStack gap="400">
        {bulk && bulk.id !== bulkDismissed ? (
          <BulkBanner bulk={bulk} onDismiss={() => setBulkDismissed(bulk.id)} />
        ) : null}
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
              selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
              onSelectionChange={handleSelectionChange}
              hasMoreItems={more}
              paginatedSelectAllActionText={
                total !== null ? t("members.bulk.selectAll", { count: total }) : t("members.bulk.selectAllSearch")
              }
              promotedBulkActions={[
                { content: t("members.bulk.adjust"), onAction: () => setBulkAction("adjust") },
                { content: t("members.bulk.export"), onAction: exportSelection },
              ]}
              bulkActions={[
                { content: t("members.bulk.setTier"), onAction: () => setBulkAction("setTier") },
                { content: t("members.bulk.clearTier"), onAction: () => setBulkAction("clearTier") },
                { content: t("members.bulk.exclude"), onAction: () => setBulkAction("exclude") },
                { content: t("members.bulk.include"), onAction: () => setBulkAction("include") },
              ]}
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
                <IndexTable.Row id={m.id} key={m.id} position={index} selected={selectedResources.includes(m.id)}>
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
      </BlockStack>
      <BulkActionModal
        action={bulkAction}
        selection={selection}
        tiers={tiers}
        onClose={(started) => {
          setBulkAction(null);
          if (started) {
            clearSelection();
            setBulkDismissed(null);
          }
        }}
      />
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageError />;
}
