/**
 * JSON for stored figures that hold money: JSON has no bigint, so amounts are written as
 * {"$minor": "123"} and read back exactly.
 */
export function toStoredJson(value: unknown): object {
  return JSON.parse(
    JSON.stringify(value, (_key, item: unknown) => (typeof item === "bigint" ? { $minor: item.toString() } : item)),
  ) as object;
}

export function fromStoredJson<T>(stored: unknown): T {
  return JSON.parse(JSON.stringify(stored), (_key, item: unknown) =>
    item && typeof item === "object" && "$minor" in item && typeof item.$minor === "string"
      ? BigInt(item.$minor)
      : item,
  ) as T;
}
