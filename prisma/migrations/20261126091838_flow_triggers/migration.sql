-- AlterTable
ALTER TABLE "MessageSetting" ADD COLUMN     "viaFlow" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "MessageLog" ADD COLUMN     "flowAt" TIMESTAMP(3),
ADD COLUMN     "flowError" TEXT,
ADD COLUMN     "flowStatus" TEXT;

-- CreateIndex
CREATE INDEX "MessageLog_shopId_flowStatus_idx" ON "MessageLog"("shopId", "flowStatus");
