import { Suspense, useEffect, useState, type ReactNode } from "react";

/** Renders its children only after hydration: the server has no layout to measure (charts). */
export function ClientOnly({ children, fallback }: { children: ReactNode; fallback: ReactNode }) {
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  return ready ? <Suspense fallback={fallback}>{children}</Suspense> : fallback;
}
