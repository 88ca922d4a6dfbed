import { useEffect, useRef, type ReactNode } from "react";

/**
 * Polaris' DataTable scrolls sideways when its columns do not fit (longer Russian
 * headings on a half-width card), but its scroll container cannot take keyboard focus,
 * so a keyboard user cannot read the hidden columns (axe: scrollable-region-focusable).
 * This makes each table's scroll container a focusable, named region: the name is the
 * heading of the card it sits in.
 */
export function ScrollableTables({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    for (const scroller of ref.current?.querySelectorAll<HTMLElement>(".Polaris-DataTable__ScrollContainer") ?? []) {
      if (scroller.tabIndex === 0) continue;
      const heading = scroller.closest(".Polaris-ShadowBevel, .Polaris-Card")?.querySelector("h2, h3")?.textContent;
      scroller.tabIndex = 0;
      scroller.setAttribute("role", "region");
      if (heading) scroller.setAttribute("aria-label", heading);
    }
  });
  return <div ref={ref}>{children}</div>;
}
