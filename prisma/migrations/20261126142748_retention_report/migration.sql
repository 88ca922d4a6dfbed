-- CreateTable
CREATE TABLE "RetentionReport" (
    "shopId" UUID NOT NULL,
    "data" JSONB NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RetentionReport_pkey" PRIMARY KEY ("shopId")
);

-- AddForeignKey
ALTER TABLE "RetentionReport" ADD CONSTRAINT "RetentionReport_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
