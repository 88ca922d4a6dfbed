/**
 * `tsx scripts/make-icons.ts`: draws public/icon.svg into the raster icons beside it
 * (favicon.ico, apple-touch-icon.png, and the 1200×1200 icon Shopify's app listing asks
 * for) with the system's Chromium, so the icons stay one drawing. Run it after editing
 * the SVG and commit what it writes; nothing runs it at install or build time.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { chromium } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const svg = readFileSync("public/icon.svg", "utf8");

const browser = await chromium.launch({ executablePath: CHROMIUM });
async function png(size: number): Promise<Buffer> {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(
    `<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`,
  );
  const image = await page.screenshot({ omitBackground: true });
  await page.close();
  return image;
}

/** An ICO whose images are PNGs, which every browser since 2007 reads. */
function ico(images: { size: number; data: Buffer }[]): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // 1: icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, data }, index) => {
    const entry = 6 + 16 * index;
    header.writeUInt8(size % 256, entry); // 0 means 256
    header.writeUInt8(size % 256, entry + 1);
    header.writeUInt16LE(1, entry + 4); // colour planes
    header.writeUInt16LE(32, entry + 6); // bits per pixel
    header.writeUInt32LE(data.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += data.length;
  });
  return Buffer.concat([header, ...images.map((image) => image.data)]);
}

try {
  const sizes = [16, 32, 48];
  writeFileSync(
    "public/favicon.ico",
    ico(await Promise.all(sizes.map(async (size) => ({ size, data: await png(size) })))),
  );
  writeFileSync("public/apple-touch-icon.png", await png(180));
  writeFileSync("public/icon-1200.png", await png(1200));
} finally {
  await browser.close();
}
