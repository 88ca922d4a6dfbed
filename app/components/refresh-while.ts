import { useEffect } from "react";
import { useRevalidator } from "@remix-run/react";

/**
 * Reloads the page's data every `ms` while `active` (a background job's progress), one
 * reload at a time, and stops as soon as the job is over.
 */
export function useRefreshWhile(active: boolean, ms = 2000) {
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), ms);
    return () => clearInterval(timer);
  }, [active, ms, revalidator]);
}
