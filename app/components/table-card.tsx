import { BlockStack, Card, DataTable, Text, type DataTableProps } from "@shopify/polaris";
import type { ReactNode } from "react";

/** A card with a heading and a table of what there is, or a line saying there is nothing yet. */
export function TableCard({
  title,
  note,
  empty,
  columnContentTypes,
  headings,
  rows,
}: {
  title: string;
  /** A line under the heading, shown whether or not there are rows. */
  note?: string;
  empty: string;
  columnContentTypes: DataTableProps["columnContentTypes"];
  headings: ReactNode[];
  rows: DataTableProps["rows"];
}) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        {note ? (
          <Text as="p" tone="subdued">
            {note}
          </Text>
        ) : null}
        {rows.length === 0 ? (
          <Text as="p" tone="subdued">
            {empty}
          </Text>
        ) : (
          <DataTable columnContentTypes={columnContentTypes} headings={headings} rows={rows} />
        )}
      </BlockStack>
    </Card>
  );
}
