-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN     "landingFaqs" JSONB NOT NULL DEFAULT '[]';
