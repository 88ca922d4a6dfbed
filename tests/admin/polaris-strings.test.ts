import { describe, expect, it } from "vitest";
import en from "@shopify/polaris/locales/en.json";
import { POLARIS_RU_OVERLAY, polarisTranslations } from "../../app/i18n/polaris";

/**
 * Polaris ships no Russian, so the admin overlays its own on the English set. A key
 * Polaris does not have is never shown (a typo would leave the English text in place),
 * and every placeholder Polaris fills in must survive the translation.
 */
type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, path: string[] = []): Array<[string, string]> {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === "string" ? [[[...path, key].join("."), value] as [string, string]] : leaves(value, [...path, key]),
  );
}

const english = new Map(leaves(en as Tree));
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("Polaris in Russian", () => {
  it("translates only keys Polaris reads, keeping each placeholder it fills in", () => {
    const overlay = leaves(POLARIS_RU_OVERLAY as Tree);
    expect(overlay.length).toBeGreaterThan(60);
    for (const [path, text] of overlay) {
      expect(english.has(path), `${path} is not a Polaris string`).toBe(true);
      // A placeholder may be dropped ("Выбрать все: {itemsLength}+"), never invented.
      for (const name of placeholders(text)) expect(placeholders(english.get(path)!), path).toContain(name);
      expect(text, path).toMatch(/[а-яё]|^[А-Я]–[А-Я]$/i);
    }
  });

  it("covers what the members list shows: search, sort, selection and bulk actions", () => {
    const ru = new Map(leaves(polarisTranslations("ru") as unknown as Tree));
    for (const path of [
      "Polaris.IndexFilters.searchFilterAccessibilityLabel",
      "Polaris.IndexFilters.SortButton.ariaLabel",
      "Polaris.IndexFilters.UpdateButtons.cancel",
      "Polaris.IndexTable.selectAllItems",
      "Polaris.IndexTable.selected",
      "Polaris.ResourceList.BulkActions.moreActionsActivatorLabel",
      "Polaris.Common.cancel",
      "Polaris.Pagination.next",
    ])
      expect(ru.get(path), path).not.toBe(english.get(path));
  });
});
