-- CreateEnum
CREATE TYPE "ImportStatus" AS ENUM ('NEEDS_MAPPING', 'VALIDATED', 'RUNNING', 'DONE', 'CANCELLED', 'FAILED');

-- CreateTable
CREATE TABLE "MemberImport" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "filename" TEXT NOT NULL,
    "fileHash" TEXT NOT NULL,
    "encoding" TEXT NOT NULL,
    "delimiter" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "header" TEXT[],
    "mapping" JSONB NOT NULL DEFAULT '{}',
    "status" "ImportStatus" NOT NULL,
    "createMissing" BOOLEAN NOT NULL DEFAULT false,
    "rows" INTEGER NOT NULL DEFAULT 0,
    "invalid" INTEGER NOT NULL DEFAULT 0,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "created" INTEGER NOT NULL DEFAULT 0,
    "updated" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "pointsAdded" BIGINT NOT NULL DEFAULT 0,
    "actor" TEXT NOT NULL,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "MemberImport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MemberImportRow" (
    "importId" UUID NOT NULL,
    "line" INTEGER NOT NULL,
    "cells" TEXT[],
    "email" TEXT,
    "customerId" BIGINT,
    "firstName" TEXT,
    "lastName" TEXT,
    "points" INTEGER,
    "tier" TEXT,
    "tierId" UUID,
    "birthday" TEXT,
    "referralCode" TEXT,
    "errors" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "state" TEXT NOT NULL DEFAULT 'PENDING',
    "outcome" TEXT,
    "memberId" UUID,

    CONSTRAINT "MemberImportRow_pkey" PRIMARY KEY ("importId","line")
);

-- CreateIndex
CREATE INDEX "MemberImport_shopId_createdAt_idx" ON "MemberImport"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "MemberImportRow_importId_state_idx" ON "MemberImportRow"("importId", "state");

-- AddForeignKey
ALTER TABLE "MemberImport" ADD CONSTRAINT "MemberImport_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemberImportRow" ADD CONSTRAINT "MemberImportRow_importId_fkey" FOREIGN KEY ("importId") REFERENCES "MemberImport"("id") ON DELETE CASCADE ON UPDATE CASCADE;
