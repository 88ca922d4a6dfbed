-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "storefrontToken" TEXT;
