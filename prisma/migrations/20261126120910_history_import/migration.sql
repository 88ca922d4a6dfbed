-- CreateEnum
CREATE TYPE "HistoryStatus" AS ENUM ('RUNNING', 'READING', 'DONE', 'FAILED');

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "importedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "HistoryImport" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "months" INTEGER NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,
    "status" "HistoryStatus" NOT NULL,
    "bulkOperationId" TEXT,
    "objectCount" INTEGER NOT NULL DEFAULT 0,
    "url" TEXT,
    "linesRead" INTEGER NOT NULL DEFAULT 0,
    "ordersSeen" INTEGER NOT NULL DEFAULT 0,
    "ordersAdded" INTEGER NOT NULL DEFAULT 0,
    "actor" TEXT NOT NULL,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "HistoryImport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "HistoryImport_shopId_createdAt_idx" ON "HistoryImport"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "HistoryImport_bulkOperationId_idx" ON "HistoryImport"("bulkOperationId");

-- AddForeignKey
ALTER TABLE "HistoryImport" ADD CONSTRAINT "HistoryImport_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
