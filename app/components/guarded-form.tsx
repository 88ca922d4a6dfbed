import { useEffect, useRef, useState, type ReactNode } from "react";
import { Form, useBlocker, useNavigation } from "@remix-run/react";
import { useT } from "./locale";

/**
 * A form that asks before the merchant leaves it with unsaved changes. Inside Shopify
 * admin, App Bridge's contextual save bar does the same (`data-save-bar`); outside it
 * (the local demo), a navigation away or a tab close asks first.
 */
export function GuardedForm({ children, id }: { children: ReactNode; id?: string }) {
  const t = useT();
  const [dirty, setDirty] = useState(false);
  const navigation = useNavigation();
  const submitting = useRef(false);
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      dirty && !submitting.current && currentLocation.pathname !== nextLocation.pathname,
  );
  useEffect(() => {
    if (blocker.state !== "blocked") return;
    if (window.confirm(t("program.unsaved"))) blocker.proceed();
    else blocker.reset();
  }, [blocker, t]);
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);
  useEffect(() => {
    if (navigation.state === "idle") submitting.current = false;
  }, [navigation.state]);
  return (
    <Form
      method="post"
      id={id}
      data-save-bar
      data-discard-confirmation
      onChange={() => setDirty(true)}
      onSubmit={() => {
        submitting.current = true;
        setDirty(false);
      }}
    >
      {children}
    </Form>
  );
}
