-- MessageLog had no writer before this migration: any row is a leftover with none of the
-- new required columns, so the table starts empty.
DELETE FROM "MessageLog";

-- CreateEnum
CREATE TYPE "MessageStatus" AS ENUM ('QUEUED', 'SENDING', 'SENT', 'FAILED', 'BOUNCED', 'SKIPPED');

-- DropIndex
DROP INDEX "MessageLog_shopId_idempotencyKey_key";

-- AlterTable
ALTER TABLE "ShopSettings" DROP COLUMN "emailFrom",
ADD COLUMN     "mailReplyTo" TEXT,
ADD COLUMN     "mailSenderName" TEXT,
ADD COLUMN     "noticesNeedConsent" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "quietHoursEnd" INTEGER NOT NULL DEFAULT 9,
ADD COLUMN     "quietHoursStart" INTEGER NOT NULL DEFAULT 20;

-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "marketingOptOut" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "noticesOptOut" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "MessageTemplate" DROP COLUMN "enabled";

-- AlterTable
ALTER TABLE "MessageLog" DROP CONSTRAINT "MessageLog_pkey",
DROP COLUMN "channel",
DROP COLUMN "idempotencyKey",
ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "clickedAt" TIMESTAMP(3),
ADD COLUMN     "codes" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "context" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "email" TEXT,
ADD COLUMN     "leaseUntil" TIMESTAMP(3),
ADD COLUMN     "locale" TEXT,
ADD COLUMN     "occasion" TEXT NOT NULL,
ADD COLUMN     "openedAt" TIMESTAMP(3),
ADD COLUMN     "sendAfter" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "sentAt" TIMESTAMP(3),
ADD COLUMN     "skipReason" TEXT,
ADD COLUMN     "subject" TEXT,
ADD COLUMN     "unsubscribedAt" TIMESTAMP(3),
DROP COLUMN "id",
ADD COLUMN     "id" UUID NOT NULL DEFAULT gen_random_uuid(),
DROP COLUMN "status",
ADD COLUMN     "status" "MessageStatus" NOT NULL DEFAULT 'QUEUED',
ADD CONSTRAINT "MessageLog_pkey" PRIMARY KEY ("id");

-- CreateTable
CREATE TABLE "MessageSetting" (
    "shopId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "timing" JSONB NOT NULL DEFAULT '{}',
    "enabledAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MessageSetting_pkey" PRIMARY KEY ("shopId","kind")
);

-- CreateTable
CREATE TABLE "EmailSuppression" (
    "shopId" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "detail" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EmailSuppression_pkey" PRIMARY KEY ("shopId","email")
);

-- CreateIndex
CREATE INDEX "MessageLog_shopId_status_sendAfter_idx" ON "MessageLog"("shopId", "status", "sendAfter");

-- CreateIndex
CREATE INDEX "MessageLog_memberId_createdAt_idx" ON "MessageLog"("memberId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "MessageLog_shopId_kind_occasion_key" ON "MessageLog"("shopId", "kind", "occasion");

-- AddForeignKey
ALTER TABLE "MessageSetting" ADD CONSTRAINT "MessageSetting_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MessageLog" ADD CONSTRAINT "MessageLog_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EmailSuppression" ADD CONSTRAINT "EmailSuppression_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
