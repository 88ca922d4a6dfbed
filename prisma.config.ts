import { defineConfig } from "prisma/config";

// Used by the Prisma CLI only (generate; migrate deploy where the native engine can be
// downloaded). The app itself resolves its database in app/platform/database.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/comeback" },
});
