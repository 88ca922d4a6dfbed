-- DropForeignKey
ALTER TABLE "DashboardSnapshot" DROP CONSTRAINT "DashboardSnapshot_shopId_fkey";

-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN     "tierCountsHistory" BOOLEAN NOT NULL DEFAULT false;

-- DropTable
DROP TABLE "DashboardSnapshot";

-- CreateTable
CREATE TABLE "AnalyticsDay" (
    "shopId" UUID NOT NULL,
    "day" DATE NOT NULL,
    "pointsIssued" BIGINT NOT NULL DEFAULT 0,
    "pointsRedeemed" BIGINT NOT NULL DEFAULT 0,
    "pointsExpired" BIGINT NOT NULL DEFAULT 0,
    "newMembers" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "AnalyticsDay_pkey" PRIMARY KEY ("shopId","day")
);

-- CreateTable
CREATE TABLE "AnalyticsPeriod" (
    "shopId" UUID NOT NULL,
    "days" INTEGER NOT NULL,
    "timezone" TEXT NOT NULL,
    "fromDay" DATE NOT NULL,
    "throughDay" DATE NOT NULL,
    "data" JSONB NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AnalyticsPeriod_pkey" PRIMARY KEY ("shopId","days")
);

-- CreateIndex
CREATE INDEX "AnalyticsPeriod_throughDay_idx" ON "AnalyticsPeriod"("throughDay");

-- AddForeignKey
ALTER TABLE "AnalyticsDay" ADD CONSTRAINT "AnalyticsDay_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AnalyticsPeriod" ADD CONSTRAINT "AnalyticsPeriod_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
