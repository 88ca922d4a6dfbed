-- CreateTable
CREATE TABLE "SurpriseCampaign" (
    "id" UUID NOT NULL,
    "shopId" UUID NOT NULL,
    "message" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "segment" JSONB NOT NULL,
    "points" INTEGER,
    "rewardId" UUID,
    "holdoutPercent" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT 'RUNNING',
    "total" INTEGER NOT NULL DEFAULT 0,
    "done" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "SurpriseCampaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SurpriseRecipient" (
    "campaignId" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "holdout" BOOLEAN NOT NULL DEFAULT false,
    "creditedAt" TIMESTAMP(3),
    "redemptionId" UUID,

    CONSTRAINT "SurpriseRecipient_pkey" PRIMARY KEY ("campaignId","memberId")
);

-- CreateIndex
CREATE INDEX "SurpriseCampaign_shopId_createdAt_idx" ON "SurpriseCampaign"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "SurpriseRecipient_campaignId_creditedAt_idx" ON "SurpriseRecipient"("campaignId", "creditedAt");

-- AddForeignKey
ALTER TABLE "SurpriseCampaign" ADD CONSTRAINT "SurpriseCampaign_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SurpriseRecipient" ADD CONSTRAINT "SurpriseRecipient_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "SurpriseCampaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;
