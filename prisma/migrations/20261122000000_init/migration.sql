-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "ProgramStatus" AS ENUM ('DRAFT', 'LIVE', 'PAUSED');

-- CreateEnum
CREATE TYPE "NegativeBalancePolicy" AS ENUM ('ALLOW_NEGATIVE', 'CLAMP_TO_ZERO');

-- CreateEnum
CREATE TYPE "TierMetric" AS ENUM ('SPEND', 'POINTS', 'ORDERS');

-- CreateEnum
CREATE TYPE "TierWindow" AS ENUM ('LIFETIME', 'CALENDAR_YEAR', 'ROLLING_12_MONTHS');

-- CreateEnum
CREATE TYPE "EarningAction" AS ENUM ('SIGNUP', 'BIRTHDAY', 'REVIEW', 'PHOTO_REVIEW', 'NEWSLETTER', 'SOCIAL_FOLLOW', 'FIRST_ORDER', 'REFERRAL');

-- CreateEnum
CREATE TYPE "MemberStatus" AS ENUM ('ACTIVE', 'EXCLUDED', 'REDACTED');

-- CreateEnum
CREATE TYPE "LedgerKind" AS ENUM ('EARN', 'REVERSAL', 'REDEEM', 'REDEMPTION_REFUND', 'ADJUST', 'EXPIRE', 'IMPORT');

-- CreateEnum
CREATE TYPE "LedgerSource" AS ENUM ('ORDER', 'REFUND', 'CANCELLATION', 'REVIEW', 'SIGNUP', 'BIRTHDAY', 'NEWSLETTER', 'SOCIAL', 'FIRST_ORDER', 'REFERRAL', 'ADMIN', 'BONUS', 'EXPIRY', 'REDEMPTION', 'IMPORT');

-- CreateEnum
CREATE TYPE "PendingStatus" AS ENUM ('PENDING', 'CREDITED', 'CANCELLED', 'EXPIRED');

-- CreateEnum
CREATE TYPE "RewardType" AS ENUM ('FIXED_AMOUNT', 'PERCENTAGE', 'FREE_SHIPPING', 'FREE_PRODUCT', 'STORE_CREDIT');

-- CreateEnum
CREATE TYPE "RewardTrigger" AS ENUM ('POINTS', 'ORDER_LADDER', 'REFERRAL_FRIEND');

-- CreateEnum
CREATE TYPE "RedemptionStatus" AS ENUM ('PENDING', 'ISSUED', 'USED', 'FAILED', 'EXPIRED');

-- CreateEnum
CREATE TYPE "ReferralStatus" AS ENUM ('CLICKED', 'SIGNED_UP', 'ORDERED', 'REWARDED', 'REJECTED');

-- CreateEnum
CREATE TYPE "WebhookStatus" AS ENUM ('RECEIVED', 'PROCESSED', 'IGNORED', 'FAILED');

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" TIMESTAMP(3),
    "accessToken" TEXT NOT NULL,
    "userId" BIGINT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT,
    "collaborator" BOOLEAN DEFAULT false,
    "emailVerified" BOOLEAN DEFAULT false,
    "refreshToken" TEXT,
    "refreshTokenExpires" TIMESTAMP(3),

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Shop" (
    "id" UUID NOT NULL,
    "domain" TEXT NOT NULL,
    "name" TEXT,
    "currency" CHAR(3) NOT NULL DEFAULT 'USD',
    "ianaTimezone" TEXT NOT NULL DEFAULT 'UTC',
    "primaryLocale" TEXT NOT NULL DEFAULT 'en',
    "adminApiUrl" TEXT,
    "installedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" TIMESTAMP(3),
    "programStatus" "ProgramStatus" NOT NULL DEFAULT 'DRAFT',
    "launchedAt" TIMESTAMP(3),
    "setupCompleted" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Shop_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShopSettings" (
    "shopId" UUID NOT NULL,
    "pointsNameSingular" TEXT NOT NULL DEFAULT 'point',
    "pointsNamePlural" TEXT NOT NULL DEFAULT 'points',
    "autoEnroll" BOOLEAN NOT NULL DEFAULT true,
    "earnPoints" INTEGER NOT NULL DEFAULT 1,
    "earnSpendMinor" INTEGER NOT NULL DEFAULT 100,
    "includeShipping" BOOLEAN NOT NULL DEFAULT false,
    "includeTax" BOOLEAN NOT NULL DEFAULT false,
    "availabilityDelayDays" INTEGER NOT NULL DEFAULT 0,
    "expiryInactivityDays" INTEGER,
    "pendingWindowDays" INTEGER NOT NULL DEFAULT 30,
    "negativeBalancePolicy" "NegativeBalancePolicy" NOT NULL DEFAULT 'ALLOW_NEGATIVE',
    "tierMetric" "TierMetric" NOT NULL DEFAULT 'SPEND',
    "tierWindow" "TierWindow" NOT NULL DEFAULT 'LIFETIME',
    "tierGraceDays" INTEGER NOT NULL DEFAULT 30,
    "referralReferrerPoints" INTEGER NOT NULL DEFAULT 500,
    "referralFriendRewardId" UUID,
    "languages" TEXT[] DEFAULT ARRAY['en', 'ru']::TEXT[],
    "defaultLanguage" TEXT NOT NULL DEFAULT 'en',
    "widget" JSONB NOT NULL DEFAULT '{}',
    "emailFrom" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ShopSettings_pkey" PRIMARY KEY ("shopId")
);

-- CreateTable
CREATE TABLE "EarningRule" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "action" "EarningAction" NOT NULL,
    "key" TEXT NOT NULL DEFAULT '',
    "points" INTEGER NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "config" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EarningRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Campaign" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "multiplierBp" INTEGER NOT NULL DEFAULT 20000,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "collectionIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "productIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Campaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Tier" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "threshold" BIGINT NOT NULL,
    "multiplierBp" INTEGER NOT NULL DEFAULT 10000,
    "freeShipping" BOOLEAN NOT NULL DEFAULT false,
    "earlyAccess" BOOLEAN NOT NULL DEFAULT false,
    "customPerk" TEXT,
    "customerTag" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Tier_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Member" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "customerId" BIGINT,
    "email" TEXT,
    "firstName" TEXT,
    "locale" TEXT,
    "birthday" DATE,
    "emailConsent" BOOLEAN NOT NULL DEFAULT false,
    "status" "MemberStatus" NOT NULL DEFAULT 'ACTIVE',
    "enrolledAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "balance" INTEGER NOT NULL DEFAULT 0,
    "lifetimeEarned" INTEGER NOT NULL DEFAULT 0,
    "tierId" UUID,
    "tierAchievedAt" TIMESTAMP(3),
    "tierOverride" BOOLEAN NOT NULL DEFAULT false,
    "tierOverrideUntil" TIMESTAMP(3),
    "tierDowngradeAfter" TIMESTAMP(3),
    "referralCode" TEXT NOT NULL,
    "referredById" UUID,
    "lastActivityAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastOrderAt" TIMESTAMP(3),
    "orderCount" INTEGER NOT NULL DEFAULT 0,
    "totalSpentMinor" BIGINT NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Member_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LedgerEntry" (
    "id" BIGSERIAL NOT NULL,
    "shopId" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "points" INTEGER NOT NULL,
    "kind" "LedgerKind" NOT NULL,
    "source" "LedgerSource" NOT NULL,
    "reason" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "orderId" BIGINT,
    "redemptionId" UUID,
    "actor" TEXT,
    "expiresAt" TIMESTAMP(3),
    "meta" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LedgerEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PendingPoints" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "memberId" UUID,
    "email" TEXT,
    "points" INTEGER NOT NULL,
    "source" "LedgerSource" NOT NULL,
    "reason" TEXT NOT NULL,
    "orderId" BIGINT,
    "idempotencyKey" TEXT NOT NULL,
    "availableAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3),
    "status" "PendingStatus" NOT NULL DEFAULT 'PENDING',
    "resolvedAt" TIMESTAMP(3),
    "meta" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PendingPoints_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Order" (
    "id" BIGINT NOT NULL,
    "shopId" UUID NOT NULL,
    "customerId" BIGINT,
    "memberId" UUID,
    "email" TEXT,
    "name" TEXT,
    "currency" CHAR(3) NOT NULL,
    "totalMinor" BIGINT NOT NULL DEFAULT 0,
    "earnableMinor" BIGINT NOT NULL DEFAULT 0,
    "taxesIncluded" BOOLEAN NOT NULL DEFAULT false,
    "earnIncludesTax" BOOLEAN NOT NULL DEFAULT false,
    "earnIncludesShipping" BOOLEAN NOT NULL DEFAULT false,
    "pointsEarned" INTEGER NOT NULL DEFAULT 0,
    "pointsReversed" INTEGER NOT NULL DEFAULT 0,
    "refundedEarnableMinor" BIGINT NOT NULL DEFAULT 0,
    "firstOrderBonus" INTEGER NOT NULL DEFAULT 0,
    "discountCodes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "usedLoyaltyReward" BOOLEAN NOT NULL DEFAULT false,
    "processedAt" TIMESTAMP(3),
    "paidAt" TIMESTAMP(3),
    "cancelledAt" TIMESTAMP(3),
    "cancelAppliedAt" TIMESTAMP(3),
    "shopifyUpdatedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Order_pkey" PRIMARY KEY ("shopId","id")
);

-- CreateTable
CREATE TABLE "OrderRefund" (
    "id" BIGINT NOT NULL,
    "shopId" UUID NOT NULL,
    "orderId" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "linesSubtotalMinor" BIGINT NOT NULL,
    "linesTaxMinor" BIGINT NOT NULL,
    "shippingMinor" BIGINT NOT NULL DEFAULT 0,
    "earnableMinor" BIGINT,
    "pointsReversed" INTEGER NOT NULL DEFAULT 0,
    "appliedAt" TIMESTAMP(3),
    "refundedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OrderRefund_pkey" PRIMARY KEY ("shopId","id")
);

-- CreateTable
CREATE TABLE "Reward" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "type" "RewardType" NOT NULL,
    "trigger" "RewardTrigger" NOT NULL DEFAULT 'POINTS',
    "ladderOrderCount" INTEGER,
    "pointsCost" INTEGER NOT NULL DEFAULT 0,
    "valueMinor" INTEGER,
    "valuePercentBp" INTEGER,
    "currency" CHAR(3),
    "productVariantId" TEXT,
    "minOrderMinor" INTEGER,
    "codeExpiryDays" INTEGER,
    "tierId" UUID,
    "limitPerMember" INTEGER,
    "combinesWithOrder" BOOLEAN NOT NULL DEFAULT false,
    "combinesWithProduct" BOOLEAN NOT NULL DEFAULT false,
    "combinesWithShipping" BOOLEAN NOT NULL DEFAULT true,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "position" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Reward_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Redemption" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "rewardId" UUID,
    "rewardSnapshot" JSONB NOT NULL,
    "pointsSpent" INTEGER NOT NULL,
    "status" "RedemptionStatus" NOT NULL DEFAULT 'PENDING',
    "code" TEXT,
    "shopifyDiscountId" TEXT,
    "endsAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "usedOrderId" BIGINT,
    "idempotencyKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Redemption_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Referral" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "referrerId" UUID NOT NULL,
    "friendEmail" TEXT,
    "friendMemberId" UUID,
    "orderId" BIGINT,
    "status" "ReferralStatus" NOT NULL DEFAULT 'CLICKED',
    "rejectReason" TEXT,
    "friendRedemptionId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Referral_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TierEvent" (
    "id" BIGSERIAL NOT NULL,
    "shopId" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "fromTierId" UUID,
    "toTierId" UUID,
    "cause" TEXT NOT NULL,
    "actor" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TierEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookEvent" (
    "id" BIGSERIAL NOT NULL,
    "shopId" UUID,
    "shopDomain" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "eventId" TEXT,
    "triggeredAt" TIMESTAMP(3),
    "status" "WebhookStatus" NOT NULL DEFAULT 'RECEIVED',
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "error" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMP(3),

    CONSTRAINT "WebhookEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReviewProviderConfig" (
    "shopId" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReviewProviderConfig_pkey" PRIMARY KEY ("shopId","provider")
);

-- CreateTable
CREATE TABLE "Review" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "email" TEXT,
    "memberId" UUID,
    "productId" TEXT,
    "rating" INTEGER,
    "hasPhoto" BOOLEAN NOT NULL DEFAULT false,
    "credited" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Review_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Feedback" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "memberId" UUID,
    "orderId" BIGINT,
    "score" INTEGER NOT NULL,
    "comment" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Feedback_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MessageTemplate" (
    "shopId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MessageTemplate_pkey" PRIMARY KEY ("shopId","kind","locale")
);

-- CreateTable
CREATE TABLE "MessageLog" (
    "id" BIGSERIAL NOT NULL,
    "shopId" UUID NOT NULL,
    "memberId" UUID,
    "kind" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MessageLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ActivityLog" (
    "id" BIGSERIAL NOT NULL,
    "shopId" UUID NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "subject" TEXT,
    "details" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ActivityLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AnalyticsEvent" (
    "id" BIGSERIAL NOT NULL,
    "shopId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "memberId" UUID,
    "orderId" BIGINT,
    "dedupeKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AnalyticsEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Session_shop_idx" ON "Session"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "Shop_domain_key" ON "Shop"("domain");

-- CreateIndex
CREATE UNIQUE INDEX "EarningRule_shopId_action_key_key" ON "EarningRule"("shopId", "action", "key");

-- CreateIndex
CREATE INDEX "Campaign_shopId_startsAt_endsAt_idx" ON "Campaign"("shopId", "startsAt", "endsAt");

-- CreateIndex
CREATE UNIQUE INDEX "Tier_shopId_position_key" ON "Tier"("shopId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "Tier_shopId_name_key" ON "Tier"("shopId", "name");

-- CreateIndex
CREATE INDEX "Member_shopId_email_idx" ON "Member"("shopId", "email");

-- CreateIndex
CREATE INDEX "Member_shopId_balance_idx" ON "Member"("shopId", "balance");

-- CreateIndex
CREATE INDEX "Member_shopId_tierId_idx" ON "Member"("shopId", "tierId");

-- CreateIndex
CREATE INDEX "Member_shopId_lastOrderAt_idx" ON "Member"("shopId", "lastOrderAt");

-- CreateIndex
CREATE INDEX "Member_shopId_enrolledAt_idx" ON "Member"("shopId", "enrolledAt");

-- CreateIndex
CREATE UNIQUE INDEX "Member_shopId_customerId_key" ON "Member"("shopId", "customerId");

-- CreateIndex
CREATE UNIQUE INDEX "Member_shopId_referralCode_key" ON "Member"("shopId", "referralCode");

-- CreateIndex
CREATE INDEX "LedgerEntry_memberId_createdAt_idx" ON "LedgerEntry"("memberId", "createdAt");

-- CreateIndex
CREATE INDEX "LedgerEntry_shopId_createdAt_idx" ON "LedgerEntry"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "LedgerEntry_shopId_orderId_idx" ON "LedgerEntry"("shopId", "orderId");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerEntry_shopId_idempotencyKey_key" ON "LedgerEntry"("shopId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "PendingPoints_shopId_email_status_idx" ON "PendingPoints"("shopId", "email", "status");

-- CreateIndex
CREATE INDEX "PendingPoints_shopId_memberId_status_idx" ON "PendingPoints"("shopId", "memberId", "status");

-- CreateIndex
CREATE INDEX "PendingPoints_status_availableAt_idx" ON "PendingPoints"("status", "availableAt");

-- CreateIndex
CREATE UNIQUE INDEX "PendingPoints_shopId_idempotencyKey_key" ON "PendingPoints"("shopId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "Order_shopId_customerId_idx" ON "Order"("shopId", "customerId");

-- CreateIndex
CREATE INDEX "Order_shopId_memberId_idx" ON "Order"("shopId", "memberId");

-- CreateIndex
CREATE INDEX "Order_shopId_processedAt_idx" ON "Order"("shopId", "processedAt");

-- CreateIndex
CREATE INDEX "Order_shopId_email_idx" ON "Order"("shopId", "email");

-- CreateIndex
CREATE INDEX "OrderRefund_shopId_orderId_idx" ON "OrderRefund"("shopId", "orderId");

-- CreateIndex
CREATE INDEX "Reward_shopId_enabled_pointsCost_idx" ON "Reward"("shopId", "enabled", "pointsCost");

-- CreateIndex
CREATE INDEX "Redemption_memberId_createdAt_idx" ON "Redemption"("memberId", "createdAt");

-- CreateIndex
CREATE INDEX "Redemption_status_updatedAt_idx" ON "Redemption"("status", "updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Redemption_shopId_idempotencyKey_key" ON "Redemption"("shopId", "idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "Redemption_shopId_code_key" ON "Redemption"("shopId", "code");

-- CreateIndex
CREATE INDEX "Referral_shopId_referrerId_idx" ON "Referral"("shopId", "referrerId");

-- CreateIndex
CREATE UNIQUE INDEX "Referral_shopId_friendEmail_key" ON "Referral"("shopId", "friendEmail");

-- CreateIndex
CREATE INDEX "TierEvent_memberId_createdAt_idx" ON "TierEvent"("memberId", "createdAt");

-- CreateIndex
CREATE INDEX "TierEvent_shopId_createdAt_idx" ON "TierEvent"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "WebhookEvent_shopId_receivedAt_idx" ON "WebhookEvent"("shopId", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookEvent_shopDomain_webhookId_key" ON "WebhookEvent"("shopDomain", "webhookId");

-- CreateIndex
CREATE INDEX "Review_shopId_memberId_productId_idx" ON "Review"("shopId", "memberId", "productId");

-- CreateIndex
CREATE INDEX "Review_shopId_email_idx" ON "Review"("shopId", "email");

-- CreateIndex
CREATE UNIQUE INDEX "Review_shopId_provider_externalId_key" ON "Review"("shopId", "provider", "externalId");

-- CreateIndex
CREATE INDEX "Feedback_shopId_createdAt_idx" ON "Feedback"("shopId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Feedback_shopId_orderId_key" ON "Feedback"("shopId", "orderId");

-- CreateIndex
CREATE INDEX "MessageLog_shopId_createdAt_idx" ON "MessageLog"("shopId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "MessageLog_shopId_idempotencyKey_key" ON "MessageLog"("shopId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "ActivityLog_shopId_createdAt_idx" ON "ActivityLog"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "AnalyticsEvent_shopId_name_createdAt_idx" ON "AnalyticsEvent"("shopId", "name", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "AnalyticsEvent_shopId_dedupeKey_key" ON "AnalyticsEvent"("shopId", "dedupeKey");

-- AddForeignKey
ALTER TABLE "ShopSettings" ADD CONSTRAINT "ShopSettings_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EarningRule" ADD CONSTRAINT "EarningRule_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Tier" ADD CONSTRAINT "Tier_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Member" ADD CONSTRAINT "Member_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Member" ADD CONSTRAINT "Member_tierId_fkey" FOREIGN KEY ("tierId") REFERENCES "Tier"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PendingPoints" ADD CONSTRAINT "PendingPoints_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Order" ADD CONSTRAINT "Order_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderRefund" ADD CONSTRAINT "OrderRefund_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderRefund" ADD CONSTRAINT "OrderRefund_shopId_orderId_fkey" FOREIGN KEY ("shopId", "orderId") REFERENCES "Order"("shopId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reward" ADD CONSTRAINT "Reward_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reward" ADD CONSTRAINT "Reward_tierId_fkey" FOREIGN KEY ("tierId") REFERENCES "Tier"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Redemption" ADD CONSTRAINT "Redemption_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Redemption" ADD CONSTRAINT "Redemption_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Redemption" ADD CONSTRAINT "Redemption_rewardId_fkey" FOREIGN KEY ("rewardId") REFERENCES "Reward"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Referral" ADD CONSTRAINT "Referral_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TierEvent" ADD CONSTRAINT "TierEvent_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookEvent" ADD CONSTRAINT "WebhookEvent_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewProviderConfig" ADD CONSTRAINT "ReviewProviderConfig_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Review" ADD CONSTRAINT "Review_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Feedback" ADD CONSTRAINT "Feedback_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MessageTemplate" ADD CONSTRAINT "MessageTemplate_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MessageLog" ADD CONSTRAINT "MessageLog_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActivityLog" ADD CONSTRAINT "ActivityLog_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AnalyticsEvent" ADD CONSTRAINT "AnalyticsEvent_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
