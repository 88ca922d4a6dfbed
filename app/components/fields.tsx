import { useState } from "react";
import { Checkbox, Select, TextField } from "@shopify/polaris";
import type { MessageKey } from "../i18n";
import { useT } from "./locale";

/**
 * Polaris inputs are controlled; these keep their own state and carry a `name`, so they
 * post with a plain Remix <Form>. Errors are message keys from the action.
 */
interface FieldProps {
  name: string;
  label: string;
  defaultValue?: string | number | null;
  errors?: Record<string, string>;
  type?: "text" | "number" | "date";
  helpText?: string;
  suffix?: string;
  prefix?: string;
  multiline?: boolean;
  autoComplete?: string;
}

export function Field({
  name,
  label,
  defaultValue,
  errors,
  type = "text",
  helpText,
  suffix,
  prefix,
  multiline,
  autoComplete = "off",
}: FieldProps) {
  const t = useT();
  const [value, setValue] = useState(defaultValue === null || defaultValue === undefined ? "" : String(defaultValue));
  const error = errors?.[name];
  return (
    <TextField
      name={name}
      label={label}
      value={value}
      onChange={setValue}
      type={type}
      helpText={helpText}
      suffix={suffix}
      prefix={prefix}
      multiline={multiline}
      autoComplete={autoComplete}
      error={error ? t(error as MessageKey) : undefined}
    />
  );
}

export function CheckboxField({
  name,
  label,
  defaultChecked,
  helpText,
}: {
  name: string;
  label: string;
  defaultChecked?: boolean;
  helpText?: string;
}) {
  const [checked, setChecked] = useState(Boolean(defaultChecked));
  return (
    <>
      <Checkbox label={label} checked={checked} onChange={setChecked} helpText={helpText} />
      {checked && <input type="hidden" name={name} value="on" />}
    </>
  );
}

export function SelectField({
  name,
  label,
  options,
  defaultValue,
  errors,
  helpText,
}: {
  name: string;
  label: string;
  options: Array<{ label: string; value: string }>;
  defaultValue?: string | null;
  errors?: Record<string, string>;
  helpText?: string;
}) {
  const t = useT();
  const [value, setValue] = useState(defaultValue ?? options[0]?.value ?? "");
  const error = errors?.[name];
  return (
    <Select
      name={name}
      label={label}
      helpText={helpText}
      options={options}
      value={value}
      onChange={setValue}
      error={error ? t(error as MessageKey) : undefined}
    />
  );
}
