import { useCallback, useEffect, useState } from "react";
import {
  BlockStack,
  Button,
  InlineStack,
  Modal,
  ResourceItem,
  ResourceList,
  Tag,
  Text,
  TextField,
} from "@shopify/polaris";
import { useT } from "./locale";

export interface PickedResource {
  id: string;
  title: string;
}

type PickerType = "product" | "variant" | "collection";

interface AppBridgeSelection {
  id: string;
  title?: string;
  displayName?: string;
  variants?: Array<{ id: string; title?: string; displayName?: string }>;
}
declare global {
  interface Window {
    shopify?: {
      resourcePicker?: (options: {
        type: PickerType;
        multiple?: boolean | number;
        action?: "add" | "select";
        selectionIds?: Array<{ id: string }>;
      }) => Promise<AppBridgeSelection[] | undefined>;
    };
  }
}

/**
 * Choosing products, variants or collections. Inside Shopify admin this is App Bridge's
 * resource picker; outside it (the local demo) a modal searching the same catalogue
 * through the app (/app/resources, Admin API). The choice posts as comma-separated GIDs
 * in a hidden field named `name`.
 */
export function ResourcePickerField({
  name,
  type,
  label,
  multiple = true,
  initial,
  error,
}: {
  name: string;
  type: PickerType;
  label: string;
  multiple?: boolean;
  initial: PickedResource[];
  error?: string;
}) {
  const t = useT();
  const [picked, setPicked] = useState<PickedResource[]>(initial);
  const [open, setOpen] = useState(false);

  async function browse() {
    const picker = window.shopify?.resourcePicker;
    if (!picker) return setOpen(true);
    const selection = await picker({
      type,
      multiple,
      action: "select",
      selectionIds: picked.map((p) => ({ id: p.id })),
    });
    if (!selection) return;
    setPicked(
      selection.flatMap((item) =>
        type === "variant" && item.variants?.length
          ? item.variants.map((v) => ({ id: v.id, title: v.displayName ?? v.title ?? v.id }))
          : [{ id: item.id, title: item.title ?? item.displayName ?? item.id }],
      ),
    );
  }

  return (
    <BlockStack gap="200">
      <Text as="p" variant="bodyMd">
        {label}
      </Text>
      <input type="hidden" name={name} value={picked.map((p) => p.id).join(",")} />
      <InlineStack gap="200" blockAlign="center">
        {picked.length === 0 ? (
          <Text as="span" tone="subdued">
            {t(`picker.none.${type}`)}
          </Text>
        ) : (
          picked.map((item) => (
            <Tag key={item.id} onRemove={() => setPicked(picked.filter((p) => p.id !== item.id))}>
              {item.title}
            </Tag>
          ))
        )}
        <Button onClick={() => void browse()}>{t(`picker.browse.${type}`)}</Button>
      </InlineStack>
      {error && (
        <Text as="p" tone="critical">
          {error}
        </Text>
      )}
      {open && (
        <SearchModal
          type={type}
          multiple={multiple}
          picked={picked}
          onClose={() => setOpen(false)}
          onSelect={(selection) => {
            setPicked(selection);
            setOpen(false);
            // Posted values changed without a native input event: tell the form.
            document.querySelector(`input[name="${name}"]`)?.dispatchEvent(new Event("change", { bubbles: true }));
          }}
        />
      )}
    </BlockStack>
  );
}

function SearchModal({
  type,
  multiple,
  picked,
  onClose,
  onSelect,
}: {
  type: PickerType;
  multiple: boolean;
  picked: PickedResource[];
  onClose(): void;
  onSelect(selection: PickedResource[]): void;
}) {
  const t = useT();
  const [query, setQuery] = useState("");
  const [results, setResults] = useState<PickedResource[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [selected, setSelected] = useState<string[]>(picked.map((p) => p.id));
  const known = useCallback(
    (id: string) => results?.find((r) => r.id === id) ?? picked.find((p) => p.id === id),
    [results, picked],
  );

  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetch(`/app/resources?type=${type}&q=${encodeURIComponent(query)}`, { signal: controller.signal })
        .then((r) => (r.ok ? (r.json() as Promise<{ resources: PickedResource[] }>) : Promise.reject(r)))
        .then((body) => {
          setResults(body.resources);
          setFailed(false);
        })
        .catch((error: unknown) => {
          if ((error as Error)?.name !== "AbortError") setFailed(true);
        });
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query, type]);

  return (
    <Modal
      open
      onClose={onClose}
      title={t(`picker.title.${type}`)}
      primaryAction={{
        content: t("picker.select"),
        onAction: () => onSelect(selected.flatMap((id) => known(id) ?? [])),
      }}
      secondaryActions={[{ content: t("picker.cancel"), onAction: onClose }]}
    >
      <Modal.Section>
        <BlockStack gap="300">
          <TextField
            label={t("picker.search")}
            value={query}
            onChange={setQuery}
            autoComplete="off"
            clearButton
            onClearButtonClick={() => setQuery("")}
          />
          {failed ? (
            <Text as="p" tone="critical">
              {t("picker.failed")}
            </Text>
          ) : (
            <ResourceList
              items={results ?? []}
              loading={results === null}
              selectable
              selectedItems={selected}
              onSelectionChange={(ids) => {
                const list = ids === "All" ? (results ?? []).map((r) => r.id) : ids;
                setSelected(multiple ? list : list.slice(-1));
              }}
              emptyState={<Text as="p">{t("picker.empty")}</Text>}
              renderItem={(item) => (
                <ResourceItem
                  id={item.id}
                  accessibilityLabel={item.title}
                  onClick={() =>
                    setSelected(
                      selected.includes(item.id)
                        ? selected.filter((id) => id !== item.id)
                        : multiple
                          ? [...selected, item.id]
                          : [item.id],
                    )
                  }
                >
                  <Text as="span">{item.title}</Text>
                </ResourceItem>
              )}
            />
          )}
        </BlockStack>
      </Modal.Section>
    </Modal>
  );
}
