import en from "@shopify/polaris/locales/en.json";
import type { Locale } from "./index";

/**
 * Polaris ships no Russian strings. Ours overlay the English set for the components the
 * admin uses; anything not listed falls back to English rather than to a raw key.
 */
export const POLARIS_RU_OVERLAY = {
  Polaris: {
    Common: {
      checkbox: "флажок",
      undo: "Отменить",
      cancel: "Отмена",
      clear: "Очистить",
      close: "Закрыть",
      submit: "Отправить",
      more: "Ещё",
    },
    Pagination: { previous: "Назад", next: "Вперёд", pagination: "Страницы" },
    Banner: { dismissButton: "Закрыть уведомление" },
    Page: {
      Header: { rollupActionsLabel: "Действия: {title}", pageReadyAccessibilityLabel: "{title}. Страница загружена" },
    },
    Filters: {
      moreFilters: "Ещё фильтры",
      moreFiltersWithCount: "Ещё фильтры ({count})",
      filter: "Фильтр: {resourceName}",
      noFiltersApplied: "Фильтры не выбраны",
      cancel: "Отмена",
      done: "Готово",
      clearAllFilters: "Сбросить все фильтры",
      clear: "Сбросить",
      clearLabel: "Сбросить {filterName}",
      addFilter: "Добавить фильтр",
      clearFilters: "Сбросить всё",
      searchInView: "в:{viewName}",
    },
    IndexFilters: {
      searchFilterTooltip: "Поиск и фильтры",
      searchFilterTooltipWithShortcut: "Поиск и фильтры (F)",
      searchFilterAccessibilityLabel: "Искать и фильтровать",
      sort: "Сортировать результаты",
      SortButton: {
        ariaLabel: "Сортировать результаты",
        tooltip: "Сортировка",
        title: "Сортировать по",
        sorting: { asc: "По возрастанию", desc: "По убыванию", az: "А–Я", za: "Я–А" },
      },
      UpdateButtons: { cancel: "Отмена", update: "Обновить", save: "Сохранить" },
    },
    IndexTable: {
      selectAllItems: "Выбрать все: {itemsLength}+",
      emptySearchTitle: "Ничего не найдено",
      emptySearchDescription: "Измените фильтры или запрос",
      onboardingBadgeText: "Новое",
      resourceLoadingAccessibilityLabel: "Загрузка…",
      selectAllLabel: "Выбрать все",
      selected: "Выбрано: {selectedItemsCount}",
      undo: "Отменить",
      selectItem: "Выбрать {resourceName}",
      selectButtonText: "Выбрать",
      sortAccessibilityLabel: "сортировать {direction} по",
    },
    Loading: { label: "Загрузка страницы" },
    TextField: {
      characterCount: "Символов: {count}",
      characterCountWithMaxLength: "Использовано {count} из {limit} символов",
    },
    Frame: {
      skipToContent: "Перейти к содержимому",
      navigationLabel: "Навигация",
      Navigation: { closeMobileNavigationLabel: "Закрыть меню" },
    },
    ActionMenu: { Actions: { moreActions: "Ещё действия" }, RollupActions: { rollupButton: "Действия" } },
    ContextualSaveBar: { save: "Сохранить", discard: "Отменить изменения" },
    EmptySearchResult: { altText: "Ничего не найдено" },
    SkeletonPage: { loadingLabel: "Загрузка страницы" },
    ResourceList: {
      sortingLabel: "Сортировка",
      defaultItemSingular: "элемент",
      defaultItemPlural: "элементы",
      showing: "Показано: {itemsCount}",
      showingTotalCount: "Показано {itemsCount} из {totalItemsCount}",
      loading: "Загрузка",
      selected: "Выбрано: {selectedItemsCount}",
      selectButtonText: "Выбрать",
      a11yCheckboxSelectAllSingle: "Выбрать: {resourceNameSingular}",
      a11yCheckboxDeselectAllSingle: "Снять выбор: {resourceNameSingular}",
      a11yCheckboxSelectAllMultiple: "Выбрать все: {itemsLength}",
      a11yCheckboxDeselectAllMultiple: "Снять выбор со всех: {itemsLength}",
      emptySearchResultTitle: "Ничего не найдено",
      emptySearchResultDescription: "Измените фильтры или запрос",
      Item: { viewItem: "Открыть: {itemName}", actionsDropdown: "Действия" },
      BulkActions: { actionsActivatorLabel: "Действия", moreActionsActivatorLabel: "Ещё действия" },
    },
    Tag: { ariaLabel: "Убрать {children}" },
    DropZone: {
      single: {
        overlayTextFile: "Отпустите файл, чтобы загрузить",
        actionTitleFile: "Добавить файл",
        actionHintFile: "или перетащите файл сюда",
        labelFile: "Загрузить файл",
      },
      errorOverlayTextFile: "Этот тип файла не подходит",
    },
    ActionList: { SearchField: { clearButtonLabel: "Очистить", search: "Поиск", placeholder: "Найти действие" } },
    DataTable: { totalsRowHeading: "Итого", totalRowHeading: "Итого" },
  },
};

type Tree = { [key: string]: string | Tree };

function merge(base: Tree, overlay: Tree): Tree {
  const out: Tree = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    const current = out[key];
    out[key] = typeof value === "object" && typeof current === "object" ? merge(current, value) : value;
  }
  return out;
}

const ru = merge(en as Tree, POLARIS_RU_OVERLAY as Tree);

export function polarisTranslations(locale: Locale) {
  return (locale === "ru" ? ru : en) as typeof en;
}
