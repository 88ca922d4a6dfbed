-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN     "reviewsRequirePurchase" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "productIds" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "DataExport" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "requestId" BIGINT,
    "customerId" BIGINT,
    "emailKey" TEXT,
    "content" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "downloadedAt" TIMESTAMP(3),

    CONSTRAINT "DataExport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DataExport_shopId_customerId_idx" ON "DataExport"("shopId", "customerId");

-- CreateIndex
CREATE INDEX "DataExport_shopId_emailKey_idx" ON "DataExport"("shopId", "emailKey");

-- AddForeignKey
ALTER TABLE "DataExport" ADD CONSTRAINT "DataExport_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
