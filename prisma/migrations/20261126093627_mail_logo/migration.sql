-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN     "mailLogoUrl" TEXT;
