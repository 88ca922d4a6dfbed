-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "earnRatePoints" INTEGER,
ADD COLUMN     "earnRateSpendMinor" INTEGER,
ADD COLUMN     "tierCorrections" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "tierMultiplierBp" INTEGER NOT NULL DEFAULT 10000,
ADD COLUMN     "weightedMinor" BIGINT;
