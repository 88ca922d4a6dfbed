import { BlockStack, Card, Text } from "@shopify/polaris";

/** One figure on a card: what it is, the number, and what it counts. */
export function Figure({ title, value, help }: { title: string; value: string; help?: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h2" variant="headingSm">
          {title}
        </Text>
        <Text as="p" variant="headingXl">
          {value}
        </Text>
        {help && (
          <Text as="p" tone="subdued">
            {help}
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}
