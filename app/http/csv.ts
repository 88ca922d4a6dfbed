/**
 * CSV downloads: UTF-8 with a byte-order mark (so spreadsheet apps read Cyrillic), every
 * field quoted, CRLF line ends (RFC 4180), streamed from an async source so memory stays
 * flat whatever the row count.
 */

/**
 * One quoted field. Text a spreadsheet would run as a formula (=, +, -, @ first) gets a
 * leading apostrophe: a shopper's comment must not become a live formula on the
 * merchant's machine (OWASP "CSV injection").
 */
export function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? "" : String(value);
  const safe = typeof value === "string" && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function csvResponse(
  filename: string,
  header: readonly string[],
  rows: AsyncIterator<readonly unknown[]>,
  batch = 500,
): Response {
  const encoder = new TextEncoder();
  const line = (cells: readonly unknown[]) => cells.map(csvCell).join(",");
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`\uFEFF${line(header)}\r\n`));
    },
    async pull(controller) {
      const lines: string[] = [];
      while (lines.length < batch) {
        const next = await rows.next();
        if (next.done) break;
        lines.push(line(next.value));
      }
      if (lines.length) controller.enqueue(encoder.encode(`${lines.join("\r\n")}\r\n`));
      else controller.close();
    },
    async cancel() {
      await rows.return?.(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
    },
  });
}
