-- AlterTable
ALTER TABLE "ShopSettings" DROP COLUMN "referralReferrerPoints";
