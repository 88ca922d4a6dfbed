-- CreateTable
CREATE TABLE "BulkActionMember" (
    "shopId" UUID NOT NULL,
    "progressId" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "outcome" TEXT,

    CONSTRAINT "BulkActionMember_pkey" PRIMARY KEY ("shopId","progressId","memberId")
);

-- AddForeignKey
ALTER TABLE "BulkActionMember" ADD CONSTRAINT "BulkActionMember_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
