-- CreateEnum
CREATE TYPE "BirthdayGiftMode" AS ENUM ('POINTS', 'CHOICE');

-- CreateEnum
CREATE TYPE "BirthdayGiftStatus" AS ENUM ('OFFERED', 'CHOSEN', 'EXPIRED');

-- AlterEnum
ALTER TYPE "RewardTrigger" ADD VALUE 'BIRTHDAY_GIFT';

-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN     "allowTestOrders" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "birthdayGift" "BirthdayGiftMode" NOT NULL DEFAULT 'POINTS',
ADD COLUMN     "birthdayLeadDays" INTEGER NOT NULL DEFAULT 7,
ADD COLUMN     "pointsName" JSONB NOT NULL DEFAULT '{}';

-- A name the merchant chose becomes the English forms; the built-in Russian default
-- ("балл"/"баллов") is left out, so the built-in names with all Russian forms apply.
UPDATE "ShopSettings"
SET "pointsName" = jsonb_build_object('en', jsonb_build_object('one', "pointsNameSingular", 'other', "pointsNamePlural"))
WHERE "pointsNameSingular" NOT IN ('point', 'балл');

ALTER TABLE "ShopSettings" DROP COLUMN "pointsNamePlural",
DROP COLUMN "pointsNameSingular";

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "collectionProductIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "collectionsReadAt" TIMESTAMP(3),
ADD COLUMN     "names" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "Tier" ADD COLUMN     "names" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "LedgerEntry" ADD COLUMN     "reasonCode" TEXT,
ADD COLUMN     "reasonParams" JSONB;

-- AlterTable
ALTER TABLE "PendingPoints" ADD COLUMN     "reasonCode" TEXT,
ADD COLUMN     "reasonParams" JSONB;

-- AlterTable
ALTER TABLE "OrderRefund" ADD COLUMN     "transactionsMinor" BIGINT NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Reward" ADD COLUMN     "names" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "Referral" ADD COLUMN     "creditedAt" TIMESTAMP(3),
ADD COLUMN     "orderedAt" TIMESTAMP(3),
ADD COLUMN     "signedUpAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "BirthdayGift" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "year" INTEGER NOT NULL,
    "rewardIds" TEXT[],
    "status" "BirthdayGiftStatus" NOT NULL DEFAULT 'OFFERED',
    "chosenRewardId" UUID,
    "redemptionId" UUID,
    "offeredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "chosenAt" TIMESTAMP(3),

    CONSTRAINT "BirthdayGift_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JobProgress" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'RUNNING',
    "total" INTEGER NOT NULL DEFAULT 0,
    "done" INTEGER NOT NULL DEFAULT 0,
    "actor" TEXT,
    "details" JSONB,
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "JobProgress_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShopifyResource" (
    "shopId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "gid" TEXT NOT NULL,
    "signature" TEXT NOT NULL DEFAULT '',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ShopifyResource_pkey" PRIMARY KEY ("shopId","key")
);

-- CreateIndex
CREATE INDEX "BirthdayGift_shopId_status_expiresAt_idx" ON "BirthdayGift"("shopId", "status", "expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "BirthdayGift_shopId_memberId_year_key" ON "BirthdayGift"("shopId", "memberId", "year");

-- CreateIndex
CREATE INDEX "JobProgress_shopId_kind_startedAt_idx" ON "JobProgress"("shopId", "kind", "startedAt");

-- AddForeignKey
ALTER TABLE "BirthdayGift" ADD CONSTRAINT "BirthdayGift_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BirthdayGift" ADD CONSTRAINT "BirthdayGift_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JobProgress" ADD CONSTRAINT "JobProgress_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShopifyResource" ADD CONSTRAINT "ShopifyResource_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Campaigns and connected review apps are in the program metafield too (banners, the
-- ways to earn), and a tier's translated names are shown to its members.
CREATE TRIGGER "Campaign_program_changed" AFTER INSERT OR UPDATE OR DELETE ON "Campaign"
  FOR EACH ROW EXECUTE FUNCTION comeback_program_changed();
CREATE TRIGGER "ReviewProviderConfig_program_changed" AFTER INSERT OR UPDATE OR DELETE ON "ReviewProviderConfig"
  FOR EACH ROW EXECUTE FUNCTION comeback_program_changed();

CREATE OR REPLACE FUNCTION comeback_program_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  shop uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD."shopId" ELSE NEW."shopId" END;
BEGIN
  UPDATE "Shop" SET "programVersion" = "programVersion" + 1 WHERE id = shop;
  -- Nested: PL/pgSQL does not short-circuit, and other tables have no NEW.name.
  IF TG_TABLE_NAME = 'Tier' AND TG_OP = 'UPDATE' THEN
    IF NEW.name IS DISTINCT FROM OLD.name OR NEW.names IS DISTINCT FROM OLD.names
        OR NEW.position IS DISTINCT FROM OLD.position
        OR NEW.threshold IS DISTINCT FROM OLD.threshold OR NEW."multiplierBp" IS DISTINCT FROM OLD."multiplierBp"
        OR NEW."freeShipping" IS DISTINCT FROM OLD."freeShipping" OR NEW."earlyAccess" IS DISTINCT FROM OLD."earlyAccess"
        OR NEW."customerTag" IS DISTINCT FROM OLD."customerTag" THEN
      UPDATE "Member" SET "syncVersion" = "syncVersion" + 1 WHERE "shopId" = shop;
    END IF;
  END IF;
  RETURN NULL;
END $$;

-- A referred friend's first-order code belongs to no member yet: it is given by email.
ALTER TABLE "Redemption" ALTER COLUMN "memberId" DROP NOT NULL,
ADD COLUMN     "recipientEmail" TEXT;

-- The single "social follow" number nothing read: follows are one rule per network now.
DELETE FROM "EarningRule" WHERE action = 'SOCIAL_FOLLOW' AND key = '';

-- The storefront's account block asks for a birthday until one is told: Shopify's copy
-- of the member must follow a birthday too.
CREATE OR REPLACE FUNCTION comeback_member_sync_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.balance IS DISTINCT FROM OLD.balance
     OR NEW."tierId" IS DISTINCT FROM OLD."tierId"
     OR NEW."lifetimeEarned" IS DISTINCT FROM OLD."lifetimeEarned"
     OR NEW."totalSpentMinor" IS DISTINCT FROM OLD."totalSpentMinor"
     OR NEW."orderCount" IS DISTINCT FROM OLD."orderCount"
     OR NEW.status IS DISTINCT FROM OLD.status
     OR NEW.birthday IS DISTINCT FROM OLD.birthday THEN
    NEW."syncVersion" := OLD."syncVersion" + 1;
  END IF;
  RETURN NEW;
END $$;
